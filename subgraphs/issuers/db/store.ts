import { inArray } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { pageOf } from '../../../lib/db/paging.js';
import type { Page, PageRequest } from '../../../lib/graphql/pagination.js';
import { queryableIds } from '../../../lib/ids.js';
import { issuers, type IssuerRow, type NewIssuerRow } from './tables.js';

/** The only place the issuers subgraph talks SQL. Writes take the caller's transaction. */
export function createIssuerStore(db: Db) {
  return {
    async findByIds(ids: readonly string[]): Promise<IssuerRow[]> {
      const queryable = queryableIds(ids);
      if (queryable.length === 0) return [];
      return db.select().from(issuers).where(inArray(issuers.id, queryable));
    },

    page(request: PageRequest): Promise<Page<IssuerRow>> {
      return pageOf(db, { table: issuers, id: issuers.id }, request);
    },

    async insert(tx: Db, row: NewIssuerRow): Promise<IssuerRow> {
      const [inserted] = await tx.insert(issuers).values(row).returning();
      return inserted!;
    },
  };
}

export type IssuerStore = ReturnType<typeof createIssuerStore>;
