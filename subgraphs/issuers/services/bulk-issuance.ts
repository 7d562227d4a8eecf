import type { Db } from '../../../lib/db/client.js';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { SignedCredential } from '../../../lib/crypto/sign.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { AppError, isAppError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { issuanceJobProgressedEvent } from '../../../lib/events/contracts/issuance-job-progressed.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/log.js';
import type { AchievementPublishedPayload } from '../../../lib/events/contracts/achievement-published.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';
import type { JobStore } from '../db/job-store.js';
import type { IssuanceJobRow, IssuanceJobRowRow, IssuerRow } from '../db/tables.js';
import { parseBulkCsv, rowIdempotencyKey, validateRows, type BulkRow, type RowError } from '../domain/bulk-rows.js';
import { prepareIssuance, type PreparedIssuance } from '../domain/issuance-request.js';
import { createIssuanceService, type IssuanceDeps, type UnsignedIssuance } from './issuance.js';
import type { IssuerSigner } from './keys.js';

export interface BulkRequest {
  achievementId: string;
  rows?: BulkRow[] | null;
  csv?: string | null;
  /** The purpose of every row's status entry, kept on the job so a resumed job issues the same. @default 'revocation' */
  statusPurpose?: StatusPurpose | null;
}

/** One credential's signing outcome: a failure fails only that row. */
export type BatchResult = { ok: true; credential: SignedCredential } | { ok: false; error: string };

/** Signs a batch for one issuer: in this thread, or in the worker pool in production (workers/bulk-worker.ts). */
export type BatchSigner = (credentials: Record<string, unknown>[], issuer: IssuerRow, signer: IssuerSigner) => Promise<BatchResult[]>;

export interface BulkIssuanceDeps extends IssuanceDeps {
  jobs: JobStore;
  log: Logger;
}

/** A job row's request as it was stored when the job was accepted. */
type RowRequest = { recipient: Record<string, string>; evidence: never[]; validFrom: string | null; validUntil: string | null };

/** The IssuanceJobProgressed event: the job's counters as they are (the only place this payload is built). */
function progressEvent(job: IssuanceJobRow): NewEvent {
  return issuanceJobProgressedEvent.build({ jobId: job.id, status: job.status, total: job.total, issued: job.issued, failed: job.failed }, { issuerId: job.issuerId });
}

/**
 * Bulk issuance: jobs are accepted whole or not at all, and their rows are issued in batches in the background
 * (workers/bulk-worker.ts runs the loop). Each row is recorded (credential, event, row status, job counters) in one
 * transaction under its row idempotency key: a job interrupted at any point and resumed ends with exactly one
 * credential per row.
 */
