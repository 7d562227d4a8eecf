import { and, asc, count, getTableColumns, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Page, PageRequest } from '../graphql/pagination.js';
import { queryableIds } from '../ids.js';
import type { Db } from './client.js';

interface PagedTable<T extends PgTable> {
  table: T;
  id: PgColumn;
}

/** One page of a whole table (optionally filtered), ordered by its time-ordered id. */
export async function pageOf<T extends PgTable>(
  db: Db,
  { table, id }: PagedTable<T>,
  request: PageRequest,
  filter?: SQL,
): Promise<Page<T['$inferSelect']>> {
  const where = and(filter, request.afterId ? gt(id, request.afterId) : undefined);
  const rows = await db.select().from(table as PgTable).where(where).orderBy(asc(id)).limit(request.limit);
  const [total] = await db.select({ value: count() }).from(table as PgTable).where(filter);
  return { rows: rows as T['$inferSelect'][], totalCount: total?.value ?? 0 };
}

/**
 * The same page for many parents at once, for a list-by-parent DataLoader batch: two statements whatever the number
 * of parents, a window function cutting each parent's rows at the page size. Pages are keyed by lowercased parent id.
 */
export async function pagesByParent<T extends PgTable>(
  db: Db,
  { table, id, parent }: PagedTable<T> & { parent: PgColumn },
  parentIds: readonly string[],
  request: PageRequest,
): Promise<Map<string, Page<T['$inferSelect']>>> {
  const pages = new Map<string, Page<T['$inferSelect']>>(parentIds.map((parentId) => [parentId.toLowerCase(), { rows: [], totalCount: 0 }]));
  const ids = queryableIds(parentIds);
  if (ids.length === 0) return pages;
  const where = and(inArray(parent, ids), request.afterId ? gt(id, request.afterId) : undefined);
  const ranked = db
    .select({
      ...getTableColumns(table as PgTable),
      rank: sql<number>`row_number() over (partition by ${parent} order by ${id})`.as('rank'),
    })
    .from(table as PgTable)
    .where(where)
    .as('ranked');
  const rows = (await db.select().from(ranked).where(lte(ranked.rank, request.limit)).orderBy(asc(ranked.rank))) as Record<
    string,
    unknown
  >[];
  const totals = await db
    .select({ parentId: parent, value: count() })
    .from(table as PgTable)
    .where(inArray(parent, ids))
    .groupBy(parent);

  const parentKey = Object.entries(getTableColumns(table as PgTable)).find(([, column]) => column === parent)?.[0];
  if (!parentKey) throw new TypeError(`pagesByParent: column ${parent.name} is not a column of the paged table`);
  for (const total of totals) pages.get(total.parentId as string)!.totalCount = total.value;
  // Rows arrive in rank order, so each parent's rows are already in id order.
  for (const { rank: _rank, ...row } of rows) pages.get(row[parentKey] as string)?.rows.push(row as T['$inferSelect']);
  return pages;
}
