import { createPrivateKey, hkdfSync, timingSafeEqual } from 'node:crypto';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { ObApiStore } from '../db/ob-api-store.js';
import type { OAuthStore } from '../db/oauth-store.js';
import { hashClientSecret, oauthAdapterClass } from './oauth-adapter.js';
import { ALL_OB_SCOPES, OAUTH_PATH, OB_API_PATH } from './constants.js';

export interface OAuthServerOptions {
  publicBaseUrl: string;
  /** CAIRN_MASTER_KEY: cookie and signing keys are derived from it, so every replica has the same ones. */
  masterKey: string;
  oauthStore: OAuthStore;
  obApiStore: ObApiStore;
  /** CORS_ALLOWED_ORIGINS: the browser origins whose pages may use the token endpoints (the gateway's policy). */
  corsAllowedOrigins: readonly string[];
}

export interface OAuthServer {
  provider: Provider;
  /** The OB API as an OAuth resource: access tokens are issued for it (their audience) with the OB scopes. */
  resource: string;
}

const DAY = 86_400;

/** Signature algorithms a client may use for its own JWTs: no HMAC, whose key would be the (hashed) client secret. */
const ASYMMETRIC_SIGNING_ALGS = ['RS256', 'PS256', 'ES256', 'Ed25519', 'EdDSA'] as const;

const derived = (masterKey: string, purpose: string, length = 32) => Buffer.from(hkdfSync('sha256', masterKey, 'cairn.oauth', purpose, length));

/**
 * The signing key (ID tokens only: access tokens are opaque) as a JWK derived from the master key: nothing to
 * store and the same on every replica. Rotating CAIRN_MASTER_KEY rotates it, which only matters to OpenID clients.
 */
function derivedSigningJwk(masterKey: string) {
  const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  const key = createPrivateKey({ key: Buffer.concat([pkcs8Prefix, derived(masterKey, 'id-token-signing')]), format: 'der', type: 'pkcs8' });
  return { ...key.export({ format: 'jwk' }), alg: 'EdDSA', use: 'sig', kid: 'cairn-oauth-1' };
}

/**
 * The OAuth 2.0 authorization server the OB 3.0 API requires (panva's oidc-provider, see docs/decisions.md):
 * authorization code grant with PKCE S256 required for every client, dynamic client registration (RFC 7591) without
 * an initial access token, refresh tokens, revocation (RFC 7009). Access tokens are opaque, bound to one recipient
 * (`accountId`), scoped to the OB scopes and stored through the database adapter.
 */
export function createOAuthServer(options: OAuthServerOptions): OAuthServer {
  const resource = `${options.publicBaseUrl}${OB_API_PATH}`;
  const configuration: Configuration = {
    adapter: oauthAdapterClass(options.oauthStore),
    jwks: { keys: [derivedSigningJwk(options.masterKey) as never] },
    cookies: { keys: [derived(options.masterKey, 'cookies').toString('base64url')] },
    scopes: ['openid', 'offline_access', ...ALL_OB_SCOPES],
    claims: { openid: ['sub'] },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'EdDSA',
    },
    // Client secrets are stored hashed, so nothing may use one as a key: no client_secret_jwt, no HMAC algorithm for
    // client assertions or request objects (the symmetric uses this configuration could otherwise reach).
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    enabledJWA: { clientAuthSigningAlgValues: ASYMMETRIC_SIGNING_ALGS, requestObjectSigningAlgValues: ASYMMETRIC_SIGNING_ALGS },
    pkce: { required: () => true },
    // The library refuses a token request from a page whose origin it does not allow for the client; the hub's policy
    // is one allow-list for every client (the gateway answers CORS, gateway/cors.ts).
    clientBasedCORS: (_ctx, origin) => options.corsAllowedOrigins.includes(origin),
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false },
      // A client revokes only its own tokens; anyone else's is ignored (RFC 7009 still answers 200).
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      resourceIndicators: {
        enabled: true,
        // Clients of the OB API rarely send `resource`: every authorization is for the OB API.
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== resource) throw new errors.InvalidTarget(`the only resource here is ${resource}`);
          return { scope: ALL_OB_SCOPES.join(' '), audience: resource, accessTokenFormat: 'opaque', accessTokenTTL: 3600 };
        },
      },
    },
    // The OB API serves wallets that sync in the background: every client allowed the grant gets a refresh token,
    // and tokens do not end with the browser sign-in that granted them.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    ttl: { AccessToken: 3600, AuthorizationCode: 600, Interaction: 3600, Session: DAY, Grant: 365 * DAY, RefreshToken: 90 * DAY, IdToken: 3600 },
    findAccount: async (_ctx, sub) => {
      const recipientId = await options.obApiStore.currentRecipientId(sub);
      return recipientId ? { accountId: sub, claims: () => ({ sub }) } : undefined;
    },
    interactions: { url: (_ctx, interaction) => `${OAUTH_PATH}/interaction/${interaction.uid}` },
    renderError: (ctx: KoaContextWithOIDC, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><meta charset="utf-8"><title>Authorization failed</title><h1>Authorization failed</h1><p>${escapeHtml(String(out.error_description ?? out.error))}</p>`;
    },
  };
  const provider = new Provider(`${options.publicBaseUrl}${OAUTH_PATH}`, configuration);
  // Behind the gateway: the public origin arrives as X-Forwarded-Host/Proto (set in routes.ts from PUBLIC_BASE_URL).
  provider.proxy = true;
  // The stored secret is a hash (oauth-adapter.ts): a presented secret is hashed and compared in constant time.
  provider.Client.prototype.compareClientSecret = function compareHashed(this: { clientSecret?: string }, presented: string) {
    const stored = Buffer.from(this.clientSecret ?? '');
    const given = Buffer.from(hashClientSecret(presented));
    return stored.length === given.length && timingSafeEqual(stored, given);
  };
  // Reading a registration back (RFC 7592) would show the hash as the secret: the secret was shown once, at registration.
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'client' && ctx.body && typeof ctx.body === 'object') delete (ctx.body as Record<string, unknown>).client_secret;
  });
  return { provider, resource };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
