import { X509Certificate as NodeCertificate, createHash, verify as verifySignature, constants as cryptoConstants, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill loaded first; any
// entry point that verifies (a bench, a script) reaches this module, not only the subgraphs' mains.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/**
 * Verification of a JAdES seal on a European Digital Credential: a JWS in the JSON serialisation (general or
 * flattened) whose protected header carries the sealing certificate chain (`x5c`), usually with an unencoded payload
 * (`b64: false`, RFC 7797) — the form EDCI and the Commission's samples use. The signature is checked with the leaf
 * certificate's key, the chain is built up to one of the operator's trust anchors (certificates from the EU trusted
 * lists, configured offline), and every outcome is reported separately: a valid seal from an issuer nobody vouches
 * for is exactly that, never "valid" and never "invalid". Nothing is fetched: no OCSP, no CRL, no timestamp authority.
 */

export interface JadesSignatureJson {
  protected: string;
  header?: Record<string, unknown>;
  signature: string;
}

export interface JadesDocument {
  payload: string;
  signatures?: JadesSignatureJson[];
  protected?: string;
  header?: Record<string, unknown>;
  signature?: string;
}

export interface SealCertificate {
  subject: string;
  issuer: string;
  /** The organisation identifier (2.5.4.97, e.g. VATSI-43353126): what eIDAS seals name their holder by. */
  organizationIdentifier: string | null;
  notBefore: string;
  notAfter: string;
  sha256: string;
}

export interface JadesVerification {
  /** The signature over the payload, with the leaf certificate's key. */
  signatureValid: boolean;
  /** What the seal says and why it is (not) valid, one sentence. */
  signatureMessage: string;
  /** `TRUSTED`: the chain reaches a trust anchor; `UNKNOWN`: no anchor is configured, or none is reached; `INVALID`: a link is broken or a certificate was not valid when the seal was made. */
  trust: 'TRUSTED' | 'UNKNOWN' | 'INVALID';
  trustMessage: string;
  /** The sealed document, parsed; null when the payload is not JSON. */
  payload: Record<string, unknown> | null;
  sealedBy: SealCertificate | null;
  /** The signing time the seal claims (`sigT`); not a trusted timestamp. */
  signingTime: string | null;
}

/**
 * Header parameters a seal may list as critical (RFC 7515 §4.1.11): `b64` and `sigT` are applied; the JAdES
 * qualifying properties that only add assurances (timestamps, policy, commitments) are accepted unverified — the
 * Commission's samples mark `adoTst` critical. `sigD` (a detached payload elsewhere) changes what is signed: refused.
 */
const UNDERSTOOD_CRITICAL = new Set(['b64', 'sigT', 'adoTst', 'sigPId', 'srCms', 'sigPl', 'srAts', 'sigX5ts']);
/** @default 8 // certificates between a seal and its anchor: real eIDAS chains have two or three */
const MAX_CHAIN_LENGTH = 8;
const ORGANIZATION_IDENTIFIER = '2.5.4.97';

const ALGORITHMS: Record<string, { hash: string; kind: 'rsa' | 'pss' | 'ec' }> = {
  RS256: { hash: 'sha256', kind: 'rsa' },
  RS384: { hash: 'sha384', kind: 'rsa' },
  RS512: { hash: 'sha512', kind: 'rsa' },
  PS256: { hash: 'sha256', kind: 'pss' },
  PS384: { hash: 'sha384', kind: 'pss' },
  PS512: { hash: 'sha512', kind: 'pss' },
  ES256: { hash: 'sha256', kind: 'ec' },
  ES384: { hash: 'sha384', kind: 'ec' },
  ES512: { hash: 'sha512', kind: 'ec' },
};

/** True for what looks like a JWS JSON serialisation with a payload (how a sealed EDC travels). */
export function isJadesDocument(value: unknown): value is JadesDocument {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const json = value as Record<string, unknown>;
  return typeof json.payload === 'string' && (Array.isArray(json.signatures) || (typeof json.protected === 'string' && typeof json.signature === 'string'));
}

/** Parses PEM text (a bundle of certificates, e.g. from EU trusted lists) into certificates; other blocks are ignored. */
export function parseTrustAnchors(pem: string): x509.X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new x509.X509Certificate(block));
}

