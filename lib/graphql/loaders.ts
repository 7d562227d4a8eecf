import DataLoader from 'dataloader';

/**
 * The two DataLoader shapes every subgraph needs. Batch functions return one value per key, in key order
 * (dataloader's contract); ids match case-insensitively because PostgreSQL returns uuids in lowercase.
 */

/** One row per id, or null when there is none: for entity references and `thing(id)` queries. */
export function createByIdLoader<Row>(find: (ids: readonly string[]) => Promise<Row[]>, idOf: (row: Row) => string): DataLoader<string, Row | null> {
  return new DataLoader<string, Row | null>(async (ids) => {
    const byId = new Map((await find(ids)).map((row) => [idOf(row).toLowerCase(), row]));
    return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
  });
}

/** Every row of each parent (an unpaged list-by-parent), in the order `find` returns them; [] for none. */
export function createGroupedLoader<Row>(find: (parentIds: readonly string[]) => Promise<Row[]>, parentOf: (row: Row) => string): DataLoader<string, Row[]> {
  return new DataLoader<string, Row[]>(async (parentIds) => {
    const groups = new Map<string, Row[]>();
    for (const row of await find(parentIds)) {
      const parentId = parentOf(row).toLowerCase();
      const group = groups.get(parentId);
      if (group) group.push(row);
      else groups.set(parentId, [row]);
    }
    return parentIds.map((id) => groups.get(id.toLowerCase()) ?? []);
  });
}
