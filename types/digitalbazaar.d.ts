// Ambient declarations for the JSON-LD / Data Integrity packages, which are ESM-only and ship no `.d.ts`.
// They describe only what Cairn calls, loosely: the libraries validate their own inputs at run time.
// Keep this file free of top-level imports, or every `declare module` below turns into an augmentation.

/** A JSON-LD document loader: resolves a URL to `{ contextUrl, document, documentUrl }`, or throws. */
type DigitalBazaarDocumentLoader = (url: string) => Promise<{
  contextUrl: string | null;
  document: unknown;
  documentUrl: string;
  tag?: string;
}>;

/** Either half of a Data Integrity key: signs or verifies raw bytes. */
interface DigitalBazaarSigner {
  id?: string;
  algorithm: string;
  sign(input: { data: Uint8Array }): Promise<Uint8Array>;
}
interface DigitalBazaarVerifier {
  id?: string;
  algorithm: string;
  verify(input: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
}

declare module '@digitalbazaar/vc' {
  /** A VC result: `verified` plus per-proof results; `error` carries the first failure. */
  export interface VerifyResult {
    verified: boolean;
    results?: Array<Record<string, unknown>>;
    error?: Error & { errors?: Error[] };
    [key: string]: unknown;
  }
  export function issue(options: {
    credential: Record<string, unknown>;
    suite: unknown;
    documentLoader?: DigitalBazaarDocumentLoader;
    purpose?: unknown;
    now?: Date | string;
    maxClockSkew?: number;
  }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: {
    credential: Record<string, unknown>;
    suite: unknown;
    documentLoader?: DigitalBazaarDocumentLoader;
    purpose?: unknown;
    now?: Date | string;
    maxClockSkew?: number;
    checkStatus?: (options: Record<string, unknown>) => Promise<{ verified: boolean; error?: unknown }>;
  }): Promise<VerifyResult>;
  export function createPresentation(options: Record<string, unknown>): Record<string, unknown>;
  export function signPresentation(options: Record<string, unknown>): Promise<Record<string, unknown>>;
  export function verify(options: Record<string, unknown>): Promise<VerifyResult>;
  export const defaultDocumentLoader: DigitalBazaarDocumentLoader;
  export class CredentialIssuancePurpose {
    constructor(options?: { controller?: unknown; date?: Date | string; maxTimestampDelta?: number });
  }
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: {
      cryptosuite: unknown;
      signer?: DigitalBazaarSigner;
      date?: Date | string | number | null;
      legacyContext?: boolean;
    });
    verificationMethod?: string;
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: {
    name: 'eddsa-rdfc-2022';
    requiredAlgorithm: 'Ed25519';
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
    createVerifier(options: { verificationMethod: Record<string, unknown> }): Promise<DigitalBazaarVerifier>;
  };
}

declare module '@digitalbazaar/ed25519-multikey' {
  export interface Ed25519MultikeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
    publicKey: Uint8Array;
    secretKey?: Uint8Array;
    export(options?: Record<string, unknown>): Promise<Record<string, unknown>>;
    signer(): DigitalBazaarSigner;
    verifier(): DigitalBazaarVerifier;
  }
  export function generate(options?: { id?: string; controller?: string; seed?: Uint8Array }): Promise<Ed25519MultikeyPair>;
  export function from(key: Record<string, unknown>): Promise<Ed25519MultikeyPair>;
  export function fromJwk(options: { jwk: Record<string, unknown>; secretKey?: boolean; id?: string; controller?: string }): Promise<Ed25519MultikeyPair>;
  export function toJwk(options: { keyPair: Ed25519MultikeyPair; secretKey?: boolean }): Promise<Record<string, unknown>>;
}

