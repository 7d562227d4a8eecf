import { and, asc, count, getTableColumns, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Page, PageRequest } from '../graphql/pagination.js';
import { queryableIds } from '../ids.js';
import type { Db } from './client.js';

interface PagedTable<T extends PgTable> {
  table: T;
  id: PgColumn;
}

/**
 * One page of a whole table (optionally filtered), ordered by its time-ordered id. Rows and total come from one
 * statement, so one snapshot: a row committing in between can never give a total that disagrees with the edges.
 * The count is the right side of a right join whose condition selects the page, so an empty page still carries it.
 */
export async function pageOf<T extends PgTable>(
  db: Db,
  { table, id }: PagedTable<T>,
  request: PageRequest,
  filter?: SQL,
): Promise<Page<T['$inferSelect']>> {
  const counted = db.select({ total: count().as('total') }).from(table as PgTable).where(filter).as('counted');
  const onPage = and(filter, request.afterId ? gt(id, request.afterId) : undefined) ?? sql`true`;
  const joined = await db
    .select({ row: table as PgTable, total: counted.total })
    .from(table as PgTable)
    .rightJoin(counted, onPage)
    .orderBy(asc(id))
    .limit(request.limit);
  const rows = joined.flatMap(({ row }) => (row ? [row as T['$inferSelect']] : []));
  return { rows, totalCount: Number(joined[0]?.total ?? 0) };
}

/**
 * The same page for many parents at once, for a list-by-parent DataLoader batch: one statement whatever the number
 * of parents (one snapshot, as in pageOf), window functions giving each parent's total and cutting its rows at the
 * page size. Each parent's first row is always returned, to carry its total even when no row is on its page.
 * Pages are keyed by lowercased parent id.
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
  const afterCursor = request.afterId ? gt(id, request.afterId) : sql`true`;
  const ranked = db
    .select({
      ...getTableColumns(table as PgTable),
      total: sql<number>`count(*) over (partition by ${parent})`.as('total'),
      position: sql<number>`row_number() over (partition by ${parent} order by ${id})`.as('position'),
      // The rank among this parent's rows after the cursor; 0 for rows before it.
      rank: sql<number>`count(*) filter (where ${afterCursor}) over (partition by ${parent} order by ${id})`.as('rank'),
      onPage: sql<boolean>`${afterCursor}`.as('on_page'),
    })
    .from(table as PgTable)
    .where(inArray(parent, ids))
    .as('ranked');
  const rows = (await db
    .select()
    .from(ranked)
    .where(sql`(${ranked.onPage} and ${ranked.rank} <= ${request.limit}) or ${ranked.position} = 1`)
    .orderBy(asc(ranked.position))) as Record<string, unknown>[];

  const parentKey = Object.entries(getTableColumns(table as PgTable)).find(([, column]) => column === parent)?.[0];
  if (!parentKey) throw new TypeError(`pagesByParent: column ${parent.name} is not a column of the paged table`);
  // Rows arrive in position order, so each parent's rows are already in id order.
  for (const { total, position: _position, rank, onPage, ...row } of rows) {
    const page = pages.get(row[parentKey] as string);
    if (!page) continue;
    page.totalCount = Number(total);
    if (onPage && Number(rank) <= request.limit) page.rows.push(row as T['$inferSelect']);
  }
  return pages;
}
