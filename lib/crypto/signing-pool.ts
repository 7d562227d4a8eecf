import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { SignedCredential } from './sign.js';
import type { SignChunkMessage, SigningResult, SigningWorkerData, WireJob, WireKey, WorkerReply } from './signing-worker.js';

export type { SigningResult } from './signing-worker.js';

/** A stored issuer key as the issuers subgraph holds it; the pool imports it once per worker, not per signature. */
export interface PoolSigner {
  /** e.g. `did:key:z6Mk…#z6Mk…`; its controller must equal the credential's issuer id. */
  verificationMethod: string;
  /** PKCS#8 DER. Copied to each worker once per public key; keep it intact until `sign()` settles. */
  privateKeyPkcs8: Uint8Array;
  /** Identifies the key inside the workers and is checked against the private key when it is imported. */
  publicKeyMultibase: string;
}

/** One credential to sign. */
export interface SigningJob {
  /** An unsigned VC 2.0 / OB 3.0 credential as plain JSON; it is serialised, never modified. */
  credential: Record<string, unknown>;
  signer: PoolSigner;
  /** The proof's `created` time (whole seconds). @default one `new Date()` per `sign()` call, shared by its jobs */
  now?: Date;
}

/** Options for {@link createSigningPool}. */
export interface SigningPoolOptions {
  /** Worker threads. Use one fewer than the cores when the main thread has real work of its own. @default os.availableParallelism() */
  size?: number;
  /** Most credentials per message to a worker; smaller calls are split so every worker gets a share. @default 100 */
  maxChunkSize?: number;
  /** Sign with the fast signer (fast-sign.ts: proof-config memo and shape cache), byte-identical proofs. @default true */
  fast?: boolean;
  /** Per-worker fast-signer memo size (see `createFastSigner`). @default 256 */
  proofConfigCacheSize?: number;
  /**
   * Per-worker credential shape cache (see `createCanonicalizer`; used when `fast`): ~10× cheaper canonicalisation of
   * credentials that share a shape, byte-identical proofs. 0 turns it off. @default 256
   */
  shapeCacheSize?: number;
  /**
   * Per-worker V8 heap limits. A large young generation cuts jsonld's GC churn (the worker-thread equivalent of
   * `--max-semi-space-size=64`, which is process-wide and cannot be set per worker) at ~90 MB RSS per worker.
   * Merged over the default, so setting `maxOldGenerationSizeMb` alone keeps the young-generation size.
   * @default { maxYoungGenerationSizeMb: 192 }
   */
  resourceLimits?: ResourceLimits;
}

/** A pool of signing threads; see {@link createSigningPool}. */
export interface SigningPool {
  /** The number of worker threads. */
  readonly size: number;
  /**
   * Signs every job and resolves with one result per job, in the same order. A credential that cannot be signed
   * (safe-mode error, bad key, worker crash) becomes `{ ok: false, error }` and does not affect the others.
   * Private keys cross to each worker once per `publicKeyMultibase` and stay imported there until `close()`; a later
   * job with the same public key reuses that import (any bytes it carries are not sent again).
   * @throws TypeError (as a rejection) when a job is malformed or the pool is closed; Error when a worker could not start
   */
  sign(jobs: readonly SigningJob[]): Promise<SigningResult[]>;
  /** Terminates the workers; `sign()` calls still running reject. Idempotent. */
  close(): Promise<void>;
}

interface Batch {
  results: SigningResult[];
  remaining: number;
  resolve: (results: SigningResult[]) => void;
  reject: (error: Error) => void;
}

interface Chunk {
  id: number;
  batch: Batch;
  /** Where each job's result goes in the batch's results. */
  indexes: number[];
  jobs: WireJob[];
  /** Private keys by public key, for workers that have not received them yet. */
  keyBytes: ReadonlyMap<string, Uint8Array>;
  /** 1 on first dispatch; a chunk whose worker dies is retried once, one credential at a time. */
  attempt: number;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  chunk?: Chunk;
  /** Public keys this worker has already imported: key bytes cross the thread boundary once per worker. */
  sentKeys: Set<string>;
  exitReason?: string;
}

/**
 * Starts `size` worker threads that sign OB 3.0 credentials (eddsa-rdfc-2022, proofs byte-identical to
 * `signCredential`) for bulk issuance. Each worker builds its document loader once and imports each private key once.
 *
 * Crashes: a worker that dies mid-chunk (e.g. out of memory) is replaced and its chunk retried once, one credential
 * per message, so a credential that kills a worker again fails alone as `{ ok: false }`. A worker that dies before
 * it has started (missing build files, no tsx under a .ts entry) is not replaced: the pool fails every pending and
 * later `sign()` with that reason, rather than respawning forever.
 *
 * Idle workers are unref'd, so a pool that is never closed does not keep the process alive.
 */
