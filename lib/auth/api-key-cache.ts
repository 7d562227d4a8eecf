import { LRUCache } from 'lru-cache';
import type { Database } from '../db/client.js';
import { authenticateApiKey, readKeyRow } from './api-keys.js';
import type { ApiKeyRow } from './tables.js';
import type { Viewer } from './viewer.js';

/** Where the database says a key changed (revoked, re-roled, moved, deleted): the trigger of migration 0020. */
export const API_KEY_CHANGES_CHANNEL = 'cairn_api_key_changes';

export interface ApiKeyCacheOptions {
  /** @default 10_000 // keys remembered; the least recently used goes first */
  maxKeys?: number;
  /**
   * @default 60_000 // ms a remembered row is trusted at most: the bound on a change whose notification was lost
   * while the LISTEN connection was being re-established (it is cleared there too)
   */
  maxAgeMs?: number;
}

/**
 * The gateway's key check without a database read per request: rows of live keys are remembered, and every change to
 * a key reaches every replica as a notification from the database (a trigger on `auth.api_keys`), which forgets it.
 * A revocation takes effect everywhere within the notification's delivery; a lost notification is bounded by
 * `maxAgeMs`, and a re-established LISTEN connection forgets everything. Unknown keys are not remembered, so
 * guessing costs a read as before. The secret is still compared on every request.
 */
export async function createApiKeyCache(database: Database, options: ApiKeyCacheOptions = {}) {
  const rows = new LRUCache<string, ApiKeyRow>({ max: options.maxKeys ?? 10_000, ttl: options.maxAgeMs ?? 60_000 });
  // Bumped by every forgetting: a read that began before it must not remember what it read.
  let generation = 0;
  const forget = (lookupId?: string) => {
    generation += 1;
    if (lookupId === undefined) rows.clear();
    else rows.delete(lookupId);
  };
  const unlisten = await database.listen(API_KEY_CHANGES_CHANNEL, (lookupId) => forget(lookupId), () => forget());

  async function rowOf(lookupId: string): Promise<ApiKeyRow | null> {
    const remembered = rows.get(lookupId);
    if (remembered) return remembered;
    const readAt = generation;
    const row = await readKeyRow(database.db, lookupId);
    if (row && readAt === generation) rows.set(lookupId, row);
    return row;
  }

  return {
    authenticate: (token: string): Promise<Viewer | null> => authenticateApiKey(database.db, token, rowOf),
    close: () => unlisten(),
  };
}
