/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * SQLSTATEs after which the same request can succeed a moment later or on a fresh connection: the server ended the
 * session (pg_terminate_backend, a failover, a restart), refused new ones for now, or gave up on a lock, a conflict
 * or a deadline. Class 08 (connection exception) is matched as a whole.
 */
const TRANSIENT_SQLSTATES = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
  '55P03', // lock_not_available: lock_timeout
  '57014', // query_canceled: statement_timeout
  '25P03', // idle_in_transaction_session_timeout
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** postgres.js's codes for a connection it lost or could not open, and the socket errors beneath them. */
const CONNECTION_LOST_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'CONNECT_TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Every `code` along the cause chain: drivers differ in where they put it, and drizzle wraps driver errors in `cause`. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/** True when a query failed on a unique constraint. */
export function isUniqueViolation(error: unknown): boolean {
  return codesOf(error).includes(UNIQUE_VIOLATION);
}

/** True when the connection under a query was lost or could not be opened: nothing about the request itself. */
export function isConnectionLost(error: unknown): boolean {
  return codesOf(error).some((code) => CONNECTION_LOST_CODES.has(code) || code.startsWith('08') || code === '57P01' || code === '57P02');
}

/** True when retrying the same request later can succeed: a lost connection, a timeout, a conflict or a deadlock. */
export function isTransientDatabaseError(error: unknown): boolean {
  return isConnectionLost(error) || codesOf(error).some((code) => TRANSIENT_SQLSTATES.has(code));
}
