import type { KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { createDocumentLoader } from './document-loader.js';
import { createFastSigner } from './fast-sign.js';
import { importSigningKey } from './keys.js';
import { signCredential, type SignedCredential } from './sign.js';

// The worker half of createSigningPool (signing-pool.ts owns the message protocol, which is mirrored here).
// Everything expensive is done once per thread: the loader, the fast signer's caches, and each private key import
// (re-importing PKCS#8 per signature is slower than signing and contends inside OpenSSL across threads).

/** What the pool passes as `workerData`. */
export interface SigningWorkerData {
  fast: boolean;
  proofConfigCacheSize: number;
  shapeCacheSize: number;
}

/** A private key sent once per worker; the worker owns (and zeroes) this copy of the bytes. */
export interface WireKey {
  publicKeyMultibase: string;
  privateKeyPkcs8: Uint8Array;
}

export interface WireJob {
  /** The credential as JSON text: pins what is signed to what was serialisable, and keeps items independent. */
  credentialJson: string;
  verificationMethod: string;
  publicKeyMultibase: string;
  /** Epoch milliseconds for the proof's `created` and the validity check. */
  now: number;
}

export interface SignChunkMessage {
  type: 'sign';
  chunkId: number;
  keys: WireKey[];
  jobs: WireJob[];
}

export type SigningResult = { ok: true; credential: SignedCredential } | { ok: false; error: string };

export type WorkerReply =
  | { type: 'ready' }
  /** `rejectedKeys`: keys sent with this chunk that failed to import, so the pool sends them again if they recur. */
  | { type: 'results'; chunkId: number; results: SigningResult[]; rejectedKeys: string[] };

if (!parentPort) throw new Error('signing-worker is a worker_threads entry point: start it through createSigningPool');
const port = parentPort;
const { fast, proofConfigCacheSize, shapeCacheSize } = workerData as SigningWorkerData;

const documentLoader = createDocumentLoader();
const fastSigner = fast ? createFastSigner({ documentLoader, proofConfigCacheSize, shapeCacheSize }) : undefined;
/** Imported keys by publicKeyMultibase, kept for the worker's life. */
const keys = new Map<string, KeyObject>();

port.on('message', (message: SignChunkMessage) => {
  void signChunk(message).then((reply) => port.postMessage(reply));
});

// Sent once the static imports above (the whole signing stack) have loaded, so the pool can tell a worker that
// cannot start at all (missing dist/ files, no tsx) from one that crashed mid-batch.
port.postMessage({ type: 'ready' } satisfies WorkerReply);

async function signChunk({ chunkId, keys: newKeys, jobs }: SignChunkMessage): Promise<WorkerReply> {
  // Import failures are remembered for this chunk only: a caller who fixes a key row must not meet a stale failure.
  const keyErrors = new Map<string, string>();
  for (const key of newKeys) {
    const error = importKey(key);
    if (error) keyErrors.set(key.publicKeyMultibase, error);
  }
  const results: SigningResult[] = [];
  // One at a time: the work is CPU-bound, so in-thread concurrency would only add memory pressure.
  for (const job of jobs) {
    const keyError = keyErrors.get(job.publicKeyMultibase);
    results.push(keyError ? { ok: false, error: keyError } : await signJob(job));
  }
  return { type: 'results', chunkId, results, rejectedKeys: [...keyErrors.keys()] };
}

/** Imports and caches one key, zeroing this thread's copy of the bytes; returns why it failed, if it did. */
function importKey({ publicKeyMultibase, privateKeyPkcs8 }: WireKey): string | undefined {
  try {
    keys.set(publicKeyMultibase, importSigningKey({ privateKeyPkcs8, publicKeyMultibase }).privateKey);
    return undefined;
  } catch (error) {
    keys.delete(publicKeyMultibase);
    return `signing key ${publicKeyMultibase} could not be imported: ${describeError(error)}`;
  } finally {
    privateKeyPkcs8.fill(0);
  }
}

async function signJob({ credentialJson, verificationMethod, publicKeyMultibase, now }: WireJob): Promise<SigningResult> {
  try {
    const privateKey = keys.get(publicKeyMultibase);
    if (!privateKey) throw new Error(`signing key ${publicKeyMultibase} was never sent to this worker`);
    const credential = JSON.parse(credentialJson) as Record<string, unknown>;
    const signer = { verificationMethod, privateKey };
    const date = new Date(now);
    const signed = fastSigner
      ? await fastSigner.sign({ credential, signer, now: date })
      : await signCredential({ credential, signer, documentLoader, now: date });
    return { ok: true, credential: signed };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}

/**
 * A one-line reason. jsonld's safe-mode errors say only "Safe mode validation error." and keep the useful part (which
 * term was dropped) in `details.event`, so that is appended. Causes are not followed: only messages cross the thread.
 */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const event = (error as { details?: { event?: { message?: unknown; details?: Record<string, unknown> } } }).details?.event;
  if (!event || typeof event.message !== 'string') return error.message;
  const detail = event.details ?? {};
  const what = ['property', 'type', 'id', 'value']
    .filter((name) => typeof detail[name] === 'string')
    .map((name) => `${name} ${JSON.stringify(detail[name])}`)
    .join(', ');
  return `${error.message} ${event.message}${what ? ` (${what})` : ''}`;
}