export function createSigningPool(options: SigningPoolOptions = {}): SigningPool {
  const {
    size = availableParallelism(),
    maxChunkSize = 100,
    fast = true,
    proofConfigCacheSize = 256,
    shapeCacheSize = 256,
  } = options;
  const resourceLimits: ResourceLimits = { maxYoungGenerationSizeMb: 192, ...options.resourceLimits };
  assertPositiveInteger('size', size);
  assertPositiveInteger('maxChunkSize', maxChunkSize);
  assertPositiveInteger('proofConfigCacheSize', proofConfigCacheSize);
  if (!Number.isInteger(shapeCacheSize) || shapeCacheSize < 0) {
    throw new TypeError(`shapeCacheSize must be a non-negative integer, got: ${String(shapeCacheSize)}`);
  }

  const entry = locateWorker();
  const workerData: SigningWorkerData = { fast, proofConfigCacheSize, shapeCacheSize };
  const queue: Chunk[] = [];
  const slots: Slot[] = [];
  const pending = new Set<Batch>();
  let nextChunkId = 1;
  let closed = false;
  let broken: Error | undefined;

  function spawn(index: number): void {
    const worker = new Worker(entry.script, { eval: entry.eval, workerData, resourceLimits });
    const slot: Slot = { worker, ready: false, sentKeys: new Set() };
    slots[index] = slot;
    worker.unref();
    worker.on('message', (reply: WorkerReply) => onReply(slot, reply));
    // 'error' (an uncaught exception or out-of-memory) is always followed by 'exit'; remember why for the messages.
    worker.on('error', (error) => (slot.exitReason = error.message));
    worker.on('exit', (code) => onExit(index, slot, code));
  }

  function onReply(slot: Slot, reply: WorkerReply): void {
    if (reply.type === 'ready') {
      slot.ready = true;
      return;
    }
    const chunk = slot.chunk;
    if (!chunk || chunk.id !== reply.chunkId) return; // a late reply for a batch that close() already rejected
    slot.chunk = undefined;
    slot.worker.unref();
    for (const key of reply.rejectedKeys) slot.sentKeys.delete(key);
    settle(chunk, reply.results);
    pump();
  }

  function onExit(index: number, slot: Slot, code: number): void {
    if (closed || slots[index] !== slot) return;
    const reason = slot.exitReason ?? `exit code ${code}`;
    if (!slot.ready) {
      fail(new Error(`signing worker failed to start: ${reason}`));
      return;
    }
    const chunk = slot.chunk;
    spawn(index);
    if (chunk) retryOrFail(chunk, reason);
    pump();
  }

  function retryOrFail(chunk: Chunk, reason: string): void {
    if (chunk.attempt >= 2) {
      const error = `signing worker died while signing this credential, twice (${reason})`;
      settle(chunk, chunk.jobs.map(() => ({ ok: false, error })));
      return;
    }
    // One credential per retry: whichever one kills the worker again then fails alone.
    const singles = chunk.jobs.map((job, i) => ({ ...chunk, id: nextChunkId++, indexes: [chunk.indexes[i]!], jobs: [job], attempt: 2 }));
    queue.unshift(...singles);
  }

  function settle({ batch, indexes }: Pick<Chunk, 'batch' | 'indexes'>, results: SigningResult[]): void {
    if (!pending.has(batch)) return;
    results.forEach((result, i) => (batch.results[indexes[i]!] = result));
    batch.remaining -= results.length;
    if (batch.remaining === 0) {
      pending.delete(batch);
      batch.resolve(batch.results);
    }
  }

  function pump(): void {
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (slot.chunk) continue;
      const chunk = queue.shift()!;
      const keys: WireKey[] = [];
      for (const [publicKeyMultibase, privateKeyPkcs8] of chunk.keyBytes) {
        if (slot.sentKeys.has(publicKeyMultibase) || !chunk.jobs.some((job) => job.publicKeyMultibase === publicKeyMultibase)) continue;
        keys.push({ publicKeyMultibase, privateKeyPkcs8 });
        slot.sentKeys.add(publicKeyMultibase);
      }
      slot.chunk = chunk;
      slot.worker.ref();
      slot.worker.postMessage({ type: 'sign', chunkId: chunk.id, keys, jobs: chunk.jobs } satisfies SignChunkMessage);
    }
  }

  function fail(error: Error): void {
    broken = error;
    for (const batch of pending) batch.reject(error);
    pending.clear();
    queue.length = 0;
    closed = true;
    for (const slot of slots) void slot.worker.terminate();
  }

  for (let i = 0; i < size; i++) spawn(i);

  return {
    size,
    async sign(jobs) {
      if (broken) throw broken;
      if (closed) throw new TypeError('the signing pool is closed');
      const batchNow = Date.now();
      const wireJobs = toWireJobs(jobs, batchNow);
      if (wireJobs.length === 0) return [];
      return new Promise<SigningResult[]>((resolve, reject) => {
        const batch: Batch = { results: new Array(jobs.length), remaining: jobs.length, resolve, reject };
        pending.add(batch);
        const keyBytes = new Map(jobs.map((job) => [job.signer.publicKeyMultibase, job.signer.privateKeyPkcs8]));
        const signable: number[] = [];
        wireJobs.forEach((job, i) => {
          if (typeof job === 'string') settle({ batch, indexes: [i] }, [{ ok: false, error: job }]);
          else signable.push(i);
        });
        // Split small calls across all workers; cap large ones so a crash or close() loses little work.
        const chunkSize = Math.min(maxChunkSize, Math.max(1, Math.ceil(signable.length / (size * 4))));
        for (let start = 0; start < signable.length; start += chunkSize) {
          const indexes = signable.slice(start, start + chunkSize);
          const chunkJobs = indexes.map((i) => wireJobs[i] as WireJob);
          queue.push({ id: nextChunkId++, batch, indexes, jobs: chunkJobs, keyBytes, attempt: 1 });
        }
        pump();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      const error = new Error('the signing pool was closed before these credentials were signed');
      for (const batch of pending) batch.reject(error);
      pending.clear();
      queue.length = 0;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}

/**
 * Validates the jobs (a malformed one is a programmer error: TypeError naming its index) and serialises each
 * credential, or returns the reason one cannot be serialised (a data error, reported for that job alone).
 */
function toWireJobs(jobs: readonly SigningJob[], batchNow: number): (WireJob | string)[] {
  if (!Array.isArray(jobs)) throw new TypeError('jobs must be an array');
  return jobs.map((job, i) => {
    const { credential, signer, now } = (job ?? {}) as Partial<SigningJob>;
    if (!credential || typeof credential !== 'object' || Array.isArray(credential)) {
      throw new TypeError(`jobs[${i}].credential must be a JSON object`);
    }
    if (!signer || typeof signer.verificationMethod !== 'string' || typeof signer.publicKeyMultibase !== 'string') {
      throw new TypeError(`jobs[${i}].signer needs verificationMethod and publicKeyMultibase strings`);
    }
    if (!(signer.privateKeyPkcs8 instanceof Uint8Array)) {
      throw new TypeError(`jobs[${i}].signer.privateKeyPkcs8 must be the PKCS#8 DER bytes`);
    }
    if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime()))) {
      throw new TypeError(`jobs[${i}].now must be a valid Date, got: ${String(now)}`);
    }
    let credentialJson: string;
    try {
      credentialJson = JSON.stringify(credential);
    } catch (error) {
      return `credential is not serialisable as JSON: ${error instanceof Error ? error.message : String(error)}`;
    }
    const { verificationMethod, publicKeyMultibase } = signer;
    return { credentialJson, verificationMethod, publicKeyMultibase, now: now?.getTime() ?? batchNow };
  });
}

