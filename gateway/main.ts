import 'reflect-metadata';
import { createLogger } from '../lib/log.js';
import { bootstrap, exitAsFailedStart, loadConfigOrExit } from '../lib/server/run-service.js';
import { registerShutdown } from '../lib/server/shutdown.js';
import { startGateway } from './gateway.js';

/** Entry point of the gateway running as its own process. */
const config = loadConfigOrExit();
const log = createLogger(config.log, { service: 'gateway' });

async function main() {
  const deps = await bootstrap(config, log);
  const gateway = await startGateway({ config, database: deps.database, log });
  registerShutdown(log, [deps.close, gateway.close]);
}

main().catch(exitAsFailedStart(log, 'gateway'));
