import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * Many rows for one INSERT as a single bind parameter: `select … from jsonb_to_recordset($1)`, to put after
 * `insert into <table> (<columnsOf>)`. drizzle builds a multi-row `values` list value by value, with several class
 * checks for each bind parameter, and a bulk chunk's 200 rows × 15 columns made that the hub's largest CPU cost
 * besides signing; here the rows cost one JSON.stringify. The columns are the keys the rows give (a row without one
 * gets null, not the column's default), named as the database names them, each read back with its column's type.
 */
export function jsonRecordset<T extends PgTable>(table: T, rows: readonly T['$inferInsert'][]): { columns: SQL; select: SQL } {
  const byKey = getTableColumns(table);
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row).filter((key) => (row as Record<string, unknown>)[key] !== undefined)))];
  const columns = keys.map((key) => {
    const column = byKey[key];
    if (!column) throw new TypeError(`${key} is not a column of the table`);
    const sqlType = column.getSQLType();
    if (sqlType === 'bytea') throw new TypeError(`${key}: bytea does not travel in JSON`);
    return { key, name: column.keyAsName ? toSnakeCase(column.name) : column.name, sqlType };
  });
  const json = JSON.stringify(rows.map((row) => Object.fromEntries(columns.map(({ key, name }) => [name, (row as Record<string, unknown>)[key] ?? null]))));
  const names = sql.join(
    columns.map(({ name }) => sql.identifier(name)),
    sql`, `,
  );
  const definitions = sql.join(
    columns.map(({ name, sqlType }) => sql`${sql.identifier(name)} ${sql.raw(sqlType)}`),
    sql`, `,
  );
  return { columns: names, select: sql`select ${names} from jsonb_to_recordset(${json}::jsonb) as row(${definitions})` };
}
