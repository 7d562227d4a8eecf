import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { pagesByParent } from '../db/paging.js';
import type { Page, PageRequest } from '../graphql/pagination.js';
import { newId } from '../ids.js';
import { apiKeys, type ApiKeyKind, type ApiKeyRow } from './tables.js';
import type { IssuerRole, PrincipalKind, Viewer } from './viewer.js';

const KEY_PREFIX = 'cairn';
const KEY_SHAPE = /^cairn_([A-Za-z0-9_-]{16})_([A-Za-z0-9_-]{43})$/;

/** A key's principal, as chosen by whoever creates it. */
export type ApiKeyGrant =
  | { principal: 'ADMIN' }
  | { principal: 'ISSUER'; issuerId: string; role: IssuerRole }
  | { principal: 'EMPLOYER'; employerId: string }
  | { principal: 'RECIPIENT'; recipientId: string };

export interface NewApiKey {
  name: string;
  grant: ApiKeyGrant;
  createdBy?: string | null;
  /** For ISSUER keys that belong to a named member of the issuer. */
  memberId?: string | null;
  /** @default 'KEY' */
  kind?: ApiKeyKind;
  /** When the key stops working; null for no expiry. */
  expiresAt?: Date | null;
}

/** The only moment the secret exists in plaintext: give it to the caller and forget it. */
export interface CreatedApiKey {
  row: ApiKeyRow;
  secret: string;
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Keys carry 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export async function createApiKey(db: Db, input: NewApiKey): Promise<CreatedApiKey> {
  const lookupId = randomBytes(12).toString('base64url');
  const secretPart = randomBytes(32).toString('base64url');
  const secret = `${KEY_PREFIX}_${lookupId}_${secretPart}`;
  const { grant } = input;
  const [row] = await db
    .insert(apiKeys)
    .values({
      id: newId(),
      lookupId,
      secretHash: hashSecret(secretPart),
      name: input.name,
      principal: grant.principal,
      issuerId: grant.principal === 'ISSUER' ? grant.issuerId : null,
      role: grant.principal === 'ISSUER' ? grant.role : null,
      employerId: grant.principal === 'EMPLOYER' ? grant.employerId : null,
      recipientId: grant.principal === 'RECIPIENT' ? grant.recipientId : null,
      createdBy: input.createdBy ?? null,
      memberId: input.memberId ?? null,
      kind: input.kind ?? 'KEY',
      expiresAt: input.expiresAt ?? null,
    })
    .returning();
  return { row: row!, secret };
}

/** @default 60_000 // how stale `lastUsedAt` may get: a minute is plenty to tell a live key from a forgotten one */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The key lookup every authenticated request makes, built once per database handle: drizzle otherwise rebuilds its
 * SQL from the query builder on every request, and PostgreSQL can keep one plan for the named statement. The gateway
 * reads through its cache (api-key-cache.ts), which keeps a revocation effective on the next request.
 */
const keyLookups = new WeakMap<Db, ReturnType<typeof prepareKeyLookup>>();
function prepareKeyLookup(db: Db) {
  return db.select().from(apiKeys).where(eq(apiKeys.lookupId, sql.placeholder('lookupId'))).limit(1).prepare('cairn_api_key_by_lookup_id');
}
function keyByLookupId(db: Db) {
  let lookup = keyLookups.get(db);
  if (!lookup) keyLookups.set(db, (lookup = prepareKeyLookup(db)));
  return lookup;
}

/**
 * The viewer a bearer token stands for, or null when it is not a live key.
 * `lastUsedAt` is refreshed at most once a minute so reads do not turn into a write per request.
 */
export async function authenticateApiKey(db: Db, token: string, rowOf: KeyRowSource = (lookupId) => readKeyRow(db, lookupId)): Promise<Viewer | null> {
  const match = KEY_SHAPE.exec(token);
  if (!match) return null;
  const [, lookupId, secretPart] = match;
  const row = await rowOf(lookupId!);
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
  const expected = Buffer.from(row.secretHash);
  const given = Buffer.from(hashSecret(secretPart!));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  // Decided from the row already read, so most requests issue no UPDATE at all; the condition in SQL keeps
  // concurrent requests (and clock skew between replicas) from writing more than once a minute.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
    // A remembered row (api-key-cache.ts) must not ask again on every request of the next minute.
    row.lastUsedAt = new Date();
  }
  return viewerOf(row);
}

/** Where `authenticateApiKey` finds a key's row by its public half: the database, or the gateway's cache in front of it. */
export type KeyRowSource = (lookupId: string) => Promise<ApiKeyRow | null>;

/** The key's row as the database has it now. */
export async function readKeyRow(db: Db, lookupId: string): Promise<ApiKeyRow | null> {
  const [row] = await keyByLookupId(db).execute({ lookupId });
  return row ?? null;
}

export function viewerOf(row: ApiKeyRow): Viewer {
  const kind: PrincipalKind = row.principal;
  switch (kind) {
    case 'ADMIN':
      return { kind, apiKeyId: row.id };
    case 'ISSUER':
      return { kind, apiKeyId: row.id, issuerId: row.issuerId!, role: row.role! };
    case 'EMPLOYER':
      return { kind, apiKeyId: row.id, employerId: row.employerId! };
    case 'RECIPIENT':
      return { kind, apiKeyId: row.id, recipientId: row.recipientId! };
  }
}

export async function findApiKey(db: Db, id: string): Promise<ApiKeyRow | null> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  return row ?? null;
}

/** Idempotent: revoking a revoked key keeps its first revocation time. */
export async function revokeApiKey(db: Db, id: string): Promise<ApiKeyRow | null> {
  await db.update(apiKeys).set({ revokedAt: sql`now()` }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
  return findApiKey(db, id);
}

/** A member's keys follow the member: a new role applies to them at once, removal revokes them. */
export async function updateMemberKeys(tx: Db, memberId: string, change: { role: IssuerRole } | { revoke: true }): Promise<void> {
  const active = and(eq(apiKeys.memberId, memberId), isNull(apiKeys.revokedAt));
  if ('role' in change) await tx.update(apiKeys).set({ role: change.role }).where(active);
  else await tx.update(apiKeys).set({ revokedAt: sql`now()` }).where(active);
}

/** Each issuer's page of API keys, for the `Issuer.apiKeys` list-by-parent loader. */
export function apiKeyPagesByIssuer(db: Db, issuerIds: readonly string[], request: PageRequest): Promise<Map<string, Page<ApiKeyRow>>> {
  return pagesByParent(db, { table: apiKeys, id: apiKeys.id, parent: apiKeys.issuerId }, issuerIds, request);
}
