import type { SubgraphName } from '../lib/config/env.js';
import { startSubgraph, type RunningService } from '../lib/server/start-subgraph.js';
import type { ServiceDeps, SubgraphModule } from '../lib/server/types.js';
import { startGateway } from '../gateway/gateway.js';
import { achievements } from '../subgraphs/achievements/index.js';
import { issuers } from '../subgraphs/issuers/index.js';
import { recipients } from '../subgraphs/recipients/index.js';
import { verification } from '../subgraphs/verification/index.js';

export const SUBGRAPHS: Record<SubgraphName, SubgraphModule> = { issuers, achievements, recipients, verification };

export interface RunningHub {
  gateway: RunningService & { supergraphSdl: string };
  subgraphs: Record<SubgraphName, RunningService>;
  close(): Promise<void>;
}

/**
 * The whole hub in one process: four subgraphs and the gateway sharing one database handle.
 * `ephemeralPorts` lets tests run many hubs side by side.
 */
export async function startHub(deps: ServiceDeps, options: { ephemeralPorts?: boolean } = {}): Promise<RunningHub> {
  const { config } = deps;
  const portOf = (name: SubgraphName | 'gateway') => (options.ephemeralPorts ? 0 : config.ports[name]);
  // The verifier reads this hub's own documents (status lists, JWKs) from the issuers service, so on ephemeral
  // ports the issuers service starts first and the others are told where it is.
  const issuersService = await startSubgraph(issuers, deps, { port: portOf('issuers'), host: config.host });
  const peerDeps = { ...deps, config: Object.freeze({ ...config, subgraphUrls: { ...config.subgraphUrls, issuers: issuersService.url } }) };
  const others = await Promise.all(
    Object.values(SUBGRAPHS)
      .filter((module) => module !== issuers)
      .map((module) => startSubgraph(module, peerDeps, { port: portOf(module.name), host: config.host })),
  );
  const started = [issuersService, ...others];
  const subgraphs = Object.fromEntries(started.map((service) => [service.name, service])) as Record<SubgraphName, RunningService>;
  const subgraphUrls = Object.fromEntries(started.map((service) => [service.name, service.url])) as Record<SubgraphName, string>;
  const gateway = await startGateway({ ...deps, log: deps.log.child({ service: 'gateway' }), subgraphUrls, port: portOf('gateway') });
  return {
    gateway,
    subgraphs,
    async close() {
      await gateway.close();
      await Promise.all(started.map((service) => service.close()));
    },
  };
}
