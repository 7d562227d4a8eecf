import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import type { SigningPool } from '../../../lib/crypto/signing-pool.js';
import type { EventFeed } from '../../../lib/events/feed.js';
import type { Logger } from '../../../lib/log.js';
import type { JobStore } from '../db/job-store.js';
import { createBulkIssuanceService, type BatchResult, type BatchSigner, type BulkIssuanceService } from '../services/bulk-issuance.js';
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
function inThreadBatchSigner(documentLoader: DocumentLoader): BatchSigner {
  return async (credentials, _issuer, signer) => {
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
  /** @default 50 */
  batchSize?: number;
  /** @default 60 // seconds a claim lasts (a batch takes about a second); a crashed worker's rows are claimed again after this */
  claimSeconds?: number;
  sign?: BatchSigner;
}

/**
 * The background loop of bulk issuance: every replica runs one, waking on new events and issuing batch after batch
 * through the bulk issuance service (which does the claiming, issuing and recording) until nothing is left.
 */
export class BulkWorker {
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private readonly bulk: BulkIssuanceService;
  private readonly batch: { batchSize: number; claimSeconds: number; sign: BatchSigner };

  constructor(
    deps: IssuanceDeps,
    jobs: JobStore,
    private readonly feed: EventFeed,
    private readonly log: Logger,
    options: BulkWorkerOptions = {},
  ) {
    this.bulk = createBulkIssuanceService({ ...deps, jobs, log });
    this.batch = {
      batchSize: options.batchSize ?? 50,
      claimSeconds: options.claimSeconds ?? 60,
      sign: options.sign ?? inThreadBatchSigner(deps.documentLoader),
    };
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
  runOnce(): Promise<number> {
    return this.bulk.issueNextBatch(this.batch);
  }
}