export function createBulkIssuanceService(deps: BulkIssuanceDeps) {
  const { db, store, jobs, keyRing, statusLists, log } = deps;
  const issuance = createIssuanceService(deps);

  /**
   * Finishes one row inside `tx` and announces the job's new state in the same transaction, so the log never says
   * less than the job row (a worker dying between two transactions leaves both in step).
   */
  async function finishRow(tx: Db, row: IssuanceJobRowRow, outcome: { credentialId: string } | { error: string }): Promise<void> {
    const job = await jobs.finishRow(tx, row, outcome);
    if (job) await appendEvents(tx, [progressEvent(job)]);
  }

  /** Issues one job's claimed rows: checked again, replays found, then signed as one batch and recorded one by one. */
  async function issueRows(jobId: string, rows: IssuanceJobRowRow[], sign: BatchSigner): Promise<void> {
    const [job] = await jobs.findJobs([jobId]);
    if (!job) return;
    const version = await store.achievementVersion(job.achievementId, job.achievementVersion);
    const achievement = version!.snapshot as unknown as AchievementPublishedPayload;
    const issuer = await issuance.issuerOf(job.issuerId);
    const signer = await keyRing.signerFor(issuer);
    const profile = await issuance.profileOf(issuer, signer.did);

    const prepared: { row: IssuanceJobRowRow; prepared: PreparedIssuance; unsigned: UnsignedIssuance }[] = [];
    for (const row of rows) {
      const request = row.request as RowRequest;
      try {
        const ready = prepareIssuance(achievement, {
          achievementId: job.achievementId,
          recipient: request.recipient,
          evidence: request.evidence,
          validFrom: request.validFrom ? new Date(request.validFrom) : null,
          validUntil: request.validUntil ? new Date(request.validUntil) : null,
          idempotencyKey: rowIdempotencyKey(job.id, row.rowNumber),
          statusPurpose: job.statusPurpose,
        });
        const existing = await store.findByIdempotencyKey(job.issuerId, ready.idempotencyKey);
        if (existing) {
          await db.transaction((tx) => finishRow(tx, row, { credentialId: existing.id }));
          continue;
        }
        const [status] = await statusLists.allocate(db, job.issuerId, job.statusPurpose, 1);
        prepared.push({ row, prepared: ready, unsigned: issuance.unsignedCredentialFor(profile, ready, status!) });
      } catch (error) {
        // Rows were validated when the job was accepted; one failing now (e.g. the clock passed validUntil) fails alone.
        const reason = isAppError(error) ? error.message : 'internal error';
        if (!isAppError(error)) log.error({ err: error, jobId, row: row.rowNumber }, 'bulk row failed');
        await db.transaction((tx) => finishRow(tx, row, { error: reason }));
      }
    }

    const signed = prepared.length > 0 ? await sign(prepared.map((item) => item.unsigned.credential), issuer, signer) : [];
    for (const [index, item] of prepared.entries()) {
      const result = signed[index]!;
      try {
        await db.transaction(async (tx) => {
          if (!result.ok) {
            log.error({ jobId, row: item.row.rowNumber, reason: result.error }, 'bulk row could not be signed');
            return finishRow(tx, item.row, { error: 'the credential could not be signed' });
          }
          const credential = await issuance.recordIssuance(tx, { prepared: item.prepared, unsigned: item.unsigned, document: result.credential });
          return finishRow(tx, item.row, { credentialId: credential.id });
        });
      } catch (error) {
        // A lost race for a status index: leave the row pending; its claim expires and it is issued again.
        if (!isUniqueViolation(error)) throw error;
        log.warn({ jobId, row: item.row.rowNumber }, 'status index collision; the row will be retried');
      }
    }
  }

  return {
    /**
     * Accepts a bulk issuance: every row is checked first (recipient, evidence rules, dates) and all problems come
     * back together with their row numbers; only a fully valid request becomes a job, queued in one transaction with
     * its rows and a first IssuanceJobProgressed event. Issuing happens in the background (`issueNextBatch`).
     */
    async createJob(viewer: Viewer, request: BulkRequest): Promise<{ job: IssuanceJobRow | null; errors: RowError[] }> {
      if ((request.rows == null) === (request.csv == null)) {
        throw new AppError('BAD_USER_INPUT', 'give either rows or csv, not both', { field: 'rows' });
      }
      const achievement = await issuance.publishedVersion(viewer, request.achievementId);
      assertIssuerAccess(viewer, achievement.issuerId, 'ISSUER');
      const parsed = request.csv != null ? parseBulkCsv(request.csv) : { rows: request.rows!, errors: [] };
      const jobId = newId();
      const statusPurpose = request.statusPurpose ?? 'revocation';
      const { errors } = validateRows(parsed.rows, (row, rowNumber) =>
        prepareIssuance(achievement, { ...row, achievementId: achievement.achievementId, idempotencyKey: rowIdempotencyKey(jobId, rowNumber), statusPurpose }),
      );
      const allErrors = [...parsed.errors, ...errors].sort((a, b) => a.row - b.row);
      if (allErrors.length > 0) return { job: null, errors: allErrors };
      const viewerKey = viewer.kind === 'ANONYMOUS' ? null : viewer.apiKeyId;
      const job = await db.transaction(async (tx) => {
        const inserted = await jobs.insertJob(
          tx,
          {
            id: jobId,
            issuerId: achievement.issuerId,
            achievementId: achievement.achievementId,
            achievementVersion: achievement.version,
            statusPurpose,
            total: parsed.rows.length,
            createdBy: viewerKey,
          },
          parsed.rows.map((row) => ({
            recipient: row.recipient,
            evidence: row.evidence,
            validFrom: row.validFrom?.toISOString() ?? null,
            validUntil: row.validUntil?.toISOString() ?? null,
          })),
        );
        await appendEvents(tx, [progressEvent(inserted)]);
        return inserted;
      });
      return { job, errors: [] };
    },

    /**
     * Claims up to `batchSize` pending rows (SKIP LOCKED, so replicas share the work; a claim lasts `claimSeconds`)
     * and issues them, job by job. Returns how many rows it claimed.
     */
    async issueNextBatch({ batchSize, claimSeconds, sign }: { batchSize: number; claimSeconds: number; sign: BatchSigner }): Promise<number> {
      const rows = await jobs.claimRows(batchSize, claimSeconds);
      const byJob = new Map<string, IssuanceJobRowRow[]>();
      for (const row of rows) {
        const jobRows = byJob.get(row.jobId);
        if (jobRows) jobRows.push(row);
        else byJob.set(row.jobId, [row]);
      }
      for (const [jobId, jobRows] of byJob) await issueRows(jobId, jobRows, sign);
      return rows.length;
    },
  };
}

export type BulkIssuanceService = ReturnType<typeof createBulkIssuanceService>;
