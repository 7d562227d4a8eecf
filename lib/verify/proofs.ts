import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsa2022 } from '@digitalbazaar/eddsa-2022-cryptosuite';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { Ed25519Signature2020 } from '@digitalbazaar/ed25519-signature-2020';
import jsigs, { type ProofPurpose } from 'jsonld-signatures';
import { LRUCache } from 'lru-cache';
import type { DocumentLoader } from '../crypto/document-loader.js';
import { errorMessage } from './messages.js';
import type { CheckReport } from './types.js';

/** What one embedded proof came to. */
export interface ProofOutcome {
  type: string;
  verificationMethod: string | null;
  verified: boolean;
  /** Why it failed, or null. */
  reason: string | null;
  /** The resolved key's controller (the DID or URL that owns the key), when the key could be resolved. */
  controller: string | null;
}

/** A Data Integrity cryptosuite as @digitalbazaar/data-integrity takes it (the canonicaliser can be swapped for speed). */
export type Cryptosuite = typeof eddsaRdfc2022 | typeof eddsa2022;

export interface ProofVerifierOptions {
  documentLoader: DocumentLoader;
  /** Replacements for the stock cryptosuites by name (e.g. a cached canonicaliser); the default is the stock suites. */
  cryptosuites?: Partial<Record<'eddsa-rdfc-2022' | 'eddsa-2022', Cryptosuite>>;
}

/**
 * Verifies every embedded proof of a document separately, so a credential with several proofs reports each one and
 * one forged proof cannot hide behind a good one (jsonld-signatures alone passes a document when *any* proof
 * verifies). Supported: DataIntegrityProof with eddsa-rdfc-2022 or eddsa-2022, and Ed25519Signature2020.
 */
export function createProofVerifier(options: ProofVerifierOptions) {
  const { documentLoader } = options;
  const suites: Record<string, Cryptosuite> = {
    'eddsa-rdfc-2022': withCachedVerifiers(options.cryptosuites?.['eddsa-rdfc-2022'] ?? eddsaRdfc2022),
    'eddsa-2022': withCachedVerifiers(options.cryptosuites?.['eddsa-2022'] ?? eddsa2022),
  };

  function suiteFor(proof: Record<string, unknown>): object | null {
    if (proof.type === 'DataIntegrityProof' && typeof proof.cryptosuite === 'string' && suites[proof.cryptosuite]) {
      return new DataIntegrityProof({ cryptosuite: suites[proof.cryptosuite] });
    }
    if (proof.type === 'Ed25519Signature2020') return new Ed25519Signature2020();
    return null;
  }

  async function verifyOne(document: Record<string, unknown>, proof: unknown, purpose: ProofPurpose, proofSet: unknown[]): Promise<ProofOutcome> {
    if (!isObject(proof)) {
      return { type: 'unknown', verificationMethod: null, verified: false, reason: 'a proof is not a JSON object', controller: null };
    }
    const type = describeProofType(proof);
    const verificationMethod = typeof proof.verificationMethod === 'string' ? proof.verificationMethod : null;
    const stock = suiteFor(proof);
    if (!stock) {
      return { type, verificationMethod, verified: false, reason: `unsupported proof type ${type}`, controller: null };
    }
    const chain = previousProofsOf(proof, proofSet);
    if ('missing' in chain) {
      return { type, verificationMethod, verified: false, reason: `its previousProof ${chain.missing} is not among the document's proofs`, controller: null };
    }
    const suite = chain.previous.length ? chainedSuite(stock, chain.previous) : stock;
    const result = await jsigs.verify({ ...document, proof }, { suite, purpose, documentLoader });
    const first = result.results?.[0];
    const controller = controllerOf(first?.verificationMethod);
    if (result.verified) return { type, verificationMethod, verified: true, reason: null, controller };
    return { type, verificationMethod, verified: false, reason: proofFailureReason(result), controller };
  }

  return {
    /** Every proof of the document, each verified on its own under the given purpose (assertion by default). */
    async verifyAll(document: Record<string, unknown>, purpose?: () => ProofPurpose): Promise<ProofOutcome[]> {
      const proofs = document.proof === undefined ? [] : Array.isArray(document.proof) ? document.proof : [document.proof];
      const { proof: _proofs, ...unsigned } = document;
      const makePurpose = purpose ?? (() => new jsigs.purposes.AssertionProofPurpose());
      return Promise.all(proofs.map((proof) => verifyOne(unsigned, proof, makePurpose(), proofs)));
    },
  };
}

/**
 * The proofs a chained proof signed over (Data Integrity §4.4, "Verify Proof Sets and Chains"): `previousProof` (an id
 * or a list of ids) names proofs of the same document, which were part of the data it secured. A name that matches
 * no proof breaks the chain. Proofs without `previousProof` are a plain set: each secures the document alone.
 */
