import { createDatabase } from '../lib/db/client.js';
import { migrate } from '../lib/db/migrate.js';
import { listDeadLetters, requestDeadLetterRetry } from '../lib/events/dead-letters.js';
import { loadConfigOrExit } from '../lib/server/run-service.js';

/**
 * `npm run dead-letters` lists the events consumers gave up on (`-- <consumer>` for one consumer's);
 * `npm run dead-letters -- retry [<consumer> [<cursor>]]` asks the running consumers to apply them once more
 * (a letter that fails again stays listed, with one attempt more and its new error).
 */
const config = loadConfigOrExit();
const [command, ...rest] = process.argv.slice(2);
const database = await createDatabase(config.db);
try {
  await migrate(database.db);
  if (command === 'retry') {
    const [consumer, cursor] = rest;
    if (cursor !== undefined && !/^\d+$/.test(cursor)) throw new Error(`"${cursor}" is not an event cursor`);
    const requested = await requestDeadLetterRetry(database.db, { consumer, cursor: cursor === undefined ? undefined : Number(cursor) });
    console.log(`Asked for ${requested} dead letter(s) to be applied again; the running consumers take them at their next wake-up.`);
  } else {
    const letters = await listDeadLetters(database.db, command);
    if (letters.length === 0) console.log('No dead letters.');
    for (const letter of letters) {
      const retry = letter.retryRequestedAt ? ` (retry requested ${letter.retryRequestedAt.toISOString()})` : '';
      console.log(`${letter.consumer} #${letter.cursor} ${letter.eventType}: ${letter.attempts} attempts, dead since ${letter.deadAt.toISOString()}${retry}\n  ${letter.lastError}`);
    }
  }
} finally {
  await database.close();
}
