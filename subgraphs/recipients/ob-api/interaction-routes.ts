import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import { isAppError, type AppError } from '../../../lib/errors.js';
import type { IdentityService } from '../services/identity.js';
import { ALL_OB_SCOPES, SCOPE_DESCRIPTIONS, type ObScope } from './constants.js';
import { escapeHtml, type OAuthServer } from './oauth-server.js';

/** OIDC scopes a client may ask for besides the OB scopes; anything else requested is simply not granted. */
const OIDC_SCOPES = new Set(['openid', 'offline_access']);

interface PageState {
  uid: string;
  clientName: string;
  /** Where the client will receive the answer: dynamically registered clients name themselves, so show the site too. */
  redirectHost: string;
  scopes: string[];
  /** The address a code was sent to; absent on the first (e-mail) step. */
  email?: string;
  /** The recipient is already signed in to the authorization server: only the approval is asked. */
  signedIn?: boolean;
  message?: string;
}

function page(state: PageState): string {
  const action = (step: string) => `${escapeHtml(state.uid)}/${step}`;
  const scopeList = state.scopes
    .filter((scope): scope is ObScope => (ALL_OB_SCOPES as readonly string[]).includes(scope))
    .map((scope) => `<li>${escapeHtml(SCOPE_DESCRIPTIONS[scope])}</li>`)
    .join('');
  const message = state.message ? `<p role="alert">${escapeHtml(state.message)}</p>` : '';
  const step =
    !state.signedIn && !state.email
      ? `<form method="post" action="${action('email')}"><label>Your e-mail address <input type="email" name="email" required autofocus></label>
         <button type="submit">Send me a sign-in code</button></form>`
      : `<form method="post" action="${action('decide')}">
         ${state.email ? `<input type="hidden" name="email" value="${escapeHtml(state.email)}">
         <label>The code we mailed to ${escapeHtml(state.email)} <input name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus></label>` : ''}
         <button type="submit" name="decision" value="approve">Allow</button> <button type="submit" name="decision" value="deny" formnovalidate>Deny</button></form>`;
  return `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Cairn: allow ${escapeHtml(state.clientName)}</title>
<h1>${escapeHtml(state.clientName)} asks to use your Cairn wallet</h1><p>The answer goes to ${escapeHtml(state.redirectHost)}. It would be able to:</p><ul>${scopeList}</ul>${message}${step}</html>`;
}

/**
 * The sign-in and consent pages of the authorization endpoint: the recipient proves an e-mail address with a mailed
 * one-time code (the same codes, limits and first-sign-in rule as GraphQL `signIn`) and allows or denies the scopes
 * the client asked for, in one interaction. The interaction cookie ties each POST to the browser that started it
 * (SameSite=Lax, so another site cannot post these forms in the person's name).
 */
export function createInteractionRoutes({ oauth, identity }: { oauth: OAuthServer; identity: IdentityService }): Router {
  const { provider } = oauth;
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));

  async function stateOf(req: Request, res: Response) {
    const details = await provider.interactionDetails(req, res);
    const clientId = String(details.params.client_id);
    const client = await provider.Client.find(clientId);
    const scopes = String(details.params.scope ?? '').split(' ').filter(Boolean);
    const signedIn = details.prompt.name !== 'login' && Boolean(details.session?.accountId);
    const redirectHost = URL.parse(String(details.params.redirect_uri ?? ''))?.host ?? 'an unknown site';
    return { details, clientId, state: { uid: details.uid, clientName: client?.clientName ?? clientId, redirectHost, scopes, signedIn } };
  }

  router.get('/:uid', async (req, res) => {
    const { state } = await stateOf(req, res);
    res.type('html').send(page(state));
  });

  router.post('/:uid/email', async (req, res) => {
    const { state } = await stateOf(req, res);
    const email = String(req.body?.email ?? '').trim();
    try {
      await identity.requestSignInCode(email, res.locals.clientAddress as string | null);
    } catch (error) {
      if (!isAppError(error)) throw error;
      return refused(res, error).type('html').send(page({ ...state, message: error.message }));
    }
    res.type('html').send(page({ ...state, email }));
  });

  router.post('/:uid/decide', async (req, res) => {
    const { details, clientId, state } = await stateOf(req, res);
    if (req.body?.decision !== 'approve') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The recipient denied the request' }, { mergeWithLastSubmission: false });
    }
    let accountId = state.signedIn ? details.session!.accountId : null;
    if (!accountId) {
      const email = String(req.body?.email ?? '');
      try {
        accountId = (await identity.proveSignInCode(email, String(req.body?.code ?? '').trim(), res.locals.clientAddress as string | null)).recipientId;
      } catch (error) {
        if (!isAppError(error)) throw error;
        return refused(res, error).type('html').send(page({ ...state, email, message: error.message }));
      }
    }
    const grantId = await grantFor(provider, oauth.resource, { accountId, clientId, scopes: state.scopes, existingGrantId: details.grantId });
    await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
  });

  // The library's own refusals (an expired interaction, a missing or foreign cookie) are the browser's to see, with
  // their status; anything else goes on to the subgraph's error handler.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const refusal = error as { statusCode?: number; error?: string; error_description?: string };
    if (res.headersSent || typeof refusal.statusCode !== 'number' || typeof refusal.error !== 'string' || refusal.statusCode >= 500) return next(error);
    res
      .status(refusal.statusCode)
      .type('html')
      .send(`<!doctype html><meta charset="utf-8"><title>Sign-in failed</title><h1>Sign-in failed</h1><p>${escapeHtml(refusal.error_description ?? refusal.error)}</p><p>Start again from the application that sent you here.</p>`);
  });

  return router;
}

/** A step refused by the identity service: 429 with Retry-After when a rate limit refused it (codes), 400 otherwise. */
function refused(res: Response, error: AppError): Response {
  const retryAfter = error.details.retryAfterSeconds;
  if (error.code !== 'TOO_MANY_REQUESTS' || typeof retryAfter !== 'number') return res.status(400);
  return res.status(429).set('Retry-After', String(retryAfter));
}

/** Grants what was asked and is grantable: the OB scopes on the OB API, and `openid` / `offline_access`. */
async function grantFor(
  provider: Provider,
  resource: string,
  request: { accountId: string; clientId: string; scopes: string[]; existingGrantId?: string | undefined },
): Promise<string> {
  const existing = request.existingGrantId ? await provider.Grant.find(request.existingGrantId) : undefined;
  // A grant made for someone else (another sign-in in the same browser) is never extended.
  const grant = existing && existing.accountId === request.accountId ? existing : new provider.Grant({ accountId: request.accountId, clientId: request.clientId });
  const oidc = request.scopes.filter((scope) => OIDC_SCOPES.has(scope));
  const ob = request.scopes.filter((scope) => (ALL_OB_SCOPES as readonly string[]).includes(scope));
  // The OB scopes are also listed as the server's scopes (so clients may register them and discovery shows them),
  // which makes the library count them as OIDC scopes too: granted on both sides, or consent would be asked again.
  if (oidc.length + ob.length > 0) grant.addOIDCScope([...oidc, ...ob]);
  if (ob.length > 0) grant.addResourceScope(resource, ob);
  return grant.save();
}