function previousProofsOf(proof: Record<string, unknown>, proofSet: unknown[]): { previous: Record<string, unknown>[] } | { missing: string } {
  const wanted = proof.previousProof === undefined ? [] : Array.isArray(proof.previousProof) ? proof.previousProof : [proof.previousProof];
  const previous: Record<string, unknown>[] = [];
  for (const id of wanted) {
    const found = proofSet.find((candidate) => isObject(candidate) && candidate !== proof && typeof id === 'string' && candidate.id === id);
    if (!isObject(found)) return { missing: typeof id === 'string' ? id : JSON.stringify(id) };
    previous.push(found);
  }
  return { previous };
}

/**
 * The suite verifying a chained proof: the document it checks carries the previous proofs as its `proof`, as they
 * were when the chained proof was added (jsonld-signatures and data-integrity only know independent proof sets).
 */
function chainedSuite<Suite extends object>(suite: Suite, previous: Record<string, unknown>[]): Suite {
  return new Proxy(suite, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'verifyProof' && typeof value === 'function') {
        return (options: { document: Record<string, unknown> }) => value.call(target, { ...options, document: { ...options.document, proof: previous } });
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** How many issuers' imported public keys to keep (a few hundred bytes each). */
const MAX_CACHED_VERIFIERS = 1_000;

/**
 * The cryptosuite with its verifiers kept per key: turning a verification method into a public key object costs as
 * much as the Ed25519 check itself, and a verifier sees the same few issuer keys over and over. Keyed by everything
 * that defines the key, so a different key under a reused id never meets a stale verifier.
 */
function withCachedVerifiers(cryptosuite: Cryptosuite): Cryptosuite {
  const verifiers = new LRUCache<string, ReturnType<Cryptosuite['createVerifier']>>({ max: MAX_CACHED_VERIFIERS });
  return {
    ...cryptosuite,
    createVerifier({ verificationMethod }) {
      const { id, type, controller, publicKeyMultibase, publicKeyJwk } = verificationMethod;
      const key = JSON.stringify([id, type, controller, publicKeyMultibase, publicKeyJwk]);
      let verifier = verifiers.get(key);
      if (!verifier) {
        verifier = cryptosuite.createVerifier({ verificationMethod });
        verifier.catch(() => verifiers.delete(key));
        verifiers.set(key, verifier);
      }
      return verifier;
    },
  };
}

/**
 * The proof check from per-proof outcomes: every proof must verify, at least one must exist, and at least one must be
 * by a key of the issuer (a key controlled by someone else proves nothing about the issuer).
 */
export function proofCheck(outcomes: ProofOutcome[], issuerId: string | null): CheckReport {
  if (outcomes.length === 0) return { name: 'proof', passed: false, message: 'The credential has no embedded proof' };
  const failed = outcomes.find((outcome) => !outcome.verified);
  if (failed) {
    const which = outcomes.length > 1 ? ` (proof ${outcomes.indexOf(failed) + 1} of ${outcomes.length})` : '';
    const key = failed.verificationMethod ? ` by ${failed.verificationMethod}` : '';
    return { name: 'proof', passed: false, message: `The ${failed.type} proof${key}${which} does not verify: ${failed.reason}` };
  }
  // At least one proof must be the issuer's; others may be co-signers' (a witness earlier in a proof chain, a
  // notary), which verify but prove nothing about who issued it, so they are named, never counted as the issuer.
  if (!outcomes.some((outcome) => outcome.controller === issuerId)) {
    const foreign = outcomes[0]!;
    return {
      name: 'proof',
      passed: false,
      message: `The key ${foreign.verificationMethod} is controlled by ${foreign.controller ?? 'nobody named'}, not by the issuer ${issuerId ?? '(none)'}, and no proof is by the issuer`,
    };
  }
  const methods = outcomes.map((outcome) => `${outcome.type} by ${outcome.verificationMethod}`).join('; ');
  const others = [...new Set(outcomes.filter((outcome) => outcome.controller !== issuerId).map((outcome) => outcome.controller ?? 'an unnamed controller'))];
  const cosigners = others.length ? `; co-signed by ${others.join(', ')}` : '';
  return { name: 'proof', passed: true, message: `${outcomes.length === 1 ? 'The proof verifies' : `All ${outcomes.length} proofs verify`}: ${methods}${cosigners}` };
}

function describeProofType(proof: Record<string, unknown>): string {
  const type = typeof proof.type === 'string' ? proof.type : 'untyped';
  return type === 'DataIntegrityProof' && typeof proof.cryptosuite === 'string' ? `${type} (${proof.cryptosuite})` : type;
}

function controllerOf(verificationMethod: Record<string, unknown> | undefined): string | null {
  const controller = verificationMethod?.controller;
  if (typeof controller === 'string') return controller;
  if (isObject(controller) && typeof controller.id === 'string') return controller.id;
  return null;
}

/** jsonld-signatures nests the real cause (bad signature, unknown key, safe-mode term) in arrays and wrappers. */
function proofFailureReason(result: { error?: Error | Error[]; results?: Array<{ error?: Error; purposeResult?: { error?: Error } }> }): string {
  const first = result.results?.[0];
  const error = first?.error ?? first?.purposeResult?.error ?? (Array.isArray(result.error) ? result.error[0] : result.error);
  return error ? errorMessage(error) : 'the signature does not match the document';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
