import { createDatabase } from '../lib/db/client.js';
import { migrate } from '../lib/db/migrate.js';
import { loadConfigOrExit } from '../lib/server/run-service.js';
import { rebuildProgramMetrics } from '../subgraphs/verification/services/metrics-rebuild.js';

/**
 * `npm run metrics:rebuild`: replays the whole event log (from cursor 0) into a new generation of the program-metric
 * projections while the hub keeps serving the current one, then swaps them in one transaction (docs/metrics.md,
 * "Rebuilding"). Run it after changing how a metric is projected; it is safe beside running hubs.
 */
const config = loadConfigOrExit();
const database = await createDatabase(config.db);
try {
  await migrate(database.db);
  const started = Date.now();
  let reported = 0;
  const report = await rebuildProgramMetrics(database.db, (events) => {
    if (events - reported < 10_000) return;
    reported = events;
    console.log(`  ${events} events replayed…`);
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `Rebuilt program metrics as generation ${report.generation} from ${report.events} events in ${seconds.toFixed(1)} s ` +
      `(${Math.round(report.events / Math.max(seconds, 0.001))} events/s); generation ${report.retired} retired, live consumer handed over at cursor ${report.handedOverAt}.`,
  );
} finally {
  await database.close();
}
