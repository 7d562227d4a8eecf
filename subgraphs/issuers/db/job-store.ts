import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { jsonRecordset } from '../../../lib/db/json-rows.js';
import { rowsOf } from '../../../lib/db/rows.js';
import { isUuid } from '../../../lib/ids.js';
import { issuanceJobRows, issuanceJobs, type IssuanceJobRow, type IssuanceJobRowRow } from './tables.js';

/** How one row of a job ended: its credential, or why it failed. */
export type RowOutcome = Pick<IssuanceJobRowRow, 'jobId' | 'rowNumber'> & ({ credentialId: string } | { error: string });

/** `(job, row), (job, row), …` for a row-value IN list. */
function keysOf(rows: readonly Pick<IssuanceJobRowRow, 'jobId' | 'rowNumber'>[]) {
  return sql.join(
    rows.map((row) => sql`(${row.jobId}::uuid, ${row.rowNumber}::int)`),
    sql`, `,
  );
}

/** Bulk-issuance jobs and their rows. Claims use SKIP LOCKED so any number of replicas share the work. */
export function createJobStore(db: Db) {
  return {
    /** A job and its rows, each under its number in the request (rows skipped as already issued are not queued). */
    async insertJob(tx: Db, job: typeof issuanceJobs.$inferInsert, rows: { rowNumber: number; request: Record<string, unknown> }[]): Promise<IssuanceJobRow> {
      const [inserted] = await tx.insert(issuanceJobs).values(job).returning();
      // As one JSON parameter per 1,000 rows (a CSV's rows are thousands of requests; see lib/db/json-rows.ts).
      for (let start = 0; start < rows.length; start += 1_000) {
        const { columns, select } = jsonRecordset(issuanceJobRows, rows.slice(start, start + 1_000).map(({ rowNumber, request }) => ({ jobId: job.id, rowNumber, request })));
        await tx.execute(sql`insert into ${issuanceJobRows} (${columns}) ${select}`);
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
     * Claims up to `limit` pending rows whose claim is free or expired, for `claimSeconds`, in one statement. A worker
     * that crashes simply lets its claims expire; nothing is lost, and the idempotency key keeps a retried row from
     * issuing twice.
     */
    async claimRows(limit: number, claimSeconds: number): Promise<IssuanceJobRowRow[]> {
      const claimable = db
        .select({ jobId: issuanceJobRows.jobId, rowNumber: issuanceJobRows.rowNumber })
        .from(issuanceJobRows)
        .where(and(eq(issuanceJobRows.status, 'PENDING'), or(isNull(issuanceJobRows.claimedUntil), lt(issuanceJobRows.claimedUntil, sql`now()`))))
        .orderBy(asc(issuanceJobRows.jobId), asc(issuanceJobRows.rowNumber))
        .limit(limit)
        .for('update', { skipLocked: true });
      const claimed = await db
        .update(issuanceJobRows)
        .set({ claimedUntil: sql`now() + make_interval(secs => ${claimSeconds})` })
        .where(sql`(${issuanceJobRows.jobId}, ${issuanceJobRows.rowNumber}) in ${claimable}`)
        .returning();
      return claimed.sort((a, b) => (a.jobId === b.jobId ? a.rowNumber - b.rowNumber : a.jobId < b.jobId ? -1 : 1));
    },

    /** Gives claimed rows that are still pending back at once, instead of when their claim expires. */
    async releaseRows(rows: readonly Pick<IssuanceJobRowRow, 'jobId' | 'rowNumber'>[]): Promise<void> {
      if (rows.length === 0) return;
      await db
        .update(issuanceJobRows)
        .set({ claimedUntil: null })
        .where(and(eq(issuanceJobRows.status, 'PENDING'), sql`(${issuanceJobRows.jobId}, ${issuanceJobRows.rowNumber}) in (${keysOf(rows)})`));
    },

    /**
     * Marks rows done (ISSUED with their credential, or FAILED with the reason), in the transaction that recorded
     * their credentials, in one statement. Returns, per job, how many rows this call finished: a row another worker
     * finished already (its claim had expired) is not finished or counted twice.
     */
    async finishRows(tx: Db, outcomes: readonly RowOutcome[]): Promise<Map<string, { issued: number; failed: number }>> {
      const counts = new Map<string, { issued: number; failed: number }>();
      if (outcomes.length === 0) return counts;
      const values = sql.join(
        outcomes.map((outcome) =>
          'credentialId' in outcome
            ? sql`(${outcome.jobId}::uuid, ${outcome.rowNumber}::int, ${outcome.credentialId}::uuid, null::text)`
            : sql`(${outcome.jobId}::uuid, ${outcome.rowNumber}::int, null::uuid, ${outcome.error}::text)`,
        ),
        sql`, `,
      );
      const finished = rowsOf<{ job_id: string; status: 'ISSUED' | 'FAILED' }>(
        await tx.execute(sql`
          update ${issuanceJobRows} as job_row
          set status = case when outcome.credential_id is null then 'FAILED' else 'ISSUED' end,
              credential_id = outcome.credential_id,
              error = outcome.error
          from (values ${values}) as outcome(job_id, row_number, credential_id, error)
          where job_row.job_id = outcome.job_id and job_row.row_number = outcome.row_number and job_row.status = 'PENDING'
          returning job_row.job_id, job_row.status`),
      );
      for (const { job_id: jobId, status } of finished) {
        const count = counts.get(jobId) ?? { issued: 0, failed: 0 };
        if (status === 'ISSUED') count.issued += 1;
        else count.failed += 1;
        counts.set(jobId, count);
      }
      return counts;
    },

    /**
     * Adds finished rows to a job's counters in one statement: the job turns RUNNING with its first finished rows,
     * and COMPLETED (FAILED if no row issued) with its last, in the transaction that also announces it.
     */
    async countFinishedRows(tx: Db, jobId: string, { issued, failed }: { issued: number; failed: number }): Promise<IssuanceJobRow> {
      const finishedAll = sql`${issuanceJobs.issued} + ${issued} + ${issuanceJobs.failed} + ${failed} = ${issuanceJobs.total}`;
      const [job] = await tx
        .update(issuanceJobs)
        .set({
          issued: sql`${issuanceJobs.issued} + ${issued}`,
          failed: sql`${issuanceJobs.failed} + ${failed}`,
          status: sql`case when ${finishedAll} then (case when ${issuanceJobs.failed} + ${failed} = ${issuanceJobs.total} then 'FAILED' else 'COMPLETED' end)
            when ${issuanceJobs.status} = 'QUEUED' then 'RUNNING' else ${issuanceJobs.status} end`,
          completedAt: sql`case when ${finishedAll} then now() else ${issuanceJobs.completedAt} end`,
          updatedAt: sql`now()`,
        })
        .where(eq(issuanceJobs.id, jobId))
        .returning();
      return job!;
    },
  };
}

export type JobStore = ReturnType<typeof createJobStore>;
