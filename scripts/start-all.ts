import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { createLogger } from '../lib/log.js';
import { bootstrap, exitAsFailedStart, loadConfigOrExit } from '../lib/server/run-service.js';
import { registerShutdown } from '../lib/server/shutdown.js';
import { startHub } from './hub.js';
import { loadDemoKeys, saveDemoKeys, seedDemo, type DemoKeys } from './seed-demo.js';

/** `npm start`: the whole hub in one process, zero config, embedded database, demo data on first start. */
const config = loadConfigOrExit();
const log = createLogger(config.log, { service: 'cairn' });

function banner(graphiqlUrl: string, keys: DemoKeys | null): string {
  const lines = ['', '  Cairn is running.', '', `  GraphiQL:  ${graphiqlUrl}`];
  if (keys) {
    // Demo keys saved by an older release have no recipient key, employer id or variables; delete .data/ for a fresh demo.
    lines.push(
      '',
      '  Demo API keys (send as  Authorization: Bearer <key>; kept in .data/demo-keys.json):',
      `    admin      ${keys.admin}`,
      `    issuer     ${keys.issuer}   (owner of issuer ${keys.issuerId})`,
      `    employer   ${keys.employer}${keys.employerId ? `   (employerId ${keys.employerId})` : ''}`,
      ...(keys.recipient ? [`    recipient  ${keys.recipient}   (Ada Lovelace, recipientId ${keys.recipientId}, consented to that employer)`] : []),
      ...(keys.variables ? ['', "  Variables for the README examples (paste into GraphiQL's Variables pane):", `    ${JSON.stringify(keys.variables)}`] : []),
      '',
      '  Try it (README, "A query across all four subgraphs"):',
      `    curl -s ${graphiqlUrl} -H 'content-type: application/json' -H 'authorization: Bearer ${keys.admin}' \\`,
      `      -d '{"query":"{ issuers(first: 3) { edges { node { name achievements { totalCount } metrics { achievementsCreated } } } } }"}'`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function main() {
  const deps = await bootstrap(config, log);
  const hub = await startHub(deps);
  registerShutdown(log, [deps.close, hub.close]);
  const dataDir = config.db.kind === 'pglite' && config.db.dataDir ? config.db.dataDir : '.data';
  let keys = config.seedDemo ? loadDemoKeys(dataDir) : null;
  if (config.seedDemo && !keys) {
    const seeded = await seedDemo(deps.database.db, hub.gateway.url, config.publicBaseUrl, log);
    if (seeded) {
      mkdirSync(dataDir, { recursive: true });
      saveDemoKeys(dataDir, seeded);
      keys = seeded;
    }
  }
  const publicUrl = `http://localhost:${new URL(hub.gateway.url).port}/graphql`;
  process.stdout.write(banner(publicUrl, keys));
}

main().catch(exitAsFailedStart(log, 'cairn'));
