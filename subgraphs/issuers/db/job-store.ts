import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { isUuid } from '../../../lib/ids.js';
import { issuanceJobRows, issuanceJobs, type IssuanceJobRow, type IssuanceJobRowRow } from './tables.js';

/** Bulk-issuance jobs and their rows. Claims use SKIP LOCKED so any number of replicas share the work. */
export function createJobStore(db: Db) {
  return {
    async insertJob(tx: Db, job: typeof issuanceJobs.$inferInsert, rows: Record<string, unknown>[]): Promise<IssuanceJobRow> {
      const [inserted] = await tx.insert(issuanceJobs).values(job).returning();
      // Chunked so a 10,000-row job stays under PostgreSQL's 65,535 bind-parameter limit.
      for (let start = 0; start < rows.length; start += 1_000) {
        await tx.insert(issuanceJobRows).values(
          rows.slice(start, start + 1_000).map((request, offset) => ({ jobId: job.id, rowNumber: start + offset + 1, request })),
        );
      }
      return inserted!;
    },

    async findJobs(ids: readonly string[]): Promise<IssuanceJobRow[]> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return [];
      return db.select().from(issuanceJobs).where(inArray(issuanceJobs.id, valid));
    },

    async rowsOf(jobId: string): Promise<IssuanceJobRowRow[]> {
      return db.select().from(issuanceJobRows).where(eq(issuanceJobRows.jobId, jobId)).orderBy(asc(issuanceJobRows.rowNumber));
    },

    /**
     * Claims up to `limit` pending rows whose claim is free or expired, for `claimSeconds`. A worker that crashes
     * simply lets its claims expire; nothing is lost, and the idempotency key keeps a retried row from issuing twice.
     */
    async claimRows(limit: number, claimSeconds: number): Promise<IssuanceJobRowRow[]> {
      return db.transaction(async (tx) => {
        const candidates = await tx
          .select({ jobId: issuanceJobRows.jobId, rowNumber: issuanceJobRows.rowNumber })
          .from(issuanceJobRows)
          .where(and(eq(issuanceJobRows.status, 'PENDING'), or(isNull(issuanceJobRows.claimedUntil), lt(issuanceJobRows.claimedUntil, sql`now()`))))
          .orderBy(asc(issuanceJobRows.jobId), asc(issuanceJobRows.rowNumber))
          .limit(limit)
          .for('update', { skipLocked: true });
        if (candidates.length === 0) return [];
        const claimed: IssuanceJobRowRow[] = [];
        for (const jobId of new Set(candidates.map((row) => row.jobId))) {
          const numbers = candidates.filter((row) => row.jobId === jobId).map((row) => row.rowNumber);
          claimed.push(
            ...(await tx
              .update(issuanceJobRows)
              .set({ claimedUntil: sql`now() + make_interval(secs => ${claimSeconds})` })
              .where(and(eq(issuanceJobRows.jobId, jobId), inArray(issuanceJobRows.rowNumber, numbers)))
              .returning()),
          );
        }
        return claimed.sort((a, b) => (a.jobId === b.jobId ? a.rowNumber - b.rowNumber : a.jobId < b.jobId ? -1 : 1));
      });
    },

    /** Marks a row done and moves the job's counters, in the transaction that recorded (or failed) its credential. */
    async finishRow(tx: Db, row: Pick<IssuanceJobRowRow, 'jobId' | 'rowNumber'>, outcome: { credentialId: string } | { error: string }): Promise<IssuanceJobRow | null> {
      const done = 'credentialId' in outcome;
      const [updated] = await tx
        .update(issuanceJobRows)
        .set(done ? { status: 'ISSUED', credentialId: outcome.credentialId, error: null } : { status: 'FAILED', error: outcome.error })
        .where(and(eq(issuanceJobRows.jobId, row.jobId), eq(issuanceJobRows.rowNumber, row.rowNumber), eq(issuanceJobRows.status, 'PENDING')))
        .returning({ rowNumber: issuanceJobRows.rowNumber });
      // Already finished by another worker whose claim had expired: count nothing twice.
      if (!updated) return null;
      const [job] = await tx
        .update(issuanceJobs)
        // A job turns RUNNING with its first finished row, in the transaction that also announces it.
        .set({
          ...(done ? { issued: sql`${issuanceJobs.issued} + 1` } : { failed: sql`${issuanceJobs.failed} + 1` }),
          status: sql`case when ${issuanceJobs.status} = 'QUEUED' then 'RUNNING' else ${issuanceJobs.status} end`,
          updatedAt: sql`now()`,
        })
        .where(eq(issuanceJobs.id, row.jobId))
        .returning();
      if (job && job.issued + job.failed === job.total) {
        const [completed] = await tx
          .update(issuanceJobs)
          .set({ status: job.failed === job.total ? 'FAILED' : 'COMPLETED', completedAt: sql`now()` })
          .where(eq(issuanceJobs.id, job.id))
          .returning();
        return completed!;
      }
      return job ?? null;
    },
  };
}

export type JobStore = ReturnType<typeof createJobStore>;
