import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { queryableIds } from '../../../lib/ids.js';
import type { IssuerCounter } from '../domain/issuer-counters.js';
import { issuerMetrics, type IssuerMetricsRow } from './tables.js';

/** The only place the verification subgraph talks SQL. */
export function createVerificationStore(db: Db) {
  return {
    async metricsByIssuerIds(issuerIds: readonly string[]): Promise<IssuerMetricsRow[]> {
      const queryable = queryableIds(issuerIds);
      if (queryable.length === 0) return [];
      return db.select().from(issuerMetrics).where(inArray(issuerMetrics.issuerId, queryable));
    },
  };
}

/** Adds to one issuer counter inside the consumer's transaction, creating the row on first use. */
export async function incrementIssuerCounter(tx: Db, issuerId: string, counter: IssuerCounter, by = 1): Promise<void> {
  const column = issuerMetrics[counter];
  await tx
    .insert(issuerMetrics)
    .values({ issuerId, [counter]: by })
    .onConflictDoUpdate({ target: issuerMetrics.issuerId, set: { [counter]: sql`${column} + ${by}`, updatedAt: sql`now()` } });
}

export type VerificationStore = ReturnType<typeof createVerificationStore>;
