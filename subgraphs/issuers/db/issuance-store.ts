import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { jsonRecordset } from '../../../lib/db/json-rows.js';
import { rowsOf } from '../../../lib/db/rows.js';
import { isUuid, queryableIds } from '../../../lib/ids.js';
import {
  achievementVersions,
  hostedVisibility,
  issuedCredentials,
  issuedCredentialStatusColumns,
  statusLists,
  type AchievementVersionRow,
  type IssuedCredentialRow,
  type IssuedCredentialStatusRow,
  type NewIssuedCredentialRow,
  type StatusListRow,
} from './tables.js';

/** Queries behind issuance: the projected achievement versions, the status lists and the ledger. */
export function createIssuanceStore(db: Db) {
  return {
    /** The newest published, unarchived version of an achievement: what new credentials are issued from. */
    async currentAchievementVersion(achievementId: string): Promise<AchievementVersionRow | null> {
      if (!isUuid(achievementId)) return null;
      const [row] = await db
        .select()
        .from(achievementVersions)
        .where(and(eq(achievementVersions.achievementId, achievementId), isNull(achievementVersions.archived)))
        .orderBy(desc(achievementVersions.version))
        .limit(1);
      return row ?? null;
    },

    async achievementVersion(achievementId: string, version: number): Promise<AchievementVersionRow | null> {
      const [row] = await db
        .select()
        .from(achievementVersions)
        .where(and(eq(achievementVersions.achievementId, achievementId), eq(achievementVersions.version, version)))
        .limit(1);
      return row ?? null;
    },

    async insertAchievementVersion(tx: Db, row: typeof achievementVersions.$inferInsert): Promise<void> {
      await tx.insert(achievementVersions).values(row).onConflictDoNothing();
    },

    async isArchived(achievementId: string): Promise<boolean> {
      if (!isUuid(achievementId)) return false;
      const [row] = await db
        .select({ version: achievementVersions.version })
        .from(achievementVersions)
        .where(and(eq(achievementVersions.achievementId, achievementId), isNotNull(achievementVersions.archived)))
        .limit(1);
      return row !== undefined;
    },

    /** Archiving stops new issuance; the versions stay, because credentials embed them. */
    async archiveAchievement(tx: Db, achievementId: string, at: Date): Promise<void> {
      await tx
        .update(achievementVersions)
        .set({ archived: at })
        .where(and(eq(achievementVersions.achievementId, achievementId), isNull(achievementVersions.archived)));
    },

    /** Ledger rows without their documents (`Credential.issuance` for every credential of a candidate view). */
    async findCredentialStatuses(ids: readonly string[]): Promise<IssuedCredentialStatusRow[]> {
      const queryable = queryableIds(ids);
      if (queryable.length === 0) return [];
      return db.select(issuedCredentialStatusColumns).from(issuedCredentials).where(inArray(issuedCredentials.id, queryable));
    },

    async findCredential(id: string): Promise<IssuedCredentialRow | null> {
      if (!isUuid(id)) return null;
      const [row] = await db.select().from(issuedCredentials).where(eq(issuedCredentials.id, id)).limit(1);
      return row ?? null;
    },

    async findByIdempotencyKey(issuerId: string, idempotencyKey: string): Promise<IssuedCredentialRow | null> {
      const [row] = await db
        .select()
        .from(issuedCredentials)
        .where(and(eq(issuedCredentials.issuerId, issuerId), eq(issuedCredentials.idempotencyKey, idempotencyKey)))
        .limit(1);
      return row ?? null;
    },

    /**
     * Records a ledger row and its hosted copy's visibility: PRIVATE, holder unknown, until the credential reaches
     * its holder's wallet (the wallet's choice then governs it, consumers/hosted-visibility.ts).
     */
    async insertCredential(tx: Db, row: NewIssuedCredentialRow): Promise<IssuedCredentialRow> {
      const [inserted] = await tx.insert(issuedCredentials).values(row).returning();
      await tx.insert(hostedVisibility).values({ credentialId: inserted!.id, visibility: 'PRIVATE' });
      return inserted!;
    },

    /**
     * Inserts many ledger rows and their hosted copies in one statement; a row whose (issuer, idempotency key) is
     * recorded already is skipped. Returns the ids and keys of those inserted (not the documents: the caller has them).
     */
    async insertCredentialsUnlessIssued(tx: Db, rows: NewIssuedCredentialRow[]): Promise<{ id: string; idempotencyKey: string }[]> {
      if (rows.length === 0) return [];
      const { columns, select } = jsonRecordset(issuedCredentials, rows);
      const inserted = await tx.execute(sql`
        with inserted as (
          insert into ${issuedCredentials} (${columns}) ${select} on conflict (issuer_id, idempotency_key) do nothing returning id, idempotency_key
        ), hosted as (
          insert into ${hostedVisibility} (credential_id, visibility) select id, 'PRIVATE' from inserted
        )
        select id, idempotency_key from inserted`);
      return rowsOf<{ id: string; idempotency_key: string }>(inserted).map((row) => ({ id: row.id, idempotencyKey: row.idempotency_key }));
    },

    /** The ledger's credentials under any of these idempotency keys of one issuer. */
    async findByIdempotencyKeys(
      issuerId: string,
      idempotencyKeys: readonly string[],
      tx: Db = db,
    ): Promise<{ id: string; idempotencyKey: string; requestHash: string }[]> {
      if (idempotencyKeys.length === 0) return [];
      return tx
        .select({ id: issuedCredentials.id, idempotencyKey: issuedCredentials.idempotencyKey, requestHash: issuedCredentials.requestHash })
        .from(issuedCredentials)
        .where(and(eq(issuedCredentials.issuerId, issuerId), inArray(issuedCredentials.idempotencyKey, [...idempotencyKeys])));
    },

    /** The ledger row, locked until the caller's transaction ends: status changes decide on what they hold. */
    async lockCredential(tx: Db, id: string): Promise<IssuedCredentialRow | null> {
      const [row] = await tx.select().from(issuedCredentials).where(eq(issuedCredentials.id, id)).for('update');
      return row ?? null;
    },

    async updateStatus(tx: Db, id: string, change: { status: IssuedCredentialRow['status']; reason: string | null }): Promise<IssuedCredentialRow> {
      const [row] = await tx
        .update(issuedCredentials)
        .set({ status: change.status, statusReason: change.reason, statusChangedAt: sql`now()` })
        .where(eq(issuedCredentials.id, id))
        .returning();
      return row!;
    },

    /** Which of `indexes` of a list a credential holds already. */
    async takenIndexes(listId: string, indexes: readonly number[]): Promise<Set<number>> {
      if (indexes.length === 0) return new Set();
      const rows = await db
        .select({ index: issuedCredentials.statusListIndex })
        .from(issuedCredentials)
        .where(and(eq(issuedCredentials.statusListId, listId), inArray(issuedCredentials.statusListIndex, [...indexes])));
      return new Set(rows.map((row) => row.index));
    },

    async findStatusList(id: string): Promise<StatusListRow | null> {
      if (!isUuid(id)) return null;
      const [row] = await db.select().from(statusLists).where(eq(statusLists.id, id)).limit(1);
      return row ?? null;
    },

    /** How far the issuer's newest list of a purpose (the one being filled; older ones are full) is filled. */
    async newestStatusListFill(issuerId: string, purpose: StatusListRow['purpose'], tx: Db = db): Promise<StatusListFill | null> {
      const [row] = await tx
        .select({ id: statusLists.id, length: statusLists.length, allocated: statusLists.allocated })
        .from(statusLists)
        .where(and(eq(statusLists.issuerId, issuerId), eq(statusLists.purpose, purpose)))
        .orderBy(desc(statusLists.id))
        .limit(1);
      return row ?? null;
    },

    /**
     * Takes the next `count` counters of the issuer's newest list of a purpose in one statement, so concurrent
     * takers (in any process) get disjoint ranges; the row is locked for that statement only. Null when there is
     * no list or it has fewer than `count` counters left.
     */
    async takeCounterRange(issuerId: string, purpose: StatusListRow['purpose'], count: number): Promise<CounterRange | null> {
      const newest = db
        .select({ id: statusLists.id })
        .from(statusLists)
        .where(and(eq(statusLists.issuerId, issuerId), eq(statusLists.purpose, purpose)))
        .orderBy(desc(statusLists.id))
        .limit(1);
      const [row] = await db
        .update(statusLists)
        .set({ allocated: sql`${statusLists.allocated} + ${count}` })
        .where(and(eq(statusLists.id, newest), sql`${statusLists.allocated} + ${count} <= ${statusLists.length}`))
        .returning({ listId: statusLists.id, length: statusLists.length, key: statusLists.indexKey, holdsRandomPicks: statusLists.holdsRandomPicks, allocated: statusLists.allocated });
      if (!row) return null;
      const { allocated, ...list } = row;
      return { ...list, first: allocated - count, count };
    },

    async lockStatusListById(tx: Db, id: string): Promise<StatusListRow | null> {
      const [row] = await tx.select().from(statusLists).where(eq(statusLists.id, id)).for('update');
      return row ?? null;
    },

    /** Serialises the opening of an issuer's lists of one purpose until the caller's transaction ends. */
    async lockStatusListsOf(tx: Db, issuerId: string, purpose: StatusListRow['purpose']): Promise<void> {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`status-lists:${issuerId}:${purpose}`}))`);
    },

    async insertStatusList(tx: Db, row: typeof statusLists.$inferInsert): Promise<StatusListRow> {
      const [inserted] = await tx.insert(statusLists).values(row).returning();
      return inserted!;
    },

    async saveStatusBits(tx: Db, id: string, bits: Buffer): Promise<void> {
      await tx
        .update(statusLists)
        .set({ bits, revision: sql`${statusLists.revision} + 1`, updatedAt: sql`now()` })
        .where(eq(statusLists.id, id));
    },
  };
}

export type IssuanceStore = ReturnType<typeof createIssuanceStore>;

export type StatusListFill = Pick<StatusListRow, 'id' | 'length' | 'allocated'>;

/** Counters `first` … `first + count - 1` of a list, taken for one caller. */
export interface CounterRange {
  listId: string;
  length: number;
  key: Buffer;
  holdsRandomPicks: boolean;
  first: number;
  count: number;
}
