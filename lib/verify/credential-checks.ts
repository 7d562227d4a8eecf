import { getBundledContexts } from '../crypto/document-loader.js';
import { identityMatches } from '../crypto/identity-hash.js';
import { OB_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL } from '../crypto/ob-constants.js';
import { validateAchievementCredential } from '../crypto/schema.js';
import type { CredentialFormat, CredentialSummary, CheckReport } from './types.js';

/**
 * The checks of a VC 2.0 / 1.1 credential that need neither keys nor network: data model, schema, subject, validity
 * window and recipient. Pure functions of the JSON (and the clock), so they are cheap to run before any proof work.
 */

export const VC_2_0_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const VC_1_1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
const OB_TYPES = new Set(['OpenBadgeCredential', 'AchievementCredential', 'EndorsementCredential']);
const OB_SCHEMA_URLS = new Set([OB_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL]);
/** Clocks differ between an issuer and a verifier: a credential issued seconds ago elsewhere is not "not yet valid". */
export const CLOCK_SKEW_MS = 5 * 60_000;

type Json = Record<string, unknown>;

/** VC 2.0 or 1.1 by the first `@context` (the data model requires it first), or null when neither. */
export function credentialFormatOf(credential: Json): CredentialFormat {
  const first = asArray(credential['@context'])[0];
  if (first === VC_2_0_CONTEXT) return 'VC_2_0';
  if (first === VC_1_1_CONTEXT) return 'VC_1_1';
  return 'UNKNOWN';
}

/**
 * What is wrong with a credential's or presentation's `@context`, before any JSON-LD runs: VC 2.0 or 1.1 first, and
 * every context URL bundled (they are never fetched). Null when nothing is.
 */
export function contextProblem(document: Json, what: 'credential' | 'presentation'): string | null {
  const contexts = asArray(document['@context']);
  if (contexts.length === 0) return `The ${what} has no @context`;
  if (credentialFormatOf(document) === 'UNKNOWN') return `The first @context must be ${VC_2_0_CONTEXT} (VC 2.0) or ${VC_1_1_CONTEXT} (VC 1.1), got ${describe(contexts[0])}`;
  const bundled = getBundledContexts();
  for (const context of contexts) {
    if (typeof context === 'string' && !bundled.has(context)) return `Unknown JSON-LD context ${context}: contexts are never fetched, and this one is not bundled`;
    if (typeof context !== 'string' && !isObject(context)) return `An @context entry is neither a URL nor an object: ${describe(context)}`;
  }
  return null;
}

/** The VC data model rules a JSON-LD processor would not catch, and every context URL known before any JSON-LD runs. */
export function formatCheck(credential: Json): CheckReport {
  const fail = (message: string): CheckReport => ({ name: 'format', passed: false, message });
  const problem = contextProblem(credential, 'credential');
  if (problem) return fail(problem);
  const format = credentialFormatOf(credential);
  const types = asArray(credential.type);
  if (!types.includes('VerifiableCredential')) return fail('type must include VerifiableCredential');
  const issuerId = issuerIdOf(credential);
  if (!issuerId) return fail('The issuer must be a URL or an object whose id is a URL');
  if (!isUrl(issuerId)) return fail(`The issuer id is not a URL: ${issuerId}`);
  if (credential.id !== undefined && (typeof credential.id !== 'string' || !isUrl(credential.id))) {
    return fail(`The credential id must be a URL, got ${describe(credential.id)}`);
  }
  const subjects = asArray(credential.credentialSubject);
  if (subjects.length === 0 || subjects.some((subject) => !isObject(subject) || Object.keys(subject).length === 0)) {
    return fail('credentialSubject must be a non-empty object (or a list of them)');
  }
  for (const property of ['credentialStatus', 'credentialSchema', 'evidence', 'termsOfUse', 'refreshService']) {
    const untyped = asArray(credential[property]).find((entry) => !isObject(entry) || entry.type === undefined);
    if (untyped !== undefined) return fail(`Every ${property} entry needs a type`);
  }
  const dates = format === 'VC_2_0' ? (['validFrom', 'validUntil'] as const) : (['issuanceDate', 'expirationDate'] as const);
  if (format === 'VC_1_1' && credential.issuanceDate === undefined) return fail('A VC 1.1 credential needs issuanceDate');
  for (const name of dates) {
    const value = credential[name];
    if (value !== undefined && parseDate(value) === null) return fail(`${name} is not an XML Schema dateTime: ${describe(value)}`);
  }
  const from = parseDate(credential[dates[0]]);
  const until = parseDate(credential[dates[1]]);
  if (from !== null && until !== null && until < from) return fail(`${dates[1]} is before ${dates[0]}`);
  return { name: 'format', passed: true, message: `A well-formed ${format === 'VC_2_0' ? 'VC 2.0' : 'VC 1.1'} credential with bundled contexts only` };
}

