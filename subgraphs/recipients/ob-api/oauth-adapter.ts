import { createHash } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { OAuthStore } from '../db/oauth-store.js';
import type { OAuthRecordRow } from '../db/oauth-tables.js';

/** @default 3_600_000 // how often a process reclaims expired records: an hour is plenty, reads already skip them */
const CLEANUP_INTERVAL_MS = 3_600_000;

/**
 * Models whose id is itself the bearer secret (an opaque token's value is its id). They are stored under a SHA-256
 * of the id and without the `jti` copy in the payload, like Cairn API keys: a copy of the database hands out no
 * live token. The secret is 256 random bits, so a fast hash is enough.
 */
const SECRET_MODELS = new Set(['AccessToken', 'RefreshToken', 'AuthorizationCode', 'RegistrationAccessToken', 'ClientCredentials', 'InitialAccessToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

const HASHED = 'sha256:';
const hashed = (id: string) => `${HASHED}${createHash('sha256').update(id).digest('base64url')}`;

/**
 * A registered client's secret is kept as its SHA-256 as well, never as given. oidc-provider generates every secret
 * (64 random bytes: a client cannot choose its own), so a fast hash suffices, as for API keys; the server compares a
 * presented secret by its hash (`oauth-server.ts`). Migration 0007 hashed the secrets stored before this.
 */
export const hashClientSecret = hashed;

/** The Client record as stored: its secret hashed (a secret already hashed is left as it is). */
function withHashedSecret(payload: AdapterPayload): AdapterPayload {
  const secret = payload.client_secret;
  return typeof secret === 'string' && !secret.startsWith(HASHED) ? { ...payload, client_secret: hashClientSecret(secret) } : payload;
}

function payloadOf(row: OAuthRecordRow | null, jti?: string): AdapterPayload | undefined {
  if (!row) return undefined;
  const payload = (jti ? { ...row.payload, jti } : row.payload) as AdapterPayload;
  // The library tells a used code or rotated refresh token by `consumed`; a second use then revokes the grant.
  return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload;
}

/**
 * oidc-provider's adapter contract (one instance per model name) over `recipients.oauth_records`. The library
 * builds the instances itself from the class, so the store is closed over here.
 */
export function oauthAdapterClass(store: OAuthStore, now: () => number = Date.now) {
  let lastCleanup = 0;
  return class DatabaseOAuthAdapter implements Adapter {
    private readonly secret: boolean;

    constructor(private readonly model: string) {
      this.secret = SECRET_MODELS.has(model);
    }

    private key(id: string): string {
      return this.secret ? hashed(id) : id;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
      const expiresAt = expiresIn ? new Date(now() + expiresIn * 1000) : null;
      const { jti: _jti, ...rest } = payload;
      const stored = this.secret ? rest : this.model === 'Client' ? withHashedSecret(payload) : payload;
      await store.upsert(this.model, this.key(id), stored as Record<string, unknown>, expiresAt);
      if (now() - lastCleanup > CLEANUP_INTERVAL_MS) {
        lastCleanup = now();
        await store.deleteExpired(new Date(now()));
      }
    }

    async find(id: string) {
      return payloadOf(await store.find(this.model, this.key(id)), this.secret ? id : undefined);
    }

    async findByUid(uid: string) {
      return payloadOf(await store.findBy(this.model, 'uid', uid));
    }

    async findByUserCode(userCode: string) {
      return payloadOf(await store.findBy(this.model, 'userCode', userCode));
    }

    async consume(id: string): Promise<void> {
      await store.consume(this.model, this.key(id));
    }

    async destroy(id: string): Promise<void> {
      await store.destroy(this.model, this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.revokeByGrantId(grantId);
    }
  };
}
