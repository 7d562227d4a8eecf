import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../lib/log.js';
import { bootstrap, exitAsFailedStart, loadConfigOrExit } from '../lib/server/run-service.js';
import { startHub } from './hub.js';
import { ScenarioAlreadySeeded, seedScenario } from './scenario/seed.js';

/**
 * `npm run seed:scenario`: the scenario programme (scripts/scenario/) on the configured database, through a hub
 * started here on the configured ports (stop `npm start` first: the embedded database has one user at a time).
 * SCENARIO_RECIPIENTS sets its size (default 2,000). Keys go to `.data/scenario-keys.json` and are printed.
 */
const config = loadConfigOrExit();
const log = createLogger(config.log, { service: 'seed-scenario' });
/** @default 2000 */
const recipients = Number(process.env.SCENARIO_RECIPIENTS ?? 2000);

async function main() {
  if (!Number.isSafeInteger(recipients) || recipients < 1) throw new Error('SCENARIO_RECIPIENTS must be a whole number of at least 1');
  const deps = await bootstrap(config, log);
  const hub = await startHub(deps);
  const started = Date.now();
  try {
    const { keys, plan } = await seedScenario(deps.database.db, hub.gateway.url, { learners: recipients, log });
    const dataDir = config.db.kind === 'pglite' && config.db.dataDir ? config.db.dataDir : '.data';
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, 'scenario-keys.json');
    writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    const seconds = Math.round((Date.now() - started) / 1000);
    process.stdout.write(
      [
        '',
        `  Scenario seeded in ${seconds} s: ${plan.learners.length} recipients, ${plan.awards.length} credentials over twelve months (keys kept in ${file}).`,
        '  Start the hub (npm start) and sign in at http://localhost:4000/dashboard with an issuer key:',
        ...keys.issuers.map((issuer) => `    ${issuer.name.padEnd(34)} ${issuer.key}`),
        `  or the operator key (choose the issuer): ${keys.admin}`,
        '',
      ].join('\n'),
    );
  } catch (error) {
    if (!(error instanceof ScenarioAlreadySeeded)) throw error;
    process.stderr.write(`\n  ${error.message}\n\n`);
    process.exitCode = 1;
  } finally {
    await hub.close();
    await deps.close();
  }
}

main().catch(exitAsFailedStart(log, 'seed-scenario'));
