import { loadConfig } from '../../lib/config/env.js';
import type { DatabaseOptions } from '../../lib/db/client.js';
import { createTestDatabase, type TestDatabase } from '../../lib/db/test-db.js';
import { EventFeed } from '../../lib/events/feed.js';
import { silentLogger } from '../../lib/log.js';
import type { ServiceDeps } from '../../lib/server/types.js';

/**
 * Service dependencies over a fresh test database, with a fast-polling event feed (every 250 ms, so a test never
 * waits long for news it missed; benchmarks pass the production interval).
 */
export async function createTestDeps(
  env: NodeJS.ProcessEnv = {},
  options: DatabaseOptions & { pollIntervalMs?: number } = {},
): Promise<ServiceDeps & { testDb: TestDatabase; dispose(): Promise<void> }> {
  const { pollIntervalMs = 250, ...databaseOptions } = options;
  const testDb = await createTestDatabase(process.env, databaseOptions);
  const feed = new EventFeed(testDb.database, pollIntervalMs);
  await feed.start();
  return {
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env }),
    database: testDb.database,
    feed,
    log: silentLogger(),
    testDb,
    async dispose() {
      await feed.close();
      await testDb.dispose();
    },
  };
}
