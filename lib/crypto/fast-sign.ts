import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { LRUCache } from 'lru-cache';
import { createCanonicalizer, type CanonicalizerStats } from './canonicalizer.js';
import type { DocumentLoader } from './document-loader.js';
import { signCredentialWith, type CredentialSigner, type SignedCredential } from './sign.js';

/** Options for {@link createFastSigner}. */
export interface FastSignerOptions {
  /** The offline loader every signature uses (see `createDocumentLoader`); the memo is valid for this loader only. */
  documentLoader: DocumentLoader;
  /**
   * How many distinct proof configurations (issuer key × `created` second × `@context` list) to remember. A batch
   * signed with one `now` needs one entry per signing key.
   * @default 256
   */
  proofConfigCacheSize?: number;
  /**
   * How many credential shapes (and templates) the canonicalizer remembers (see `createCanonicalizer`); 0 turns the
   * shape cache off, so each credential is canonicalised the stock way (the proof-config memo stays on).
   * @default 256
   */
  shapeCacheSize?: number;
}

/** What {@link FastSigner.sign} takes: the same as `signCredential` minus the loader, which the signer owns. */
export interface FastSignOptions {
  /** An unsigned VC 2.0 / OB 3.0 credential as plain JSON. It is not modified. */
  credential: Record<string, unknown>;
  signer: CredentialSigner;
  /** The proof's `created` time (whole seconds, UTC). Pass one value for a whole batch so the memo hits. @default new Date() */
  now?: Date;
}

/** Counters for tests and benchmarks. */
export interface FastSignerStats {
  proofConfigHits: number;
  proofConfigMisses: number;
}

/** Signs like `signCredential`, remembering canonical proof configurations and credential shapes between calls. */
export interface FastSigner {
  sign(options: FastSignOptions): Promise<SignedCredential>;
  readonly stats: Readonly<FastSignerStats>;
  /** The credential canonicalizer's counters, or null when `shapeCacheSize` is 0. */
  readonly shapeCacheStats: Readonly<CanonicalizerStats> | null;
}

type Canonize = typeof eddsaRdfc2022.canonize;

/**
 * A bulk-issuance variant of `signCredential` whose proofs are byte-identical to it for the same credential, key and
 * `created` second, but which does not redo work whose result it already knows.
 *
 * eddsa-rdfc-2022 signs SHA-256(canon(proof config)) ‖ SHA-256(canon(credential)). The proof config is five
 * properties under the credential's `@context`, yet canonicalising it costs ~1.4 ms (a fifth of a signature) because
 * jsonld re-processes the whole OB context. Within a batch signed with one `now` and one key it is always the same
 * object, and canonicalisation is a pure function of its input for a fixed document loader, so its N-Quads are
 * reused. The credential itself goes through the shape cache (canonicalizer.ts), which runs jsonld.toRDF once per
 * credential shape and fills in each credential's values; anything it cannot vouch for takes the stock path.
 */
export function createFastSigner(options: FastSignerOptions): FastSigner {
  const { documentLoader, proofConfigCacheSize = 256, shapeCacheSize = 256 } = options ?? ({} as FastSignerOptions);
  if (typeof documentLoader !== 'function') throw new TypeError('documentLoader is required (see createDocumentLoader)');
  if (!Number.isInteger(proofConfigCacheSize) || proofConfigCacheSize < 1) {
    throw new TypeError(`proofConfigCacheSize must be a positive integer, got: ${String(proofConfigCacheSize)}`);
  }
  if (!Number.isInteger(shapeCacheSize) || shapeCacheSize < 0) {
    throw new TypeError(`shapeCacheSize must be a non-negative integer, got: ${String(shapeCacheSize)}`);
  }
  const canonicalizer = shapeCacheSize > 0 ? createCanonicalizer({ documentLoader, cacheSize: shapeCacheSize }) : undefined;
  const canonizeCredential: Canonize = canonicalizer
    ? (input, canonizeOptions) => canonicalizer.canonize(input, canonizeOptions)
    : (input, canonizeOptions) => eddsaRdfc2022.canonize(input, canonizeOptions);

  const stats: FastSignerStats = { proofConfigHits: 0, proofConfigMisses: 0 };
  // Promises, not strings: concurrent signatures in one batch share a single canonicalisation in flight.
  const memo = new LRUCache<string, Promise<string>>({ max: proofConfigCacheSize });

  const canonize: Canonize = (input, canonizeOptions) => {
    if (!isProofConfig(input)) return canonizeCredential(input, canonizeOptions);
    // The loader jsigs passes is a fresh wrapper around ours on every call, so it cannot be part of the key; the memo
    // lives in this closure, which serves one loader only. The other options are fixed by DataIntegrityProof but are
    // keyed anyway, so a library change that varies them cannot make us reuse a stale result.
    const { documentLoader: _loader, ...rest } = canonizeOptions;
    const key = JSON.stringify([input, rest]);
    const cached = memo.get(key);
    if (cached) {
      stats.proofConfigHits++;
      return cached;
    }
    stats.proofConfigMisses++;
    const pending = eddsaRdfc2022.canonize(input, canonizeOptions);
    memo.set(key, pending);
    pending.catch(() => memo.delete(key)); // never replay a failure: the next call retries it
    return pending;
  };
  const cryptosuite = { ...eddsaRdfc2022, canonize };

  return {
    stats,
    shapeCacheStats: canonicalizer?.stats ?? null,
    sign: ({ credential, signer, now }: FastSignOptions): Promise<SignedCredential> =>
      signCredentialWith(cryptosuite, { credential, signer, documentLoader, now }),
  };
}

/** DataIntegrityProof.canonizeProof's input: the proof options under the document's `@context`, never a credential. */
function isProofConfig(input: unknown): input is Record<string, unknown> {
  return (
    typeof input === 'object' &&
    input !== null &&
    (input as Record<string, unknown>).type === 'DataIntegrityProof' &&
    !('proofValue' in input)
  );
}
