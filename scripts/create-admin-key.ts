import 'reflect-metadata';
import { createApiKey } from '../lib/auth/api-keys.js';
import { createDatabase } from '../lib/db/client.js';
import { migrate } from '../lib/db/migrate.js';
import { loadConfigOrExit } from '../lib/server/run-service.js';

/**
 * `npm run admin-key -- "<name>"`: mints an operator (ADMIN) key against the configured database and prints it
 * once. This is how a production hub, which seeds nothing, gets its first key; every later key is made with
 * `createApiKey` through the API.
 */
const config = loadConfigOrExit();
const name = process.argv[2]?.trim() || 'Operator';
const database = await createDatabase(config.db);
try {
  await migrate(database.db);
  const { row, secret } = await createApiKey(database.db, { name, grant: { principal: 'ADMIN' } });
  console.log(`Created ADMIN key "${name}" (id ${row.id}). It is shown only now:\n\n  ${secret}\n`);
} finally {
  await database.close();
}
