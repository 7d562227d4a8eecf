import { LRUCache } from 'lru-cache';
import type { Db } from '../../../lib/db/client.js';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { SignedCredential } from '../../../lib/crypto/sign.js';
import { AppError, isAppError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { issuanceJobProgressedEvent } from '../../../lib/events/contracts/issuance-job-progressed.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/log.js';
import type { AchievementPublishedPayload } from '../../../lib/events/contracts/achievement-published.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';
import type { JobStore, RowOutcome } from '../db/job-store.js';
import type { IssuanceJobRow, IssuanceJobRowRow, IssuerRow } from '../db/tables.js';
import { defaultRowKey, parseBulkCsv, rowIdempotencyKey, validateRows, type BulkRow, type RowError } from '../domain/bulk-rows.js';
import { issuanceProblems, prepareIssuance, type PreparedIssuance } from '../domain/issuance-request.js';
import { createIssuanceService, type IssuanceDeps, type SignedIssuance, type UnsignedIssuance } from './issuance.js';

export interface BulkRequest {
  achievementId: string;
  rows?: BulkRow[] | null;
  csv?: string | null;
  /** The purpose of every row's status entry, kept on the job so a resumed job issues the same. @default 'revocation' */
  statusPurpose?: StatusPurpose | null;
  /** Issue every row even when its idempotency key found a credential issued before (a deliberate second award). */
  allowReissue?: boolean | null;
}

/** A row not queued because its idempotency key found the credential a previous run issued. */
export interface AlreadyIssuedRow {
  row: number;
  credentialId: string;
}

/** A row that passed every check, under the idempotency key it will be issued with. */
interface KeyedRow {
  rowNumber: number;
  row: BulkRow;
  idempotencyKey: string;
  requestHash: string;
  /** The key is the row's own (a column), not derived from its content. */
  ownKey: boolean;
}

/** One credential's signing outcome: a failure fails only that row. */
export type BatchResult = { ok: true; credential: SignedCredential } | { ok: false; error: string };

/** Signs a batch for one issuer: in this thread, or in the worker pool in production (workers/bulk-worker.ts). */
export type BatchSigner = (credentials: Record<string, unknown>[], issuer: IssuerRow) => Promise<BatchResult[]>;

/** How a worker takes its share: rows per chunk, how long its claim on them lasts, and who signs. */
export interface ChunkOptions {
  chunkSize: number;
  claimSeconds: number;
  sign: BatchSigner;
}

export interface BulkIssuanceDeps extends IssuanceDeps {
  jobs: JobStore;
  log: Logger;
}

/** A job row's request as it was stored when the job was accepted. */
type RowRequest = { recipient: Record<string, string>; evidence: never[]; validFrom: string | null; validUntil: string | null; idempotencyKey?: string };

type RowKey = Pick<IssuanceJobRowRow, 'jobId' | 'rowNumber'>;

/** A row signed and waiting to be recorded. */
interface SignedRow {
  row: RowKey;
  issuance: SignedIssuance;
}

/** What every row of a job shares and nothing changes once the job is accepted (not its counters). */
interface JobFacts {
  job: Pick<IssuanceJobRow, 'id' | 'issuerId' | 'achievementId' | 'statusPurpose'>;
  achievement: AchievementPublishedPayload;
}

/** @default 64 // jobs whose unchanging facts a worker keeps, so a chunk does not read them again */
const JOB_FACTS_KEPT = 64;

/** The IssuanceJobProgressed event: the job's counters as they are (the only place this payload is built). */
function progressEvent(job: IssuanceJobRow): NewEvent {
  return issuanceJobProgressedEvent.build({ jobId: job.id, status: job.status, total: job.total, issued: job.issued, failed: job.failed }, { issuerId: job.issuerId });
}

/** Rows grouped by job, in claim order. */
function byJob(rows: readonly IssuanceJobRowRow[]): Map<string, IssuanceJobRowRow[]> {
  const groups = new Map<string, IssuanceJobRowRow[]>();
  for (const row of rows) {
    const group = groups.get(row.jobId);
    if (group) group.push(row);
    else groups.set(row.jobId, [row]);
  }
  return groups;
}

const keyOf = ({ jobId, rowNumber }: RowKey): RowKey => ({ jobId, rowNumber });

/**
 * Bulk issuance: jobs are accepted whole or not at all, and their rows are issued in the background in chunks
 * (workers/bulk-worker.ts runs the loop): a chunk is claimed in one statement, given its status indexes in one range,
 * signed as one batch, and recorded (credentials, row statuses, job counters and events) in one transaction, each
 * row under its own idempotency key: a job interrupted at any point and resumed ends with exactly one credential per
 * row. A row that fails (checked again before signing, or at signing) fails alone, recorded with its chunk.
 */
export function createBulkIssuanceService(deps: BulkIssuanceDeps) {
  const { db, store, jobs, keyRing, statusLists, log } = deps;
  const issuance = createIssuanceService(deps);
  const jobFacts = new LRUCache<string, JobFacts>({
    max: JOB_FACTS_KEPT,
    fetchMethod: async (jobId) => {
      const [job] = await jobs.findJobs([jobId]);
      if (!job) return undefined;
      const version = await store.achievementVersion(job.achievementId, job.achievementVersion);
      return { job, achievement: version!.snapshot as unknown as AchievementPublishedPayload };
    },
  });

  /**
   * One job's rows of a chunk, checked again (a row valid when accepted may not be now, e.g. past its validUntil),
   * given their status indexes in one range and built into unsigned credentials.
   */
  async function prepareRows({ job, achievement }: JobFacts, rows: IssuanceJobRowRow[]) {
    const issuer = await issuance.issuerOf(job.issuerId);
    const profile = await issuance.profileOf(issuer, await keyRing.didFor(issuer));
    const failed: RowOutcome[] = [];
    const fail = (row: IssuanceJobRowRow, error: unknown) => {
      if (!isAppError(error)) log.error({ err: error, jobId: job.id, row: row.rowNumber }, 'bulk row failed');
      failed.push({ ...keyOf(row), error: isAppError(error) ? error.message : 'internal error' });
    };
    const checked: { row: IssuanceJobRowRow; prepared: PreparedIssuance }[] = [];
    for (const row of rows) {
      const request = row.request as RowRequest;
      try {
        checked.push({
          row,
          prepared: prepareIssuance(achievement, {
            achievementId: job.achievementId,
            recipient: request.recipient,
            evidence: request.evidence,
            validFrom: request.validFrom ? new Date(request.validFrom) : null,
            validUntil: request.validUntil ? new Date(request.validUntil) : null,
            // Rows queued by an older release carry no key of their own: theirs was always the job's row key.
            idempotencyKey: request.idempotencyKey ?? rowIdempotencyKey(job.id, row.rowNumber),
            statusPurpose: job.statusPurpose,
          }),
        });
      } catch (error) {
        fail(row, error);
      }
    }
    const statuses = await statusLists.allocate(db, job.issuerId, job.statusPurpose, checked.length);
    const ready: { row: IssuanceJobRowRow; prepared: PreparedIssuance; unsigned: UnsignedIssuance }[] = [];
    checked.forEach(({ row, prepared }, index) => {
      try {
        ready.push({ row, prepared, unsigned: issuance.unsignedCredentialFor(profile, prepared, statuses[index]!) });
      } catch (error) {
        fail(row, error);
      }
    });
    return { issuer, ready, failed };
  }

  /** The credentials already recorded under the idempotency keys of these rows (another worker issued them). */
  async function earlierCredentials(tx: Db, rows: readonly SignedRow[]): Promise<Map<string, string>> {
    const keysByIssuer = new Map<string, string[]>();
    for (const { issuance: signed } of rows) {
      const { issuerId } = signed.prepared.achievement;
      keysByIssuer.set(issuerId, [...(keysByIssuer.get(issuerId) ?? []), signed.prepared.idempotencyKey]);
    }
    const earlier = new Map<string, string>();
    for (const [issuerId, keys] of keysByIssuer) {
      for (const credential of await store.findByIdempotencyKeys(issuerId, keys, tx)) earlier.set(credential.idempotencyKey, credential.id);
    }
    return earlier;
  }

  /**
   * Records a chunk inside `tx` with a few multi-row statements: its credentials with their CredentialIssued events,
   * every row's status, each job's counters, and each job's IssuanceJobProgressed event in the same transaction,
   * so the log never says less than the job row.
   */
  async function recordChunk(tx: Db, signed: readonly SignedRow[], failed: readonly RowOutcome[]): Promise<void> {
    const { recorded, events } = await issuance.recordIssuances(
      tx,
      signed.map((item) => item.issuance),
    );
    const earlier = await earlierCredentials(
      tx,
      signed.filter((item) => !recorded.has(item.issuance.prepared.idempotencyKey)),
    );
    const outcomes: RowOutcome[] = [...failed];
    for (const item of signed) {
      const key = item.issuance.prepared.idempotencyKey;
      // Not recorded now means recorded before under the same key, so one of the two maps has it.
      outcomes.push({ ...item.row, credentialId: recorded.get(key) ?? earlier.get(key)! });
    }
    const progress: NewEvent[] = [];
    for (const [jobId, counts] of await jobs.finishRows(tx, outcomes)) progress.push(progressEvent(await jobs.countFinishedRows(tx, jobId, counts)));
    await appendEvents(tx, [...events, ...progress]);
  }

  /** Issues claimed rows, job by job, and records them together. */
  async function issueChunk(rows: IssuanceJobRowRow[], sign: BatchSigner): Promise<void> {
    const signed: SignedRow[] = [];
    const failed: RowOutcome[] = [];
    for (const [jobId, jobRows] of byJob(rows)) {
      const facts = await jobFacts.fetch(jobId);
      if (!facts) continue;
      const prepared = await prepareRows(facts, jobRows);
      failed.push(...prepared.failed);
      const results = prepared.ready.length > 0 ? await sign(prepared.ready.map((item) => item.unsigned.credential), prepared.issuer) : [];
      prepared.ready.forEach((item, index) => {
        const result = results[index]!;
        if (result.ok) {
          signed.push({ row: keyOf(item.row), issuance: { prepared: item.prepared, unsigned: item.unsigned, document: result.credential } });
        } else {
          log.error({ jobId, row: item.row.rowNumber, reason: result.error }, 'bulk row could not be signed');
          failed.push({ ...keyOf(item.row), error: 'the credential could not be signed' });
        }
      });
    }
    await db.transaction((tx) => recordChunk(tx, signed, failed));
  }

  /** Rows repeating an earlier row's key (row number → the first row), and the ledger's credentials under the keys. */
  async function earlierIssues(issuerId: string, keyed: readonly KeyedRow[]) {
    const firstRowOf = new Map<string, number>();
    const repeats = new Map<number, number>();
    for (const item of keyed) {
      const first = firstRowOf.get(item.idempotencyKey);
      if (first === undefined) firstRowOf.set(item.idempotencyKey, item.rowNumber);
      else repeats.set(item.rowNumber, first);
    }
    const found = await store.findByIdempotencyKeys(issuerId, [...firstRowOf.keys()]);
    return { repeats, earlier: new Map(found.map((credential) => [credential.idempotencyKey, credential])) };
  }

  return {
    /**
     * Accepts a bulk issuance: every row is checked first (recipient, evidence rules, dates) and every problem comes
     * back with its row number; only a fully valid request becomes a job, queued in one transaction with its rows and
     * a first IssuanceJobProgressed event. Each row has an idempotency key (its own column, or a hash of what it
     * awards to whom): a row whose key found a credential issued before is not queued but reported in
     * `alreadyIssued`, so running the same list twice issues nothing twice, unless `allowReissue`. Issuing happens
     * in the background (`issueNextChunk`).
     */
    async createJob(viewer: Viewer, request: BulkRequest): Promise<{ job: IssuanceJobRow | null; errors: RowError[]; alreadyIssued: AlreadyIssuedRow[] }> {
      if ((request.rows == null) === (request.csv == null)) {
        throw new AppError('BAD_USER_INPUT', 'give either rows or csv, not both', { field: 'rows' });
      }
      const achievement = await issuance.publishedVersion(viewer, request.achievementId);
      assertIssuerAccess(viewer, achievement.issuerId, 'ISSUER');
      const parsed = request.csv != null ? parseBulkCsv(request.csv) : { rows: request.rows!, errors: [] };
      const jobId = newId();
      const statusPurpose = request.statusPurpose ?? 'revocation';
      const keyed: KeyedRow[] = [];
      const errors = validateRows(parsed.rows, (row, rowNumber) => {
        const issueRequest = { ...row, achievementId: achievement.achievementId, idempotencyKey: row.idempotencyKey ?? rowIdempotencyKey(jobId, rowNumber), statusPurpose };
        const problems = issuanceProblems(achievement, issueRequest);
        if (problems.length > 0) return problems;
        const prepared = prepareIssuance(achievement, issueRequest);
        const idempotencyKey = request.allowReissue
          ? rowIdempotencyKey(jobId, rowNumber)
          : (row.idempotencyKey ?? defaultRowKey({ achievementId: achievement.achievementId, recipient: prepared.recipient, evidence: prepared.evidence, validFrom: row.validFrom, validUntil: row.validUntil }));
        keyed.push({ rowNumber, row, idempotencyKey, requestHash: prepared.requestHash, ownKey: !request.allowReissue && row.idempotencyKey != null });
        return [];
      });
      const { repeats, earlier } = await earlierIssues(achievement.issuerId, keyed);
      const alreadyIssued: AlreadyIssuedRow[] = [];
      for (const item of keyed) {
        const repeated = repeats.get(item.rowNumber);
        const credential = earlier.get(item.idempotencyKey);
        if (repeated) errors.push({ row: item.rowNumber, field: 'idempotencyKey', reason: `row ${repeated} already awards this (same idempotency key)` });
        else if (credential && item.ownKey && credential.requestHash !== item.requestHash) {
          errors.push({ row: item.rowNumber, field: 'idempotencyKey', reason: `idempotency key already used for a different credential (${credential.id})` });
        } else if (credential) alreadyIssued.push({ row: item.rowNumber, credentialId: credential.id });
      }
      const allErrors = [...parsed.errors, ...errors].sort((a, b) => a.row - b.row);
      if (allErrors.length > 0) return { job: null, errors: allErrors, alreadyIssued: [] };
      const skipped = new Set(alreadyIssued.map((item) => item.row));
      const queued = keyed.filter((item) => !skipped.has(item.rowNumber));
      if (queued.length === 0) return { job: null, errors: [], alreadyIssued };
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
            total: queued.length,
            createdBy: viewerKey,
          },
          queued.map(({ rowNumber, row, idempotencyKey }) => ({
            rowNumber,
            request: {
              recipient: row.recipient,
              evidence: row.evidence,
              validFrom: row.validFrom?.toISOString() ?? null,
              validUntil: row.validUntil?.toISOString() ?? null,
              idempotencyKey,
            },
          })),
        );
        await appendEvents(tx, [progressEvent(inserted)]);
        return inserted;
      });
      return { job, errors: [], alreadyIssued };
    },

    /**
     * Claims a chunk of up to `chunkSize` pending rows (SKIP LOCKED, so workers and replicas share the work; a claim
     * lasts `claimSeconds`) and issues it. Returns how many rows it claimed. Rows of a chunk that fails are given back
     * at once, so they wait for no claim to expire unless this process dies.
     */
    async issueNextChunk({ chunkSize, claimSeconds, sign }: ChunkOptions): Promise<number> {
      const rows = await jobs.claimRows(chunkSize, claimSeconds);
      if (rows.length === 0) return 0;
      try {
        await issueChunk(rows, sign);
      } catch (error) {
        await jobs.releaseRows(rows).catch((releaseError: unknown) => log.warn({ err: releaseError }, 'could not give back the rows of a failed bulk chunk'));
        throw error;
      }
      return rows.length;
    },
  };
}

export type BulkIssuanceService = ReturnType<typeof createBulkIssuanceService>;
