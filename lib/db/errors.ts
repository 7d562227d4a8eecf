/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * True when a query failed on a unique constraint. Drivers differ in where the SQLSTATE sits (drizzle wraps
 * driver errors in `cause`), so the whole cause chain is searched.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ((current as Error & { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
}
