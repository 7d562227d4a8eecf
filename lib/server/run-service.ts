import { loadConfig, ConfigError, type HubConfig } from '../config/env.js';
import { createDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { EventFeed } from '../events/feed.js';
import { bindPublicAddress, PublicAddressChangedError } from '../hub/public-address.js';
import { createLogger, type Logger } from '../log.js';
import { registerShutdown } from './shutdown.js';
import { startSubgraph } from './start-subgraph.js';
import type { ServiceDeps, SubgraphModule } from './types.js';

/**
 * Config, logger, database (migrated, bound to the hub's public address), event feed: what every Cairn process sets
 * up first.
 */
export async function bootstrap(config: HubConfig, log: Logger): Promise<ServiceDeps & { close(): Promise<void> }> {
  const database = await createDatabase(config.db);
  try {
    const applied = await migrate(database.db);
    await bindPublicAddress(database.db, config);
    log.info({ database: database.kind, migrationsApplied: applied, publicBaseUrl: config.publicBaseUrl }, 'database ready');
  } catch (error) {
    await database.close();
    throw error;
  }
  const feed = new EventFeed(database);
  await feed.start();
  return {
    config,
    database,
    feed,
    log,
    async close() {
      await feed.close();
      await database.close();
    },
  };
}

/** Reads the environment or exits with every problem listed. Only process entry points call this. */
export function loadConfigOrExit(): HubConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`❌ ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * How an entry point ends when it cannot start: a refusal the operator has to act on (a changed public address) is
 * printed as it is, like a configuration problem; anything else is logged as a crash.
 */
export function exitAsFailedStart(log: Logger, service: string): (error: unknown) => never {
  return (error) => {
    if (error instanceof PublicAddressChangedError) console.error(`❌ ${error.message}`);
    else log.fatal({ err: error }, `${service} failed to start`);
    process.exit(1);
  };
}

/** Entry point of a subgraph running as its own process (production: one container per service). */
export function runSubgraphProcess(module: SubgraphModule): void {
  const config = loadConfigOrExit();
  const log = createLogger(config.log, { service: module.name });
  const main = async () => {
    const deps = await bootstrap(config, log);
    const service = await startSubgraph(module, deps, { port: config.ports[module.name], host: config.host });
    registerShutdown(log, [deps.close, service.close]);
  };
  main().catch(exitAsFailedStart(log, module.name));
}