/**
 * The operator's trust anchors for sealed EDCs (`EUROPASS_TRUST_ANCHORS`), read once at start; null when none is
 * configured. A file that is named but cannot be read, or holds no certificate, stops the service: silently trusting
 * nothing would report every seal's issuer as unknown.
 */
export function readEuropassTrustAnchors(file: string | null): x509.X509Certificate[] | null {
  if (!file) return null;
  let anchors: x509.X509Certificate[];
  try {
    anchors = parseTrustAnchors(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`EUROPASS_TRUST_ANCHORS: ${file} could not be read as PEM certificates`, { cause: error });
  }
  if (anchors.length === 0) throw new Error(`EUROPASS_TRUST_ANCHORS: ${file} holds no certificate`);
  return anchors;
}

function describe(certificate: x509.X509Certificate): SealCertificate {
  const organizationIdentifier = certificate.subjectName.getField(ORGANIZATION_IDENTIFIER)[0] ?? null;
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    organizationIdentifier,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    sha256: createHash('sha256').update(Buffer.from(certificate.rawData)).digest('hex'),
  };
}

const fingerprint = (certificate: x509.X509Certificate) => createHash('sha256').update(Buffer.from(certificate.rawData)).digest('hex');

/** Verifies `signature` over `input` with the certificate's key, for a JWS algorithm; false for anything unsupported. */
function signatureHolds(algorithm: string, key: KeyObject, input: Buffer, signature: Buffer): boolean {
  const spec = ALGORITHMS[algorithm];
  if (!spec) return false;
  if (spec.kind === 'pss') {
    return verifySignature(spec.hash, input, { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: cryptoConstants.RSA_PSS_SALTLEN_DIGEST }, signature);
  }
  if (spec.kind === 'ec') return verifySignature(spec.hash, input, { key, dsaEncoding: 'ieee-p1363' }, signature);
  return verifySignature(spec.hash, input, key, signature);
}

/**
 * Builds the chain from the leaf through the seal's own `x5c` certificates (and the anchors) to an anchor, checking
 * every signature and every certificate's validity at `at`. Anchors are matched by their exact bytes.
 */
async function chainTrust(
  leaf: x509.X509Certificate,
  intermediates: x509.X509Certificate[],
  anchors: readonly x509.X509Certificate[] | null,
  at: Date,
): Promise<{ trust: JadesVerification['trust']; message: string }> {
  const anchorPrints = new Set((anchors ?? []).map(fingerprint));
  const pool = [...intermediates, ...(anchors ?? [])];
  let current = leaf;
  for (let depth = 0; depth <= MAX_CHAIN_LENGTH; depth++) {
    if (at < current.notBefore || at > current.notAfter) {
      return { trust: 'INVALID', message: `The certificate "${current.subject}" was not valid at ${at.toISOString()} (valid ${current.notBefore.toISOString()} to ${current.notAfter.toISOString()})` };
    }
    if (anchorPrints.has(fingerprint(current))) return { trust: 'TRUSTED', message: `The seal's chain reaches the trust anchor "${current.subject}"` };
    const candidates = pool.filter((candidate) => candidate !== current && candidate.subject === current.issuer);
    let parent: x509.X509Certificate | null = null;
    for (const candidate of candidates) {
      if (await current.verify({ publicKey: candidate.publicKey, signatureOnly: true })) {
        parent = candidate;
        break;
      }
    }
    if (!parent) {
      // A broken link inside the seal's own chain is a forgery; an anchor that merely shares a name is not ours.
      if (candidates.some((candidate) => intermediates.includes(candidate))) {
        return { trust: 'INVALID', message: `The certificate "${current.subject}" is not signed by the "${current.issuer}" the chain offers` };
      }
      if (!anchors || anchors.length === 0) {
        return { trust: 'UNKNOWN', message: 'No trust anchors are configured (EUROPASS_TRUST_ANCHORS): the seal is valid, whether its issuer is trusted is unknown' };
      }
      return { trust: 'UNKNOWN', message: `The chain ends at "${current.issuer}", which is none of the ${anchors.length} configured trust anchors: issuer trust unknown` };
    }
    current = parent;
  }
  return { trust: 'INVALID', message: `The chain is longer than ${MAX_CHAIN_LENGTH} certificates` };
}

