import type * as x509 from '@peculiar/x509';
import { validateEdc } from '../europass/edc-validation.js';
import { verifyJadesSeal, type JadesDocument, type JadesVerification } from '../europass/jades.js';
import { nestsDeeperThan } from '../json-depth.js';
import { formatCheck, parseDate } from './credential-checks.js';
import type { CheckReport, CredentialSummary, IssuerTrust } from './types.js';

/**
 * The checks of a sealed European Digital Credential (EDC, ELM 3.x, VC 1.1 envelope, JAdES e-seal), in the verifier's
 * order. What differs from an Open Badge: the schema is the Commission's EDC shapes, the proof is the seal, and the
 * issuer is trusted through the seal's certificate chain (EU trusted lists, configured by the operator), not a DID.
 */

type Json = Record<string, unknown>;

const EDC_TYPE = 'EuropeanDigitalCredential';
/** @default 64 // as for any credential (lib/verify/unwrap.ts): JSON-LD expansion recurses per level */
const MAX_PAYLOAD_DEPTH = 64;
/** How many shape violations a failed schema check names before "and n more". */
const VIOLATIONS_NAMED = 3;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** The first text of an ELM language map (`{ "en": "…" }`), English first. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return null;
  const english = value.en;
  const first = typeof english === 'string' ? english : Object.values(value).find((entry) => typeof entry === 'string');
  return typeof first === 'string' ? first : null;
}

export interface EdcChecks {
  head: CheckReport[];
  seal: JadesVerification;
  credential: Json | null;
}

/** Format, schema, subject and proof (the seal) of a sealed EDC. */
export async function edcHeadChecks(sealed: JadesDocument, options: { trustAnchors: readonly x509.X509Certificate[] | null; now: Date }): Promise<EdcChecks> {
  const seal = await verifyJadesSeal(sealed, options);
  const credential = seal.payload;
  if (!credential) return { head: [{ name: 'format', passed: false, message: 'The sealed payload is not a JSON object' }], seal, credential: null };
  // The payload is a string inside the seal, so the input's own depth limit never saw it.
  if (nestsDeeperThan(credential, MAX_PAYLOAD_DEPTH)) {
    return { head: [{ name: 'format', passed: false, message: `The sealed payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels` }], seal, credential: null };
  }
  const types = asArray(credential.type);
  const format = formatCheck(credential);
  const formatReport: CheckReport = !types.includes(EDC_TYPE)
    ? { name: 'format', passed: false, message: `A sealed EDC's payload must have type ${EDC_TYPE}` }
    : format.passed
      ? { name: 'format', passed: true, message: 'A well-formed European Digital Credential (VC 1.1, bundled contexts only) under a JAdES seal' }
      : format;
  const validation = await validateEdc(credential);
  const named = validation.violations.slice(0, VIOLATIONS_NAMED).map((violation) => `${violation.focusNode} ${violation.message}`);
  const more = validation.violations.length > VIOLATIONS_NAMED ? ` and ${validation.violations.length - VIOLATIONS_NAMED} more` : '';
  const schema: CheckReport = validation.conforms
    ? { name: 'schema', passed: true, message: 'Conforms to the EDC application profile (the Commission’s edc-generic-full SHACL shapes)' }
    : {
        name: 'schema',
        passed: false,
        message: validation.undefinedTerms.length > 0 && validation.violations.length === 0
          ? `Uses terms the EDC context does not define: ${validation.undefinedTerms.join(', ')}`
          : `Does not conform to the EDC application profile: ${named.join('; ')}${more}${validation.undefinedTerms.length ? `; undefined terms ${validation.undefinedTerms.join(', ')}` : ''}`,
      };
  const subject = asArray(credential.credentialSubject).find(isObject);
  const subjectReport: CheckReport = subject && typeof subject.id === 'string'
    ? { name: 'subject', passed: true, message: 'The subject is identified' }
    : { name: 'subject', passed: true, outcome: 'WARNING', message: 'The EDC’s subject has no id: anyone holding it is its subject' };
  const proof: CheckReport = { name: 'proof', passed: seal.signatureValid, message: seal.signatureMessage };
  return { head: [formatReport, schema, subjectReport, proof], seal, credential };
}

