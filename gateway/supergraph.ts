import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { ANONYMOUS, VIEWER_HEADER, signViewer } from '../lib/auth/viewer.js';
import type { SubgraphName } from '../lib/config/env.js';
import type { Logger } from '../lib/log.js';

export interface SubgraphSource {
  name: SubgraphName;
  url: string;
  sdl: string;
}

/** Composes subgraph SDLs into a supergraph, failing with every composition error listed. */
export function composeSupergraph(subgraphs: SubgraphSource[]): string {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (result.errors || !result.supergraphSdl) {
    throw new Error(`Supergraph composition failed:\n${(result.errors ?? []).map((error) => `  - ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

/** @default 60_000 // how long the gateway waits for a subgraph that is still starting */
const FETCH_SDL_DEADLINE_MS = 60_000;

/**
 * Asks a running subgraph for its SDL, retrying while it starts. The gateway composes what is actually
 * deployed, so a subgraph upgraded ahead of a stale file can never be served with the wrong plan.
 */
export async function fetchSubgraphSdl(name: SubgraphName, url: string, viewerSecret: string, log: Logger): Promise<string> {
  const deadline = Date.now() + FETCH_SDL_DEADLINE_MS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [VIEWER_HEADER]: signViewer(ANONYMOUS, viewerSecret) },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await response.json()) as { data?: { _service?: { sdl?: string } }; errors?: unknown };
      const sdl = body.data?._service?.sdl;
      if (sdl) return sdl;
      throw new Error(`no SDL in the answer (HTTP ${response.status}): ${JSON.stringify(body.errors ?? body)}`);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`subgraph ${name} at ${url} did not answer: ${(error as Error).message}`);
      log.info({ subgraph: name, url, attempt }, 'waiting for subgraph');
      await new Promise((resolve) => setTimeout(resolve, Math.min(250 * attempt, 2_000)));
    }
  }
}
