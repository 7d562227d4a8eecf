import { and, asc, count, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { isUuid, queryableIds } from '../../../lib/ids.js';
import { members, type MemberRow } from './tables.js';

/** Issuer members. Removed members keep their row (their keys' history points at it). */
export function createMemberStore(db: Db) {
  return {
    async membersByIssuerIds(issuerIds: readonly string[]): Promise<MemberRow[]> {
      const ids = queryableIds(issuerIds);
      if (ids.length === 0) return [];
      return db.select().from(members).where(and(inArray(members.issuerId, ids), isNull(members.removedAt))).orderBy(asc(members.id));
    },

    async find(id: string): Promise<MemberRow | null> {
      if (!isUuid(id)) return null;
      const [row] = await db.select().from(members).where(eq(members.id, id)).limit(1);
      return row ?? null;
    },

    /** Locks the issuer's active members, so "keep one owner" checks cannot race each other. */
    async lockActive(tx: Db, issuerId: string): Promise<MemberRow[]> {
      return tx.select().from(members).where(and(eq(members.issuerId, issuerId), isNull(members.removedAt))).for('update');
    },

    async insert(tx: Db, row: typeof members.$inferInsert): Promise<MemberRow> {
      const [inserted] = await tx.insert(members).values(row).returning();
      return inserted!;
    },

    async update(tx: Db, id: string, change: Partial<Pick<MemberRow, 'role' | 'name'>> | { removed: true }): Promise<MemberRow> {
      const set = 'removed' in change ? { removedAt: sql`now()` } : change;
      const [row] = await tx.update(members).set(set).where(eq(members.id, id)).returning();
      return row!;
    },

    async countOtherOwners(tx: Db, issuerId: string, exceptMemberId: string): Promise<number> {
      const [row] = await tx
        .select({ value: count() })
        .from(members)
        .where(and(eq(members.issuerId, issuerId), eq(members.role, 'OWNER'), isNull(members.removedAt), ne(members.id, exceptMemberId)));
      return row?.value ?? 0;
    },
  };
}

export type MemberStore = ReturnType<typeof createMemberStore>;