/** The OB 3.0 JSON schema, run when `credentialSchema` asks for it (the OB verification steps require exactly that). */
export function schemaCheck(credential: Json): CheckReport {
  const entries = asArray(credential.credentialSchema).filter(isObject);
  const ob = entries.find((entry) => typeof entry.id === 'string' && OB_SCHEMA_URLS.has(entry.id));
  if (!ob) {
    const others = entries.map((entry) => String(entry.id)).join(', ');
    if (others) return { name: 'schema', passed: true, outcome: 'WARNING', message: `Schemas ${others} are not bundled and were not checked` };
    return { name: 'schema', passed: true, outcome: 'SKIPPED', message: 'No credentialSchema is named' };
  }
  const result = validateAchievementCredential(credential);
  if (result.valid) return { name: 'schema', passed: true, message: 'Valid against the OB 3.0 AchievementCredential JSON schema' };
  const shown = result.errors.slice(0, 3).map((error) => `${error.path || '/'} ${error.message}`).join('; ');
  const more = result.errors.length > 3 ? ` (and ${result.errors.length - 3} more)` : '';
  return { name: 'schema', passed: false, message: `Not valid against the OB 3.0 AchievementCredential JSON schema: ${shown}${more}` };
}

/**
 * Whether the subject names its recipient (OB 3.0 asks for an `id` or an `identifier`). One that names nobody is a
 * WARNING, not a failure: its proof, dates and the official OB JSON schema all hold, and widely used issuers produce
 * such credentials (a name and an achievement). It only fails where a recipient is asked about (`recipientCheck`,
 * a wallet import, a share), because it cannot be bound to a person.
 */
export function subjectCheck(credential: Json): CheckReport {
  const subjects = asArray(credential.credentialSubject).filter(isObject);
  const anonymous = subjects.filter(namesNoRecipient);
  const isOb = asArray(credential.type).some((type) => typeof type === 'string' && OB_TYPES.has(type));
  if (anonymous.length === 0) return { name: 'subject', passed: true, message: 'The subject is identified' };
  if (isOb) return { name: 'subject', passed: true, outcome: 'WARNING', message: SUBJECT_NAMES_NO_RECIPIENT };
  return { name: 'subject', passed: true, outcome: 'WARNING', message: 'The subject has no id (a bearer credential): anyone holding it is its subject' };
}

export const SUBJECT_NAMES_NO_RECIPIENT = 'The credentialSubject has neither an id nor an identifier: it names no recipient, so it cannot be bound to a person';

function namesNoRecipient(subject: Json): boolean {
  return subject.id === undefined && asArray(subject.identifier).length === 0;
}

export type ValidityVerdict = { check: CheckReport; status: 'EXPIRED' | 'NOT_YET_VALID' | null; until: Date | null };

