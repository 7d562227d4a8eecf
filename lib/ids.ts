import { v7 as uuidv7 } from 'uuid';

/**
 * Time-ordered ids (UUIDv7): sorting by id is sorting by creation, so Relay cursors can be plain ids
 * and every list has a stable order without a second column.
 */
export function newId(): string {
  return uuidv7();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * The ids of a batch that can exist, lowercased as PostgreSQL returns them. One malformed id in an
 * `IN (...)` list would make PostgreSQL reject the whole statement and fail every other key of the batch.
 */
export function queryableIds(ids: readonly string[]): string[] {
  return [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
}
