import { inArray } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { pagesByParent } from '../../../lib/db/paging.js';
import type { Page, PageRequest } from '../../../lib/graphql/pagination.js';
import { queryableIds } from '../../../lib/ids.js';
import { achievements, type AchievementRow, type NewAchievementRow } from './tables.js';

/** The only place the achievements subgraph talks SQL. Writes take the caller's transaction. */
export function createAchievementStore(db: Db) {
  return {
    async findByIds(ids: readonly string[]): Promise<AchievementRow[]> {
      const queryable = queryableIds(ids);
      if (queryable.length === 0) return [];
      return db.select().from(achievements).where(inArray(achievements.id, queryable));
    },

    /** The same page of achievements for each issuer, in two statements however many issuers there are. */
    async pagesByIssuer(issuerIds: readonly string[], request: PageRequest): Promise<Map<string, Page<AchievementRow>>> {
      return pagesByParent(db, { table: achievements, id: achievements.id, parent: achievements.issuerId }, issuerIds, request);
    },

    async insert(tx: Db, row: NewAchievementRow): Promise<AchievementRow> {
      const [inserted] = await tx.insert(achievements).values(row).returning();
      return inserted!;
    },
  };
}

export type AchievementStore = ReturnType<typeof createAchievementStore>;