/** The validity window (VC 2.0 validFrom/validUntil, VC 1.1 issuanceDate/expirationDate) against `now`. */
export function validityCheck(credential: Json, now: Date): ValidityVerdict {
  const v2 = credentialFormatOf(credential) !== 'VC_1_1';
  const from = parseDate(v2 ? credential.validFrom : credential.issuanceDate);
  const until = parseDate(v2 ? credential.validUntil : credential.expirationDate);
  if (from !== null && from.getTime() - CLOCK_SKEW_MS > now.getTime()) {
    return { check: { name: 'validity', passed: false, message: `Not valid until ${from.toISOString()}` }, status: 'NOT_YET_VALID', until };
  }
  if (until !== null && until.getTime() < now.getTime()) {
    return { check: { name: 'validity', passed: false, message: `Expired on ${until.toISOString()}` }, status: 'EXPIRED', until };
  }
  const message = until ? `Valid until ${until.toISOString()}` : 'Valid with no end date';
  return { check: { name: 'validity', passed: true, message }, status: null, until };
}

/**
 * Whether the credential names `email` as its recipient: a hashed (salted `sha256$`/`md5$`) or plain e-mail
 * IdentityObject, or a `mailto:` subject id. E-mail addresses compare case-insensitively, as OB 2.0 and 3.0 advise.
 */
export function recipientCheck(credential: Json, email: string | null | undefined): CheckReport {
  if (!email) return { name: 'recipient', passed: true, outcome: 'SKIPPED', message: 'No recipient was asked about' };
  const wanted = email.trim().toLowerCase();
  if (asArray(credential.credentialSubject).filter(isObject).every(namesNoRecipient)) {
    return { name: 'recipient', passed: false, message: `The credential names no recipient, so it cannot be shown to be issued to ${email}` };
  }
  for (const subject of asArray(credential.credentialSubject).filter(isObject)) {
    if (typeof subject.id === 'string' && subject.id.toLowerCase() === `mailto:${wanted}`) return recipientMatched(email);
    for (const identity of asArray(subject.identifier).filter(isObject)) {
      if (identity.identityType !== undefined && identity.identityType !== 'emailAddress') continue;
      const value = identity.identityHash;
      if (typeof value !== 'string') continue;
      const matches = identity.hashed === true || identity.hashed === 'true'
        ? [wanted, email.trim()].some((candidate) => identityMatches(value, candidate, typeof identity.salt === 'string' ? identity.salt : ''))
        : value.trim().toLowerCase() === wanted;
      if (matches) return recipientMatched(email);
    }
  }
  return { name: 'recipient', passed: false, message: `The credential was not issued to ${email}` };
}

function recipientMatched(email: string): CheckReport {
  return { name: 'recipient', passed: true, message: `Issued to ${email}` };
}

/** What the credential says about itself, for the result's summary. */
export function summarize(credential: Json, format: CredentialFormat): CredentialSummary {
  const subject = asArray(credential.credentialSubject).find(isObject);
  const achievement = subject && isObject(subject.achievement) ? subject.achievement : null;
  const issuer = credential.issuer;
  const v2 = format !== 'VC_1_1';
  return {
    id: typeof credential.id === 'string' ? credential.id : null,
    format,
    types: asArray(credential.type).filter((type): type is string => typeof type === 'string'),
    name: textOf(credential.name),
    issuerId: issuerIdOf(credential),
    issuerName: isObject(issuer) ? textOf(issuer.name) : null,
    achievementId: achievement && typeof achievement.id === 'string' ? achievement.id : null,
    achievementName: achievement ? textOf(achievement.name) : null,
    subjectId: subject && typeof subject.id === 'string' ? subject.id : null,
    validFrom: dateText(v2 ? credential.validFrom : credential.issuanceDate),
    validUntil: dateText(v2 ? credential.validUntil : credential.expirationDate),
    document: credential,
  };
}

export function issuerIdOf(credential: Json): string | null {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  return isObject(issuer) && typeof issuer.id === 'string' ? issuer.id : null;
}

/** `xsd:dateTime` as VC requires it: a date, a time and (for dateTimeStamp) a zone; anything else is null. */
export function parseDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  if (!/^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUrl(value: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(value);
}

function dateText(value: unknown): string | null {
  return parseDate(value)?.toISOString() ?? null;
}

/** A plain string, or the first value of a JSON-LD language map / value object. */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isObject(value)) {
    if (typeof value['@value'] === 'string') return value['@value'];
    const first = Object.values(value).find((entry) => typeof entry === 'string');
    return typeof first === 'string' ? first : null;
  }
  return null;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