/** Verifies a sealed EDC. Never throws for a bad seal: every problem is in the result. */
export async function verifyJadesSeal(
  document: JadesDocument,
  options: { trustAnchors: readonly x509.X509Certificate[] | null; now: Date },
): Promise<JadesVerification> {
  const fail = (message: string, rest: Partial<JadesVerification> = {}): JadesVerification => ({
    signatureValid: false,
    signatureMessage: message,
    trust: 'UNKNOWN',
    trustMessage: 'Not checked: the seal itself does not hold',
    payload: null,
    sealedBy: null,
    signingTime: null,
    ...rest,
  });
  const signatures = document.signatures ?? [{ protected: document.protected!, header: document.header, signature: document.signature! }];
  if (signatures.length !== 1) return fail(`A sealed EDC carries one seal; this one has ${signatures.length}`);
  const [seal] = signatures as [JadesSignatureJson];
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(seal.protected, 'base64url').toString('utf8'));
  } catch {
    return fail('The seal’s protected header is not base64url JSON');
  }
  const encoded = header.b64 !== false;
  const payloadText = encoded ? Buffer.from(document.payload, 'base64url').toString('utf8') : document.payload;
  let payload: Record<string, unknown> | null = null;
  try {
    const parsed = JSON.parse(payloadText);
    payload = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    payload = null;
  }
  const signingTime = typeof header.sigT === 'string' ? header.sigT : null;
  const critical = Array.isArray(header.crit) ? header.crit.map(String) : [];
  const notUnderstood = critical.filter((name) => !UNDERSTOOD_CRITICAL.has(name));
  if (notUnderstood.length > 0) return fail(`The seal marks ${notUnderstood.join(', ')} critical, which Cairn does not understand`, { payload, signingTime });
  if (header.b64 === false && !critical.includes('b64')) return fail('An unencoded payload (b64: false) must be listed in crit (RFC 7797)', { payload, signingTime });
  const algorithm = String(header.alg ?? '');
  if (!ALGORITHMS[algorithm]) return fail(`The seal's algorithm ${algorithm || '(none)'} is not one Cairn verifies (RS/PS/ES 256–512)`, { payload, signingTime });
  const chain = Array.isArray(header.x5c) ? header.x5c : Array.isArray(seal.header?.x5c) ? (seal.header!.x5c as unknown[]) : [];
  if (chain.length === 0) return fail('The seal carries no certificate chain (x5c)', { payload, signingTime });
  let certificates: x509.X509Certificate[];
  try {
    certificates = chain.map((entry) => new x509.X509Certificate(Buffer.from(String(entry), 'base64')));
  } catch {
    return fail('The seal’s x5c is not a list of base64 DER certificates', { payload, signingTime });
  }
  const [leaf, ...intermediates] = certificates as [x509.X509Certificate, ...x509.X509Certificate[]];
  const sealedBy = describe(leaf);
  const thumbprint = header['x5t#S256'];
  if (typeof thumbprint === 'string' && thumbprint !== Buffer.from(sealedBy.sha256, 'hex').toString('base64url')) {
    return fail('The seal’s x5t#S256 does not match its signing certificate', { payload, signingTime, sealedBy });
  }
  const input = Buffer.concat([Buffer.from(`${seal.protected}.`, 'ascii'), Buffer.from(document.payload, encoded ? 'ascii' : 'utf8')]);
  let holds = false;
  try {
    holds = signatureHolds(algorithm, new NodeCertificate(Buffer.from(leaf.rawData)).publicKey, input, Buffer.from(seal.signature, 'base64url'));
  } catch {
    holds = false; // a key of a type the algorithm does not fit (an EC key for RS256) is a seal that does not hold
  }
  if (!holds) return fail(`The seal's ${algorithm} signature does not match the sealed document: it was changed after sealing, or sealed with another key`, { payload, signingTime, sealedBy });
  // A seal is judged at the time it was made; without a trusted timestamp that is the time it claims (sigT).
  const at = signingTime && !Number.isNaN(Date.parse(signingTime)) ? new Date(signingTime) : options.now;
  const { trust, message } = await chainTrust(leaf, intermediates, options.trustAnchors, at);
  return {
    signatureValid: true,
    signatureMessage: `A valid ${algorithm} JAdES seal by "${sealedBy.subject}"${signingTime ? `, made at ${signingTime} (claimed, not timestamped)` : ''}`,
    trust,
    trustMessage: message,
    payload,
    sealedBy,
    signingTime,
  };
}
