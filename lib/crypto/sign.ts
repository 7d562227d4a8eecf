import { sign as ed25519Sign, type KeyObject } from 'node:crypto';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import type { DocumentLoader } from './document-loader.js';

/** Who signs: the verification method id written into the proof, and the matching pre-imported Ed25519 key. */
export interface CredentialSigner {
  /** e.g. `did:key:z6Mk…#z6Mk…` or `did:web:host:issuers:1#key-1`; its controller must equal the issuer id. */
  verificationMethod: string;
  /** An Ed25519 private KeyObject (see `importSigningKey`): imported once, not per signature. */
  privateKey: KeyObject;
}

/** Options for {@link signCredential}. */
export interface SignCredentialOptions {
  /** An unsigned VC 2.0 / OB 3.0 credential as plain JSON. It is not modified. */
  credential: Record<string, unknown>;
  signer: CredentialSigner;
  /** Offline loader for contexts and the verification method (see `createDocumentLoader`). */
  documentLoader: DocumentLoader;
  /** The proof's `created` time (whole seconds, UTC). @default new Date() */
  now?: Date;
}

/** An eddsa-rdfc-2022 Data Integrity proof as Cairn emits it. */
export interface DataIntegrityProofJson {
  type: 'DataIntegrityProof';
  created: string;
  verificationMethod: string;
  cryptosuite: 'eddsa-rdfc-2022';
  proofPurpose: 'assertionMethod';
  proofValue: string;
}

/** A credential with its proofs, always as an array (the OB 3.0 JSON schema rejects a single proof object). */
export type SignedCredential = Record<string, unknown> & { proof: DataIntegrityProofJson[] };

/**
 * Signs a credential with a `DataIntegrityProof` using the `eddsa-rdfc-2022` cryptosuite (the only linked-data
 * proof 1EdTech certification accepts) and returns a new object with `proof: [proof]`.
 *
 * JSON-LD safe mode is on: a term that no context defines, or a VC 1.1 term such as `issuanceDate` under the VC 2.0
 * context, makes this reject (jsonld `ValidationError`), so an unsigned credential with a typo never gets signed.
 * Costs ~5–8 ms of CPU per credential, almost all of it JSON-LD expansion of the OB context: run bulk work in workers.
 * @throws TypeError on misuse (missing signer, non-Ed25519 key, a credential that already has a proof).
 */
export function signCredential(options: SignCredentialOptions): Promise<SignedCredential> {
  return signCredentialWith(eddsaRdfc2022, options);
}

/**
 * `signCredential` with a given eddsa-rdfc-2022 cryptosuite object: the fast signer passes one whose `canonize`
 * memoises proof configurations. Everything else (checks, copy, signer, proof array) is this one code path, which is
 * what keeps the fast path's proofs byte-identical to the stock one.
 */
export async function signCredentialWith(cryptosuite: typeof eddsaRdfc2022, options: SignCredentialOptions): Promise<SignedCredential> {
  const { credential, signer, documentLoader, now = new Date() } = options;
  assertSignOptions(options);

  // vc.issue adds `proof` to the object it is given and returns that same object; a JSON round trip gives it a
  // private copy and also pins what is signed to exactly what will be serialised (no Dates, no undefined values).
  const unsigned = JSON.parse(JSON.stringify(credential)) as Record<string, unknown>;
  const suite = new DataIntegrityProof({
    cryptosuite,
    signer: createKeyObjectSigner(signer),
    date: now,
  });
  const signed = await vc.issue({ credential: unsigned, suite, documentLoader, now });

  // Wrapping the proof in an array changes nothing that was signed: the proof is never part of the signed data.
  const { proof, ...rest } = signed;
  return { ...rest, proof: [proof as DataIntegrityProofJson] };
}

/**
 * A Data Integrity signer around a pre-imported KeyObject. The stock ed25519-multikey signer re-imports the DER key
 * on every call, which costs more than the signature itself and scales badly across worker threads.
 */
function createKeyObjectSigner({ verificationMethod, privateKey }: CredentialSigner) {
  return {
    id: verificationMethod,
    algorithm: 'Ed25519',
    sign: async ({ data }: { data: Uint8Array }): Promise<Uint8Array> => ed25519Sign(null, data, privateKey),
  };
}

function assertSignOptions({ credential, signer, documentLoader, now }: SignCredentialOptions): void {
  if (!credential || typeof credential !== 'object' || Array.isArray(credential)) {
    throw new TypeError('credential must be a JSON object');
  }
  if ('proof' in credential) {
    throw new TypeError('credential already has a proof: signCredential signs unsigned credentials only');
  }
  if (!signer || typeof signer.verificationMethod !== 'string' || !signer.verificationMethod.includes(':')) {
    throw new TypeError(`signer.verificationMethod must be an absolute URL or DID URL, got: ${signer?.verificationMethod}`);
  }
  const key = signer.privateKey;
  if (!key || typeof key !== 'object' || key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('signer.privateKey must be an Ed25519 private KeyObject (see importSigningKey)');
  }
  if (typeof documentLoader !== 'function') throw new TypeError('documentLoader is required (see createDocumentLoader)');
  if (now !== undefined && (!(now instanceof Date) || Number.isNaN(now.getTime()))) {
    throw new TypeError(`now must be a valid Date, got: ${String(now)}`);
  }
}
