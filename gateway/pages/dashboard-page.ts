import { formFields } from './form-fields.js';
import { formToken, formTokenHolds, postedFromThisHub } from './page-form.js';
import type { PageRequest } from './page-kit.js';
import { DASHBOARD_CSP, renderPage, sendHtml } from './render.js';
import { DASHBOARD_SESSION_TTL_MS, sealSession, sessionCookie, sessionCookieOf, sessionOf } from './dashboard-session.js';

export const DASHBOARD_PATH = '/dashboard';
export const SIGN_IN_PATH = '/dashboard/sign-in';
export const SIGN_OUT_PATH = '/dashboard/sign-out';

/** What a sign-in form's token is bound to before anyone is signed in: the form itself. */
const SIGN_IN_BINDING = 'cairn dashboard sign-in';

const SCRIPTS = ['/assets/graphql-ws.js', '/assets/uplot.js', '/assets/dashboard.js'];
const STYLES = ['/assets/uplot.css'];

const WHO = `query DashboardViewer { me { kind issuer { id name } } }`;
const ISSUERS = `query DashboardIssuers { issuers(first: 100) { edges { node { id name } } } }`;
const ISSUER = `query DashboardIssuer($id: ID!) { issuer(id: $id) { id name } }`;

interface Who {
  me: { kind: string; issuer: { id: string; name: string } | null };
}

type Send = (status: number, template: string, data: object, title: string, headers?: Record<string, string>) => void;

function sender({ res, options }: PageRequest): Send {
  return (status, template, data, title, headers = {}) => {
    const html = renderPage(options.site, template, data, { title, description: 'Live program metrics for an issuer.', styles: STYLES, scripts: SCRIPTS });
    // Every dashboard answer carries the session cookie's cache rules: never stored by a shared cache.
    sendHtml(res, status, html, { 'cache-control': 'no-store', ...headers }, DASHBOARD_CSP);
  };
}

function signInForm(send: Send, status: number, secret: string, problem?: string) {
  send(status, 'dashboard-sign-in', { action: SIGN_IN_PATH, token: formToken(secret, SIGN_IN_PATH, SIGN_IN_BINDING), problem }, 'Sign in to the dashboard');
}

/** GET /dashboard: the sign-in form, an operator's choice of issuer, or the issuer's live dashboard. */
export async function dashboardPage(request: PageRequest): Promise<void> {
  const { req, options } = request;
  const send = sender(request);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'message', { title: 'Not here', message: 'Open the dashboard and sign in there.' }, 'Not here');
  const session = sessionOf(req, options.formSecret);
  if (!session) return signInForm(send, 200, options.formSecret);
  const who = await options.client.graphql<Who>(req, WHO, {}, { authorization: session.authorization });
  const me = who.data?.me;
  // A key revoked since sign-in ends the session here as it would on the API.
  if (!me || (me.kind !== 'ISSUER' && me.kind !== 'ADMIN')) {
    return signInForm(send, 401, options.formSecret, 'Your session’s key is no longer valid. Sign in again.');
  }
  const signOut = { action: SIGN_OUT_PATH, token: formToken(options.formSecret, SIGN_OUT_PATH, sessionCookieOf(req)!) };
  let issuer = me.issuer;
  if (me.kind === 'ADMIN') {
    const chosen = new URL(req.url ?? '/', 'http://hub').searchParams.get('issuer');
    if (chosen) issuer = (await options.client.graphql<{ issuer: { id: string; name: string } | null }>(req, ISSUER, { id: chosen }, { authorization: session.authorization })).data?.issuer ?? null;
    if (!issuer) {
      const listed = await options.client.graphql<{ issuers: { edges: { node: { id: string; name: string } }[] } }>(req, ISSUERS, {}, { authorization: session.authorization });
      const issuers = listed.data?.issuers.edges.map((edge) => edge.node) ?? [];
      return send(chosen ? 404 : 200, 'dashboard-choose', { issuers, signOut, unknown: Boolean(chosen) }, 'Choose an issuer');
    }
  }
  send(200, 'dashboard', { issuer: issuer!, operator: me.kind === 'ADMIN', signOut }, `${issuer!.name} · Dashboard`);
}

/**
 * POST /dashboard/sign-in: checks the key as the API would (through the gateway) and, for an issuer member or an
 * operator, seals it into the session cookie. Only a form this hub showed is taken (its token, and the browser's
 * word that it came from this hub), so no other site can sign a visitor in to someone else's dashboard.
 */
export async function dashboardSignIn(request: PageRequest): Promise<void> {
  const { req, res, options } = request;
  const send = sender(request);
  if (req.method !== 'POST') return signInForm(send, 405, options.formSecret);
  const fields = await formFields(req);
  if (!fields || !postedFromThisHub(req, options.publicBaseUrl) || !formTokenHolds(options.formSecret, fields.get('token') ?? '', SIGN_IN_PATH, SIGN_IN_BINDING)) {
    return signInForm(send, 403, options.formSecret, 'That form was too old or did not come from this page. Please sign in again.');
  }
  const key = (fields.get('key') ?? '').trim();
  const authorization = `Bearer ${key}`;
  const who = key && !/\s/.test(key) ? await options.client.graphql<Who>(req, WHO, {}, { authorization }) : null;
  const kind = who?.data?.me.kind;
  if (kind !== 'ISSUER' && kind !== 'ADMIN') {
    options.log.info({ kind: kind ?? 'refused' }, 'dashboard sign-in refused');
    return signInForm(send, 401, options.formSecret, kind ? 'This key is not an issuer’s or an operator’s: the dashboard shows an issuer’s program.' : 'This key was not accepted: it is unknown, expired or revoked.');
  }
  const sealed = sealSession(options.formSecret, { authorization, expires: Date.now() + DASHBOARD_SESSION_TTL_MS });
  res.writeHead(303, { location: DASHBOARD_PATH, 'set-cookie': sessionCookie(sealed, options.publicBaseUrl), 'cache-control': 'no-store' });
  res.end();
}

/** POST /dashboard/sign-out: forgets the session (its form token is bound to the session it ends). */
export async function dashboardSignOut(request: PageRequest): Promise<void> {
  const { req, res, options } = request;
  const fields = req.method === 'POST' ? await formFields(req) : null;
  const cookie = sessionCookieOf(req);
  if (!fields || !cookie || !postedFromThisHub(req, options.publicBaseUrl) || !formTokenHolds(options.formSecret, fields.get('token') ?? '', SIGN_OUT_PATH, cookie)) {
    return sender(request)(403, 'message', { title: 'Not signed out', message: 'That form did not come from your dashboard. Open the dashboard and press “Sign out” there.' }, 'Not signed out');
  }
  res.writeHead(303, { location: DASHBOARD_PATH, 'set-cookie': sessionCookie(null, options.publicBaseUrl), 'cache-control': 'no-store' });
  res.end();
}
