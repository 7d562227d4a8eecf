import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { AppError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { EventType } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';
import type { JobStore } from '../db/job-store.js';
import type { IssuanceJobRow } from '../db/tables.js';
import { parseBulkCsv, validateRows, type BulkRow, type RowError } from '../domain/bulk-rows.js';
import type { IssuanceDeps } from './issue-credential.js';
import { prepareIssuance, publishedVersion } from './prepare.js';

export interface BulkRequest {
  achievementId: string;
  rows?: BulkRow[] | null;
  csv?: string | null;
  /** The purpose of every row's status entry, kept on the job so a resumed job issues the same. @default 'revocation' */
  statusPurpose?: StatusPurpose | null;
}

/** The idempotency key of a job's row: retrying the row after a crash finds the credential it already issued. */
export const rowIdempotencyKey = (jobId: string, rowNumber: number) => `job:${jobId}:${rowNumber}`;

export function progressEvent(job: IssuanceJobRow) {
  return {
    type: EventType.ISSUANCE_JOB_PROGRESSED,
    issuerId: job.issuerId,
    payload: { jobId: job.id, status: job.status, total: job.total, issued: job.issued, failed: job.failed },
  };
}

/**
 * Accepts a bulk issuance: every row is checked first (recipient, evidence rules, dates) and all problems come back
 * together with their row numbers; only a fully valid request becomes a job, queued in one transaction with its
 * rows and a first IssuanceJobProgressed event. Issuing happens in the background (BulkWorker).
 */
export async function createBulkJob(
  deps: IssuanceDeps,
  jobs: JobStore,
  viewer: Viewer,
  request: BulkRequest,
): Promise<{ job: IssuanceJobRow | null; errors: RowError[] }> {
  if ((request.rows == null) === (request.csv == null)) {
    throw new AppError('BAD_USER_INPUT', 'give either rows or csv, not both', { field: 'rows' });
  }
  const achievement = await publishedVersion(deps, request.achievementId);
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
  const job = await deps.db.transaction(async (tx) => {
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
}
