import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { TestMailbox } from './smtp.js';

export const OB_SCOPE = {
  credentialReadonly: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly',
  credentialUpsert: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert',
  profileReadonly: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly',
  profileUpdate: 'https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update',
} as const;
export const ALL_OB_SCOPES = Object.values(OB_SCOPE);

export interface RegisteredClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface AuthorizeOptions {
  client: RegisteredClient;
  endpoints: { authorizationUrl: string; tokenUrl: string };
  email: string;
  scopes: readonly string[];
  mailbox: TestMailbox;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  scope: string;
  token_type: string;
  expires_in: number;
}

/**
 * A browser and a wallet app in one, driving the OB 3.0 API's OAuth flow through the gateway: the hub names its
 * public address (PUBLIC_BASE_URL) in every URL, so each one is sent to the gateway's real origin instead; cookies
 * are kept like a browser keeps them for one site.
 */
export function createOAuthTestClient(gatewayOrigin: string) {
  const cookies = new Map<string, string>();
  const local = (url: string) => {
    const parsed = new URL(url, gatewayOrigin);
    return `${gatewayOrigin}${parsed.pathname}${parsed.search}`;
  };

  async function browse(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(local(url), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = /expires=Thu, 01 Jan 1970/i.test(line) || value.join('=') === '';
      if (expired) cookies.delete(name!.trim());
      else cookies.set(name!.trim(), value.join('='));
    }
    return response;
  }

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  async function token(tokenUrl: string, client: RegisteredClient, fields: Record<string, string>): Promise<TokenSet> {
    const request = form(fields);
    const response = await fetch(local(tokenUrl), { ...request, headers: { ...request.headers, authorization: basic(client) } });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body as TokenSet;
  }

  return {
    local,
    browse,
    form,
    token,

    async register(registrationUrl: string, metadata: Record<string, unknown> = {}): Promise<RegisteredClient> {
      const response = await fetch(local(registrationUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_name: 'Test Wallet',
          client_uri: 'https://wallet.example',
          redirect_uris: ['https://wallet.example/callback'],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
          scope: ALL_OB_SCOPES.join(' '),
          ...metadata,
        }),
      });
      expect(response.status).toBe(201);
      return (await response.json()) as RegisteredClient;
    },

    /**
     * The browser part of the authorization code + PKCE flow as a person does it: e-mail, mailed code (or `code`
     * to type a wrong one), then Allow or Deny. Returns where the browser is finally sent: the client's redirect
     * URI with `code` or `error`, or the refusal page when the code was wrong.
     */
    async consent(options: AuthorizeOptions & { decision?: 'approve' | 'deny'; code?: string }) {
      cookies.clear();
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(8).toString('hex');
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: options.client.client_id,
        redirect_uri: options.client.redirect_uris[0]!,
        scope: options.scopes.join(' '),
        state,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      });
      const start = await browse(`${options.endpoints.authorizationUrl}?${params}`);
      expect(isRedirect(start)).toBe(true);
      const interaction = new URL(start.headers.get('location')!, gatewayOrigin).pathname;
      expect(interaction).toMatch(/^\/ims\/ob\/v3p0\/oauth\/interaction\//);

      const signInPage = await browse(interaction);
      expect(await signInPage.text()).toContain('Test Wallet asks to use your Cairn wallet');
      const codePage = await browse(`${interaction}/email`, form({ email: options.email }));
      expect(codePage.status).toBe(200);
      const mailed = await options.mailbox.nextCodeFor(options.email);
      let redirect = await browse(`${interaction}/decide`, form({ email: options.email, code: options.code ?? mailed, decision: options.decision ?? 'approve' }));
      // Back through the authorization endpoint (resume) until it sends the browser to the client.
      for (let hops = 0; hops < 5 && isRedirect(redirect) && !redirect.headers.get('location')!.startsWith(options.client.redirect_uris[0]!); hops++) {
        redirect = await browse(redirect.headers.get('location')!);
      }
      return { response: redirect, state, verifier, callback: isRedirect(redirect) ? new URL(redirect.headers.get('location')!) : null };
    },

    /** The whole flow, allowed, and the code exchanged for tokens. */
    async authorize(options: AuthorizeOptions): Promise<TokenSet> {
      const { response, state, verifier, callback } = await this.consent(options);
      expect(callback, `${response.status} ${await response.clone().text()}`).not.toBeNull();
      expect(callback!.searchParams.get('state')).toBe(state);
      expect(callback!.searchParams.get('error')).toBeNull();
      return token(options.endpoints.tokenUrl, options.client, {
        grant_type: 'authorization_code',
        code: callback!.searchParams.get('code')!,
        redirect_uri: options.client.redirect_uris[0]!,
        code_verifier: verifier,
      });
    },
  };
}

export const isRedirect = (response: Response) => response.status >= 301 && response.status <= 308 && response.headers.has('location');

export const basic = (client: RegisteredClient) =>
  `Basic ${Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
