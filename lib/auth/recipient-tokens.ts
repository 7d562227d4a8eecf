import { and, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queryableIds } from '../ids.js';
import { createApiKey, type CreatedApiKey } from './api-keys.js';
import { apiKeys, type ApiKeyRow } from './tables.js';

/** @default 12 hours: a working day signed in, short enough that a forgotten browser tab does not stay a key for ever */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** A recipient's session after an e-mail sign-in: a RECIPIENT key that expires. */
export function createRecipientSession(tx: Db, recipientId: string, email: string, now = new Date()): Promise<CreatedApiKey> {
  return createApiKey(tx, {
    name: `sign-in as ${email}`,
    kind: 'SESSION',
    grant: { principal: 'RECIPIENT', recipientId },
    expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
  });
}

/** A token the recipient makes for their own scripts; shown once, like every key. */
export function createPersonalToken(db: Db, recipientId: string, name: string, expiresAt: Date | null): Promise<CreatedApiKey> {
  return createApiKey(db, { name, kind: 'PERSONAL_TOKEN', grant: { principal: 'RECIPIENT', recipientId }, expiresAt });
}

const live = () => and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)));

/** Each recipient's sessions and personal tokens that still work, oldest first (for `Recipient.accessTokens`). */
export async function liveTokensByRecipientIds(db: Db, recipientIds: readonly string[]): Promise<ApiKeyRow[]> {
  const valid = queryableIds(recipientIds);
  if (valid.length === 0) return [];
  return db
    .select()
    .from(apiKeys)
    .where(and(inArray(apiKeys.recipientId, valid), inArray(apiKeys.kind, ['SESSION', 'PERSONAL_TOKEN']), live()))
    .orderBy(apiKeys.id);
}

/**
 * Revokes one of the recipient's own sessions or personal tokens; null when the id is not theirs (so a recipient
 * cannot revoke, or learn about, anyone else's keys). Idempotent like `revokeApiKey`.
 */
export async function revokeRecipientToken(db: Db, recipientId: string, id: string): Promise<ApiKeyRow | null> {
  if (queryableIds([id]).length === 0) return null;
  const own = and(eq(apiKeys.id, id), eq(apiKeys.recipientId, recipientId), inArray(apiKeys.kind, ['SESSION', 'PERSONAL_TOKEN']));
  await db.update(apiKeys).set({ revokedAt: sql`now()` }).where(and(own, isNull(apiKeys.revokedAt)));
  const [row] = await db.select().from(apiKeys).where(own).limit(1);
  return row ?? null;
}

/**
 * After a merge the merged record's keys act for the survivor: they belong to the same person, and revoking them
 * would sign that person out of everything they had set up.
 */
export async function reassignRecipientKeys(tx: Db, fromRecipientId: string, toRecipientId: string): Promise<void> {
  await tx.update(apiKeys).set({ recipientId: toRecipientId }).where(eq(apiKeys.recipientId, fromRecipientId));
}