/**
 * Issuer trust through the seal: a chain to a configured anchor is a known issuer; no anchor (or none reached) is
 * "seal valid, issuer trust unknown", a warning unless the operator requires known issuers; a broken chain fails.
 */
export function edcIssuerCheck(credential: Json, seal: JadesVerification, requireKnownIssuer: boolean): { check: CheckReport; issuer: IssuerTrust | null } {
  const issuerNode = isObject(credential.issuer) ? credential.issuer : null;
  const id = typeof credential.issuer === 'string' ? credential.issuer : typeof issuerNode?.id === 'string' ? issuerNode.id : null;
  const sealedBy = seal.sealedBy ? `sealed by "${seal.sealedBy.subject}"` : 'not sealed';
  const issuer: IssuerTrust | null = id
    ? { id, name: textOf(issuerNode?.legalName), known: seal.trust === 'TRUSTED', source: seal.trust === 'TRUSTED' ? 'eu-trust-anchor' : null, hubIssuerId: null }
    : null;
  if (!seal.signatureValid) return { check: { name: 'issuer', passed: false, message: `Issuer not checked: ${seal.signatureMessage}` }, issuer };
  if (seal.trust === 'TRUSTED') return { check: { name: 'issuer', passed: true, message: `${seal.trustMessage}; ${sealedBy}` }, issuer };
  if (seal.trust === 'INVALID') return { check: { name: 'issuer', passed: false, message: seal.trustMessage }, issuer };
  const message = `Seal valid, issuer trust unknown (${sealedBy}): ${seal.trustMessage}`;
  return { check: requireKnownIssuer ? { name: 'issuer', passed: false, message } : { name: 'issuer', passed: true, outcome: 'WARNING', message }, issuer };
}

/** The recipient check of an EDC: its subject's contact e-mail addresses (`mailto:` mailboxes). */
export function edcRecipientCheck(credential: Json, email: string | null | undefined): CheckReport {
  if (!email) return { name: 'recipient', passed: true, outcome: 'SKIPPED', message: 'No recipient was asked about' };
  const wanted = `mailto:${email.trim().toLowerCase()}`;
  const addresses = asArray(credential.credentialSubject)
    .filter(isObject)
    .flatMap((subject) => asArray(subject.contactPoint).filter(isObject))
    .flatMap((contact) => asArray(contact.emailAddress))
    .map((address) => (isObject(address) ? address.id : address))
    .filter((address): address is string => typeof address === 'string')
    .map((address) => address.toLowerCase());
  return addresses.includes(wanted)
    ? { name: 'recipient', passed: true, message: `Issued to ${email}` }
    : { name: 'recipient', passed: false, message: `The EDC's subject lists no contact address ${email}` };
}

/** What the EDC claims, in the verifier's format-independent summary. */
export function summarizeEdc(credential: Json): CredentialSummary {
  const subject = asArray(credential.credentialSubject).find(isObject);
  const claim = asArray(subject?.hasClaim).find(isObject);
  const specification = asArray(claim?.specifiedBy).find(isObject);
  const issuer = isObject(credential.issuer) ? credential.issuer : null;
  const date = (value: unknown) => (parseDate(value) ? (value as string) : null);
  return {
    id: typeof credential.id === 'string' ? credential.id : null,
    format: 'EDC_JADES',
    types: asArray(credential.type).filter((type): type is string => typeof type === 'string'),
    name: textOf(claim?.title) ?? textOf(asArray(credential.displayParameter).find(isObject)?.title),
    issuerId: typeof issuer?.id === 'string' ? issuer.id : typeof credential.issuer === 'string' ? credential.issuer : null,
    issuerName: textOf(issuer?.legalName),
    achievementId: typeof specification?.id === 'string' ? specification.id : null,
    achievementName: textOf(specification?.title) ?? textOf(claim?.title),
    subjectId: typeof subject?.id === 'string' ? subject.id : null,
    validFrom: date(credential.validFrom) ?? date(credential.issuanceDate),
    validUntil: date(credential.expirationDate) ?? date(credential.validUntil),
    document: credential,
  };
}
