import type { SignedCredential } from '../../../lib/crypto/sign.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { EventFeed } from '../../../lib/events/feed.js';
import { isAppError } from '../../../lib/errors.js';
import type { Logger } from '../../../lib/log.js';
import type { AchievementPublishedPayload } from '../../../lib/events/contracts/achievement-published.js';
import type { JobStore } from '../db/job-store.js';
import type { SigningPool } from '../../../lib/crypto/signing-pool.js';
import type { IssuanceJobRow, IssuanceJobRowRow, IssuerRow } from '../db/tables.js';
import { issuerOf, type IssuanceDeps } from './issue-credential.js';
import { progressEvent, rowIdempotencyKey } from './bulk-job.js';
import type { IssuerSigner, KeyRing } from './key-ring.js';
import { prepareIssuance, profileOf, recordIssuance, unsignedCredentialFor, type PreparedIssuance, type UnsignedIssuance } from './prepare.js';

/** One credential's signing outcome: a failure fails only that row. */
export type BatchResult = { ok: true; credential: SignedCredential } | { ok: false; error: string };

/** Signs a batch for one issuer; the default signs in this thread, the worker pool takes its place in production. */
export type BatchSigner = (credentials: Record<string, unknown>[], issuer: IssuerRow, signer: IssuerSigner) => Promise<BatchResult[]>;

/**
 * A BatchSigner backed by the worker_threads signing pool: each worker imports the issuer's key once. The pool is
 * asked for at the first batch, so a process that never signs in bulk never starts worker threads.
 */
export function poolBatchSigner(pool: () => SigningPool, keyRing: KeyRing): BatchSigner {
  return async (credentials, issuer) => {
    const material = await keyRing.poolSignerFor(issuer);
    try {
      return await pool().sign(credentials.map((credential) => ({ credential, signer: material })));
    } finally {
      material.privateKeyPkcs8.fill(0);
    }
  };
}

export interface BulkWorkerOptions {
  /** @default 50 */
  batchSize?: number;
  /** @default 60 // seconds a claim lasts (a batch takes about a second); a crashed worker's rows are claimed again after this */
  claimSeconds?: number;
  sign?: BatchSigner;
}

type RowRequest = { recipient: Record<string, string>; evidence: never[]; validFrom: string | null; validUntil: string | null };

/**
 * Issues the rows of queued bulk jobs in the background. Every replica runs one; rows are claimed with SKIP LOCKED,
 * so replicas share the work, and each row is recorded (credential, event, row status, job counters) in one
 * transaction under its row idempotency key: a job interrupted at any point and resumed ends with exactly one
 * credential per row.
 */
export class BulkWorker {
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly batchSize: number;
  private readonly claimSeconds: number;
  private readonly sign: BatchSigner;

  constructor(
    private readonly deps: IssuanceDeps,
    private readonly jobs: JobStore,
    private readonly feed: EventFeed,
    private readonly log: Logger,
    options: BulkWorkerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 50;
    this.claimSeconds = options.claimSeconds ?? 60;
    this.sign =
      options.sign ??
      (async (credentials, _issuer, signer) => {
        const results: BatchResult[] = [];
        for (const credential of credentials) {
          try {
            results.push({ ok: true, credential: await signCredential({ credential, signer, documentLoader: deps.documentLoader }) });
          } catch (error) {
            results.push({ ok: false, error: (error as Error).message });
          }
        }
        return results;
      });
  }

  start(): void {
    this.loop = (async () => {
      // A closed feed means the process is shutting down: stop instead of spinning on a closed database.
      while (!this.stopping.signal.aborted && !this.feed.isClosed) {
        const news = this.feed.waitForNews(this.stopping.signal);
        try {
          if ((await this.runOnce()) > 0) continue;
        } catch (error) {
          this.log.error({ err: error }, 'bulk issuance batch failed; retrying after the next wake-up');
        }
        await news;
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** Processes until no claimable row is left (tests and the CLI's local mode use this). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) > 0);
  }

  /** Claims and issues one batch; returns how many rows it claimed. */
  async runOnce(): Promise<number> {
    const rows = await this.jobs.claimRows(this.batchSize, this.claimSeconds);
    const byJob = new Map<string, IssuanceJobRowRow[]>();
    for (const row of rows) {
      const jobRows = byJob.get(row.jobId);
      if (jobRows) jobRows.push(row);
      else byJob.set(row.jobId, [row]);
    }
    for (const [jobId, jobRows] of byJob) await this.issueRows(jobId, jobRows);
    return rows.length;
  }

  private async issueRows(jobId: string, rows: IssuanceJobRowRow[]): Promise<void> {
    const [job] = await this.jobs.findJobs([jobId]);
    if (!job) return;
    const version = await this.deps.store.achievementVersion(job.achievementId, job.achievementVersion);
    const achievement = version!.snapshot as unknown as AchievementPublishedPayload;
    const issuer = await issuerOf(this.deps, job.issuerId);
    const signer = await this.deps.keyRing.signerFor(issuer);
    const profile = await profileOf(this.deps, issuer, signer.did);

    const prepared: { row: IssuanceJobRowRow; prepared: PreparedIssuance; unsigned: UnsignedIssuance }[] = [];
    let latest: IssuanceJobRow | null = null;
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
        const existing = await this.deps.store.findByIdempotencyKey(job.issuerId, ready.idempotencyKey);
        if (existing) {
          latest = (await this.deps.db.transaction((tx) => this.jobs.finishRow(tx, row, { credentialId: existing.id }))) ?? latest;
          continue;
        }
        prepared.push({ row, prepared: ready, unsigned: await unsignedCredentialFor(this.deps, profile, ready) });
      } catch (error) {
        // Rows were validated when the job was accepted; one failing now (e.g. the clock passed validUntil) fails alone.
        const reason = isAppError(error) ? error.message : 'internal error';
        if (!isAppError(error)) this.log.error({ err: error, jobId, row: row.rowNumber }, 'bulk row failed');
        latest = (await this.deps.db.transaction((tx) => this.jobs.finishRow(tx, row, { error: reason }))) ?? latest;
      }
    }

    const signed = prepared.length > 0 ? await this.sign(prepared.map((item) => item.unsigned.credential), issuer, signer) : [];
    for (const [index, item] of prepared.entries()) {
      const result = signed[index]!;
      try {
        latest =
          (await this.deps.db.transaction(async (tx) => {
            if (!result.ok) {
              this.log.error({ jobId, row: item.row.rowNumber, reason: result.error }, 'bulk row could not be signed');
              return this.jobs.finishRow(tx, item.row, { error: 'the credential could not be signed' });
            }
            const credential = await recordIssuance(this.deps, tx, item.prepared, item.unsigned, result.credential);
            return this.jobs.finishRow(tx, item.row, { credentialId: credential.id });
          })) ?? latest;
      } catch (error) {
        // A lost race for a status index: leave the row pending; its claim expires and it is issued again.
        if (!isUniqueViolation(error)) throw error;
        this.log.warn({ jobId, row: item.row.rowNumber }, 'status index collision; the row will be retried');
      }
    }
    if (latest) await this.deps.db.transaction((tx) => appendEvents(tx, [progressEvent(latest!)]));
  }
}
