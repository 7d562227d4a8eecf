import { Router } from 'express';
import type { LimitsConfig } from '../../../lib/config/env.js';
import type { Logger } from '../../../lib/log.js';
import type { RateLimitStore } from '../../../lib/rate-limit/token-buckets.js';
import type { ObApiStore } from '../db/ob-api-store.js';
import type { IdentityService } from '../services/identity.js';
import type { WalletService } from '../services/wallet.js';
import { createBearerCheck } from './bearer.js';
import { OAUTH_PATH, OB_API_PATH } from './constants.js';
import { ImsxError, imsxErrorHandler } from './imsx.js';
import { createInteractionRoutes } from './interaction-routes.js';
import { createOAuthRateLimits } from './oauth-limits.js';
import type { OAuthServer } from './oauth-server.js';
import { createResourceRoutes } from './resource-routes.js';

export interface ObApiDeps {
  publicBaseUrl: string;
  maxBodyBytes: number;
  production: boolean;
  oauth: OAuthServer;
  /** Where the OAuth server's rate limits count (the hub's rate-limit store), and how much they allow. */
  rateLimit: { store: RateLimitStore; limits: LimitsConfig['oauth'] };
  identity: IdentityService;
  wallet: WalletService;
  obApiStore: ObApiStore;
  log: Logger;
}

/** The methods each resource path answers; any other method is 405 with `Allow`. */
const ALLOWED: Record<string, string> = { '/credentials': 'GET, POST', '/profile': 'GET, PUT', '/discovery': 'GET' };

/**
 * Everything under `/ims/ob/v3p0`: the OAuth 2.0 server (`/oauth/…`: authorization, token, registration,
 * revocation, and the sign-in/consent pages) and the OB API resources. The gateway forwards these paths with the
 * client's Authorization header untouched, since OAuth clients authenticate here, not with Cairn API keys.
 */
export function createObApiRoutes(deps: ObApiDeps): Router {
  const publicUrl = new URL(deps.publicBaseUrl);
  const router = Router();

  router.use(OB_API_PATH, (req, _res, next) => {
    // The OAuth server builds absolute URLs (redirects, issuer-relative endpoints) from the request's host; the
    // hub's public address is the only right one, whatever host the gateway used to reach this service.
    req.headers['x-forwarded-host'] = publicUrl.host;
    req.headers['x-forwarded-proto'] = publicUrl.protocol.replace(':', '');
    next();
  });
  router.use(`${OAUTH_PATH}/interaction`, createInteractionRoutes({ oauth: deps.oauth, identity: deps.identity }));
  router.use(createOAuthRateLimits(deps.rateLimit.store, deps.rateLimit.limits));
  router.use(OAUTH_PATH, deps.oauth.provider.callback());

  const resources = Router();
  resources.use(
    createResourceRoutes({
      publicBaseUrl: deps.publicBaseUrl,
      maxBodyBytes: deps.maxBodyBytes,
      recipientFor: createBearerCheck(deps.oauth, deps.obApiStore),
      obApiStore: deps.obApiStore,
      identity: deps.identity,
      wallet: deps.wallet,
    }),
  );
  resources.use((req, res, next) => {
    const allowed = ALLOWED[req.path];
    if (allowed) res.set('Allow', allowed);
    next(allowed ? new ImsxError(405, 'not_allowed', `${req.method} is not allowed here; use ${allowed}`) : new ImsxError(404, 'not_found', `No OB 3.0 API endpoint at ${req.path}`));
  });
  resources.use(imsxErrorHandler(deps.log, deps.production));
  router.use(OB_API_PATH, resources);
  return router;
}
