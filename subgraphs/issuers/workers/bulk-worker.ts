import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import type { SigningPool } from '../../../lib/crypto/signing-pool.js';
import type { EventFeed } from '../../../lib/events/feed.js';
import { EventType } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import type { JobStore } from '../db/job-store.js';
import { createBulkIssuanceService, type BatchResult, type BatchSigner, type BulkIssuanceService, type ChunkOptions } from '../services/bulk-issuance.js';
import type { IssuanceDeps } from '../services/issuance.js';
import type { KeysService } from '../services/keys.js';

/**
 * A BatchSigner backed by the worker_threads signing pool: each worker imports the issuer's key once. The pool is
 * asked for at the first batch, so a process that never signs in bulk never starts worker threads.
 */
export function poolBatchSigner(pool: () => SigningPool, keyRing: KeysService): BatchSigner {
  return async (credentials, issuer) => {
    const material = await keyRing.poolSignerFor(issuer);
    try {
      return await pool().sign(credentials.map((credential) => ({ credential, signer: material })));
    } finally {
      material.privateKeyPkcs8.fill(0);
    }
  };
}

/** Signs one credential after another in this thread (tests and processes without a pool). */
function inThreadBatchSigner(keyRing: KeysService, documentLoader: DocumentLoader): BatchSigner {
  return async (credentials, issuer) => {
    const signer = await keyRing.signerFor(issuer);
    const results: BatchResult[] = [];
    for (const credential of credentials) {
      try {
        results.push({ ok: true, credential: await signCredential({ credential, signer, documentLoader }) });
      } catch (error) {
        results.push({ ok: false, error: (error as Error).message });
      }
    }
    return results;
  };
}

export interface BulkWorkerOptions {
  /**
   * @default 200 // rows claimed, signed and recorded together, in one transaction: what each chunk costs besides its
   * rows (claim, issuer, key, index range, the transaction and every consumer's wake-up) is paid per 200 credentials
   */
  chunkSize?: number;
  /**
   * @default 2 // chunks in flight at once, so the database work of one (claim, indexes, record) overlaps the
   * signing of another instead of leaving the signing pool idle
   */
  chunksInFlight?: number;
  /** @default 60 // seconds a claim lasts (a chunk takes well under a second); a crashed worker's rows are claimed again after this */
  claimSeconds?: number;
  sign?: BatchSigner;
}

/**
 * The background loop of bulk issuance: every replica runs one, waking on new events and issuing chunk after chunk
 * through the bulk issuance service (which does the claiming, issuing and recording) until nothing is left.
 */
export class BulkWorker {
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly bulk: BulkIssuanceService;
  private readonly chunk: ChunkOptions;
  private readonly chunksInFlight: number;

  constructor(
    deps: IssuanceDeps,
    jobs: JobStore,
    private readonly feed: EventFeed,
    private readonly log: Logger,
    options: BulkWorkerOptions = {},
  ) {
    this.bulk = createBulkIssuanceService({ ...deps, jobs, log });
    this.chunk = {
      chunkSize: options.chunkSize ?? 200,
      claimSeconds: options.claimSeconds ?? 60,
      sign: options.sign ?? inThreadBatchSigner(deps.keyRing, deps.documentLoader),
    };
    this.chunksInFlight = options.chunksInFlight ?? 2;
  }

  start(): void {
    this.loop = (async () => {
      // A closed feed means the process is shutting down: stop instead of spinning on a closed database.
      while (!this.stopping.signal.aborted && !this.feed.isClosed) {
        // A new job announces itself with its first progress event (as every chunk does); claims a dead worker left
        // to expire are found by the feed's poll.
        const news = this.feed.waitForNews(this.stopping.signal, [EventType.ISSUANCE_JOB_PROGRESSED]);
        try {
          await this.drain();
        } catch (error) {
          this.log.error({ err: error }, 'bulk issuance chunk failed; retrying after the next wake-up');
        }
        await news;
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** Issues chunks, `chunksInFlight` at a time, until no claimable row is left. */
  async drain(): Promise<void> {
    const lane = async () => {
      while (!this.stopping.signal.aborted && (await this.runOnce()) > 0);
    };
    const lanes = await Promise.allSettled(Array.from({ length: this.chunksInFlight }, lane));
    const failed = lanes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Claims and issues one chunk; returns how many rows it claimed. */
  runOnce(): Promise<number> {
    return this.bulk.issueNextChunk(this.chunk);
  }
}
