import { and, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { oauthRecords, type OAuthRecordRow } from './oauth-tables.js';

/** The columns a record may be found by besides its id. */
type LookupColumn = 'uid' | 'userCode';

const live = () => or(isNull(oauthRecords.expiresAt), gt(oauthRecords.expiresAt, sql`now()`));

/** The only SQL for the OAuth server's records (see `ob-api/oauth-adapter.ts`, which speaks the library's contract). */
export function createOAuthStore(db: Db) {
  async function findOne(model: string, column: 'id' | LookupColumn, value: string): Promise<OAuthRecordRow | null> {
    const [row] = await db
      .select()
      .from(oauthRecords)
      .where(and(eq(oauthRecords.model, model), eq(oauthRecords[column], value), live()))
      .limit(1);
    return row ?? null;
  }

  return {
    /** Insert or replace: the library saves a record again whenever it changes (sessions, grants, rotated tokens). */
    async upsert(model: string, id: string, payload: Record<string, unknown>, expiresAt: Date | null): Promise<void> {
      const lookups = {
        grantId: typeof payload.grantId === 'string' ? payload.grantId : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
      };
      await db
        .insert(oauthRecords)
        .values({ model, id, payload, expiresAt, ...lookups })
        .onConflictDoUpdate({ target: [oauthRecords.model, oauthRecords.id], set: { payload, expiresAt, ...lookups } });
    },

    find: (model: string, id: string) => findOne(model, 'id', id),
    findBy: (model: string, column: LookupColumn, value: string) => findOne(model, column, value),

    async consume(model: string, id: string): Promise<void> {
      await db.update(oauthRecords).set({ consumedAt: sql`now()` }).where(and(eq(oauthRecords.model, model), eq(oauthRecords.id, id)));
    },

    async destroy(model: string, id: string): Promise<void> {
      await db.delete(oauthRecords).where(and(eq(oauthRecords.model, model), eq(oauthRecords.id, id)));
    },

    /** Every code and token of a grant, whatever its model: what revoking a grant means. */
    async revokeByGrantId(grantId: string): Promise<void> {
      await db.delete(oauthRecords).where(eq(oauthRecords.grantId, grantId));
    },

    /** Expired records are never read again (`find` skips them); this only reclaims their space. */
    async deleteExpired(before: Date): Promise<number> {
      const deleted = await db.delete(oauthRecords).where(lt(oauthRecords.expiresAt, before)).returning({ id: oauthRecords.id });
      return deleted.length;
    },
  };
}

export type OAuthStore = ReturnType<typeof createOAuthStore>;