declare module '@digitalbazaar/did-method-key' {
  export class DidKeyDriver {
    readonly method: 'key';
    use(options: { multibaseMultikeyHeader: string; fromMultibase: (key: { publicKeyMultibase: string }) => Promise<unknown> }): void;
    /** A DID document for a bare DID, or the verification method node (with `@context`) for a `#fragment` URL. */
    get(options: { did?: string; url?: string }): Promise<Record<string, unknown>>;
    fromKeyPair(options: { verificationKeyPair?: unknown; keyAgreementKeyPair?: unknown }): Promise<{
      didDocument: Record<string, unknown>;
      keyPairs: Map<string, unknown>;
      methodFor(options: { purpose: string }): unknown;
    }>;
  }
  export function driver(): DidKeyDriver;
}

declare module 'jsonld-document-loader' {
  export class JsonLdDocumentLoader {
    addStatic(url: string, document: object): void;
    addDocuments(options: { documents: Iterable<[string, object]> }): void;
    setProtocolHandler(options: { protocol: string; handler: { get(options: { url: string }): Promise<unknown> } }): void;
    setDidResolver(resolver: { get(options: { url: string }): Promise<unknown> }): void;
    clone(): JsonLdDocumentLoader;
    documentLoader(url: string): ReturnType<DigitalBazaarDocumentLoader>;
    build(): DigitalBazaarDocumentLoader;
  }
}

// jsonld (digitalbazaar's JSON-LD processor, the one the signature libraries run on): only what tests call.
declare module 'jsonld' {
  const jsonld: {
    /** Expands a document; `safe` fails on any term or value the context would drop. */
    expand(document: object, options: { documentLoader: DigitalBazaarDocumentLoader; safe?: boolean }): Promise<Record<string, unknown>[]>;
  };
  export default jsonld;
}

declare module 'jsonld-signatures' {
  /** One proof's outcome: `verificationMethod` is the resolved VM node (with `controller`) when the key was found. */
  export interface ProofResult {
    proof: Record<string, unknown>;
    verified: boolean;
    verificationMethod?: Record<string, unknown>;
    error?: Error;
    purposeResult?: { valid: boolean; error?: Error; controller?: Record<string, unknown> };
  }
  export interface VerifyResult {
    verified: boolean;
    results?: ProofResult[];
    error?: Error | Error[];
  }
  export class ProofPurpose {}
  const jsigs: {
    verify(
      document: Record<string, unknown>,
      options: { suite: unknown; purpose: unknown; documentLoader: DigitalBazaarDocumentLoader },
    ): Promise<VerifyResult>;
    /** Adds a proof to (a copy of) the document and returns it. */
    sign(
      document: Record<string, unknown>,
      options: { suite: unknown; purpose: unknown; documentLoader: DigitalBazaarDocumentLoader },
    ): Promise<Record<string, unknown>>;
    purposes: {
      AssertionProofPurpose: new (options?: { controller?: unknown; date?: Date; maxTimestampDelta?: number }) => ProofPurpose;
      AuthenticationProofPurpose: new (options: { challenge: string; domain?: string; controller?: unknown }) => ProofPurpose;
    };
  };
  export default jsigs;
}

declare module '@digitalbazaar/eddsa-2022-cryptosuite' {
  export const cryptosuite: {
    name: 'eddsa-2022';
    requiredAlgorithm: 'Ed25519';
    canonize(input: unknown, options: Record<string, unknown>): Promise<string>;
    createVerifier(options: { verificationMethod: Record<string, unknown> }): Promise<DigitalBazaarVerifier>;
  };
}

declare module '@digitalbazaar/ed25519-signature-2020' {
  export class Ed25519Signature2020 {
    constructor(options?: { key?: unknown; signer?: DigitalBazaarSigner; verificationMethod?: string; date?: Date | string });
  }
}

declare module 'base58-universal' {
  /** base58 (Bitcoin alphabet) of the bytes; leading zero bytes become leading `1`s. */
  export function encode(input: Uint8Array, maxline?: number): string;
  /** The bytes of a base58 string (whitespace ignored), or undefined when a character is outside the alphabet. */
  export function decode(input: string): Uint8Array | undefined;
}