/**
 * The worker entry beside this module. Compiled (dist/), that is `signing-worker.js`, started as it is. From source
 * (vitest, tsx) it is `signing-worker.ts`, which a bare worker cannot load, and on Node 20 ESM loader hooks (`--import
 * tsx` in execArgv, or `module.register` inside the worker) do not apply to a worker's modules. tsx's CommonJS
 * require hook does, so a one-line eval'd bootstrap registers it and requires the entry; the ESM-only
 * dependencies then load through Node's require(esm) (unflagged from 20.19). tsx is a devDependency, resolved from
 * here rather than from the cwd.
 */
function locateWorker(): { script: string | URL; eval: boolean } {
  const source = new URL('./signing-worker.ts', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return { script: new URL('./signing-worker.js', import.meta.url), eval: false };
  let tsxCjsApi: string;
  try {
    tsxCjsApi = createRequire(import.meta.url).resolve('tsx/cjs/api');
  } catch (error) {
    throw new Error('createSigningPool from TypeScript source needs the tsx package to start its workers', { cause: error });
  }
  const script = `require(${JSON.stringify(tsxCjsApi)}).register(); require(${JSON.stringify(fileURLToPath(source))});`;
  return { script, eval: true };
}

function assertPositiveInteger(name: string, value: unknown): void {
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new TypeError(`${name} must be a positive integer, got: ${String(value)}`);
  }
}

/** Re-exported so callers of the pool need one import for everything it returns. */
export type { SignedCredential };
