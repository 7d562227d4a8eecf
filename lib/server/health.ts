import type { IncomingMessage, ServerResponse } from 'node:http';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Answers `/healthz` (the process is alive) and `/readyz` (it can reach its database and is not shutting down, so a
 * load balancer may send it work). Returns false for any other path. Plain node:http, so the gateway's own server
 * and the subgraphs' express apps share it.
 */
export async function answerHealth(req: IncomingMessage, res: ServerResponse, database: Database, ready: () => boolean = () => true): Promise<boolean> {
  if (req.url === '/healthz') {
    json(res, 200, { status: 'ok' });
    return true;
  }
  if (req.url !== '/readyz') return false;
  try {
    if (!ready()) throw new Error('shutting down');
    await database.db.execute(sql`select 1`);
    json(res, 200, { status: 'ready' });
  } catch (error) {
    json(res, 503, { status: 'unavailable', reason: (error as Error).message });
  }
  return true;
}
