import type { Request } from 'express';
import type { ObApiStore } from '../db/ob-api-store.js';
import type { ObScope } from './constants.js';
import { ImsxError } from './imsx.js';
import type { OAuthServer } from './oauth-server.js';

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The recipient an OB API request acts for, from its OAuth 2.0 access token (RFC 6750): the token must be live
 * (not expired, revoked or from a revoked grant: the library reads it through the database adapter), issued for
 * this API (audience) and carry `scope`. A missing or dead token is 401, a token without the scope 403.
 */
export function createBearerCheck(oauth: OAuthServer, obApiStore: ObApiStore) {
  const realm = `Bearer realm="${oauth.resource}"`;
  const invalid = (message: string) => new ImsxError(401, 'unauthorizedrequest', message, `${realm}, error="invalid_token"`);

  return async function recipientFor(req: Request, scope: ObScope): Promise<string> {
    const match = BEARER.exec(req.get('authorization')?.trim() ?? '');
    if (!match) throw new ImsxError(401, 'unauthorizedrequest', 'An OAuth 2.0 access token is required: Authorization: Bearer <token>', realm);
    const token = await oauth.provider.AccessToken.find(match[1]!);
    if (!token) throw invalid('The access token is not valid, has expired or has been revoked');
    const audiences = Array.isArray(token.aud) ? token.aud : [token.aud];
    if (!audiences.includes(oauth.resource)) throw invalid('The access token was not issued for this API');
    if (!(token.scope ?? '').split(' ').includes(scope)) {
      throw new ImsxError(403, 'forbidden', `The access token lacks the scope ${scope}`, `${realm}, error="insufficient_scope", scope="${scope}"`);
    }
    const recipientId = await obApiStore.currentRecipientId(token.accountId);
    if (!recipientId) throw invalid('The recipient this token was granted for no longer exists');
    return recipientId;
  };
}

export type BearerCheck = ReturnType<typeof createBearerCheck>;
