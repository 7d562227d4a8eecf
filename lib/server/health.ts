import { sql } from 'drizzle-orm';
import type { Express } from 'express';
import type { Database } from '../db/client.js';

/** `/healthz`: the process is alive. `/readyz`: it can reach its database, so a load balancer may send it work. */
export function mountHealth(app: Express, database: Database | null, ready: () => boolean = () => true): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      if (!ready()) throw new Error('still starting');
      if (database) await database.db.execute(sql`select 1`);
      res.json({ status: 'ready' });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', reason: (error as Error).message });
    }
  });
}
