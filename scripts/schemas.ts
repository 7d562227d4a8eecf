import { printSubgraphSchema } from '@apollo/subgraph';
import { SUBGRAPH_NAMES, loadConfig } from '../lib/config/env.js';
import { composeSupergraph } from '../gateway/supergraph.js';
import { createTestDatabase } from '../lib/db/test-db.js';
import { EventFeed } from '../lib/events/feed.js';
import { silentLogger } from '../lib/log.js';
import { SUBGRAPHS } from './hub.js';

/** The committed contents of `schema/`: each subgraph's SDL and the supergraph composed from them. */
export async function renderSchemas(): Promise<Record<string, string>> {
  // Building a subgraph needs a database handle; an in-memory one is enough to print its schema.
  const { database, dispose } = await createTestDatabase({});
  const feed = new EventFeed(database);
  const config = loadConfig({ NODE_ENV: 'development' });
  const files: Record<string, string> = {};
  try {
    const sources = [];
    for (const name of SUBGRAPH_NAMES) {
      const instance = await SUBGRAPHS[name].create({ config, database, feed, log: silentLogger() });
      await instance.close();
      const sdl = `${printSubgraphSchema(instance.schema).trim()}\n`;
      files[`${name}.graphql`] = sdl;
      sources.push({ name, url: config.subgraphUrls[name], sdl });
    }
    files['supergraph.graphql'] = `${composeSupergraph(sources).trim()}\n`;
  } finally {
    await feed.close();
    await dispose();
  }
  return files;
}
