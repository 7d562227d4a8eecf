import { renderMarkdown } from './render.js';

/** One check of the verifier, as the API answers it: only FAILED counts against the verdict. */
export interface VerificationCheck {
  name: string;
  outcome: 'PASSED' | 'FAILED' | 'WARNING' | 'SKIPPED';
  message: string;
}

/** How each outcome shows: a mark for the eye, a word for screen readers, a class for its colour. */
const OUTCOME_MARKS: Record<VerificationCheck['outcome'], { mark: string; word: string; tone: string }> = {
  PASSED: { mark: '✓', word: 'passed', tone: 'pass' },
  FAILED: { mark: '✗', word: 'failed', tone: 'fail' },
  WARNING: { mark: '!', word: 'warning', tone: 'warn' },
  SKIPPED: { mark: '–', word: 'did not apply', tone: 'skipped' },
};

export interface Verification {
  status: string;
  verified: boolean;
  checks: VerificationCheck[];
  checkedAt: string;
}

/** What the issuer recorded about a credential's status (the reason it gave for a revocation or suspension). */
export interface IssuanceStatus {
  status: string;
  reason: string | null;
}

/** The checks in plain words: what each one asked of the credential. */
const CHECK_TITLES: Record<string, string> = {
  FORMAT: 'Readable credential',
  SCHEMA: 'Open Badges 3.0 shape',
  SUBJECT: 'Achievement and recipient',
  PROOF: "Issuer's signature",
  STATUS: 'Not revoked or suspended',
  VALIDITY: 'Within its dates',
  RECIPIENT: 'Recipient',
  ISSUER: 'Known issuer',
};

const HEADLINES: Record<string, string> = {
  VALID: 'This credential is genuine, unaltered and in force.',
  INVALID: 'This credential did not pass verification: see the failed check below.',
  REVOKED: 'The issuer has revoked this credential. It is no longer valid.',
  SUSPENDED: 'The issuer has suspended this credential. It is not valid while suspended.',
  EXPIRED: 'This credential has expired.',
  NOT_YET_VALID: 'This credential is not valid yet.',
  STATUS_UNKNOWN: 'The signature checks out, but whether it was revoked could not be checked.',
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
/** Only http(s) links become anchors: a `javascript:` URL from a credential stays text. */
const httpUrl = (value: unknown): string | null => {
  const candidate = text(value);
  if (!candidate) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
};

export function formatDate(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

export function formatDateTime(iso: string): string {
  return `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso))} UTC`;
}

/** A did:web issuer whose DID names the host of its website: the issuer controls that domain. */
export function isVerifiedDomain(did: string | null, website: string | null): boolean {
  if (!did?.startsWith('did:web:') || !website) return false;
  try {
    const host = decodeURIComponent(did.slice('did:web:'.length).split(':')[0]!);
    return host.toLowerCase() === new URL(website).host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * The hub page of an issuer of this hub, from the id its credentials carry: `did:web:<hub host>:issuers:<id>`, or the
 * profile URL `<hub>/issuers/<id>`. A relative link, so it works whichever address the visitor came by.
 */
export function hubIssuerPath(issuerId: string, origin: string): string | null {
  const hubHost = new URL(origin).host;
  const didWeb = /^did:web:([^:]+):issuers:([^:/?#]+)$/.exec(issuerId);
  if (didWeb && decodeURIComponent(didWeb[1]!) === hubHost) return `/issuers/${didWeb[2]}`;
  if (issuerId.startsWith(`${origin}/issuers/`)) return issuerId.slice(origin.length);
  return null;
}

/**
 * An issuer's logo, when the browser can show it without asking another site: inline (a data: URI of an image) or
 * served by this hub. A logo elsewhere is not shown, so a page never makes the visitor's browser call a third party.
 */
export function displayableLogo(image: unknown, origin: string): string | null {
  const url = isObject(image) ? text(image.id) : text(image);
  if (!url) return null;
  if (/^data:image\/(png|jpeg|gif|webp|svg\+xml)[;,]/i.test(url)) return url;
  return url.startsWith(`${origin}/`) ? url.slice(origin.length) : null;
}

/** How an OB 3.0 IdentityObject's `identityType` reads when the identity itself is not shown. */
const IDENTITY_TYPES: Record<string, string> = {
  emailAddress: 'a verified e-mail address',
  'ext:phoneNumber': 'a phone number',
  sisSourcedId: 'a student ID',
  identifier: 'an identifier the issuer holds',
};

/**
 * Who the credential was awarded to, as the holder allows: their name when they made the credential PUBLIC
 * (`Credential.holderName`, null otherwise), else only the kind of identity the credentialSubject is bound to, never
 * the identity (a salted hash of an e-mail address says nothing to a visitor; a DID or URL is the holder's to publish).
 */
export function recipientShown(subject: Json, holderName: string | null): string {
  const name = text(holderName);
  if (name) return name;
  const subjectId = text(subject.id);
  if (subjectId?.startsWith('did:')) return 'Issued to a DID (decentralised identifier)';
  if (subjectId && httpUrl(subjectId)) return 'Issued to a web address';
  const identity = list(subject.identifier).find(isObject);
  const kind = identity ? IDENTITY_TYPES[text(identity.identityType) ?? ''] : undefined;
  return `Issued to ${kind ?? 'an identity the issuer checked'}`;
}

/** "5 of 8 checks passed, 1 failed, 1 with a warning; 1 did not apply." */
function checksSummary(checks: readonly VerificationCheck[]): string {
  const count = (outcome: VerificationCheck['outcome']) => checks.filter((check) => check.outcome === outcome).length;
  const parts = [`${count('PASSED')} of ${checks.length} checks passed`];
  if (count('FAILED')) parts.push(`${count('FAILED')} failed`);
  if (count('WARNING')) parts.push(`${count('WARNING')} with a warning`);
  const skipped = count('SKIPPED');
  return `${parts.join(', ')}${skipped ? `; ${skipped} did not apply` : ''}.`;
}

/** `kept`: the verdict is the verifier's kept one (the credential page), not one made for this request. */
export function verificationPanel(verification: Verification, kept = false) {
  return {
    kept,
    checkedAt: verification.checkedAt,
    checkedAtText: formatDateTime(verification.checkedAt),
    summary: checksSummary(verification.checks),
    checks: verification.checks.map((check) => ({ ...check, ...OUTCOME_MARKS[check.outcome], title: CHECK_TITLES[check.name] ?? check.name })),
  };
}

export function verdictBanner(status: string, reason: string | null = null) {
  return { status, headline: HEADLINES[status] ?? status, reason };
}

/**
 * Everything the credential page shows, from the signed document (what the issuer vouched for), the verifier's
 * answer and, for this hub's credentials, the issuer's recorded status reason. Pure: the page's data, no HTML but
 * the criteria Markdown rendered safely.
 */
export function credentialView(input: {
  id: string;
  origin: string;
  document: Json;
  verification: Verification;
  issuance: IssuanceStatus | null;
  linkedInUrl: string | null;
  /** The holder's choice of who may read it, when the visitor is the holder (null for anyone else). */
  holderVisibility?: string | null;
  /** The holder's name, given only once they made the credential PUBLIC. */
  holderName?: string | null;
  /** For the holder of a credential that is not public: the form that makes it public and goes on to LinkedIn. */
  publishForm?: { action: string; token: string } | null;
}) {
  const { id, origin, document, verification, issuance } = input;
  const subject = isObject(document.credentialSubject) ? document.credentialSubject : {};
  const achievement = isObject(subject.achievement) ? subject.achievement : {};
  const issuer = isObject(document.issuer) ? document.issuer : { id: document.issuer };
  const criteria = isObject(achievement.criteria) ? achievement.criteria : {};
  const name = text(achievement.name) ?? text(document.name) ?? 'Credential';
  const issuerName = text(issuer.name) ?? text(issuer.id) ?? 'Unknown issuer';
  const issuerDid = text(issuer.id) ?? '';
  const issuerUrl = httpUrl(issuer.url);
  const url = `${origin}/credentials/${encodeURIComponent(id)}`;
  // The status reason belongs to the verdict only when the verifier sees the same state the issuer recorded.
  const reason = issuance && issuance.status === verification.status ? issuance.reason : null;
  return {
    url,
    origin,
    name,
    description: text(achievement.description) ?? text(document.description) ?? '',
    achievementType: text(achievement.achievementType)?.replace(/^ext:/, '') ?? 'Achievement',
    credits: typeof achievement.creditsAvailable === 'number' ? String(achievement.creditsAvailable) : null,
    badgeImageUrl: `/credentials/${encodeURIComponent(id)}/badge.svg`,
    badgeAlt: `${name} badge`,
    criteriaHtml: renderMarkdown(text(criteria.narrative)),
    criteriaUrl: httpUrl(criteria.id),
    alignments: list(achievement.alignment).filter(isObject).map((alignment) => ({
      name: text(alignment.targetName) ?? 'Skill',
      url: httpUrl(alignment.targetUrl),
      framework: text(alignment.targetFramework),
      code: text(alignment.targetCode),
    })),
    evidence: list(document.evidence).filter(isObject).map((item, index) => ({
      name: text(item.name) ?? text(item.genre) ?? `Evidence ${index + 1}`,
      url: httpUrl(item.id),
      narrative: text(item.narrative) ?? text(item.description),
    })),
    issuer: { name: issuerName, did: issuerDid, url: issuerUrl, verifiedDomain: isVerifiedDomain(issuerDid, issuerUrl), pageUrl: hubIssuerPath(issuerDid, origin), logo: displayableLogo(issuer.image, origin) },
    recipientText: recipientShown(subject, input.holderName ?? null),
    issuedText: formatDate(text(document.validFrom) ?? text(document.issuanceDate)) ?? 'unknown',
    expiresText: formatDate(text(document.validUntil) ?? text(document.expirationDate)) ?? 'does not expire',
    verdict: verdictBanner(verification.status, reason),
    verification: verificationPanel(verification, true),
    downloads: { json: `${url}?format=json`, jwt: `${url}?format=jwt`, png: `${url}/badge.png`, svg: `${url}/badge.svg` },
    linkedInUrl: input.linkedInUrl,
    // The holder sees this page; LinkedIn's visitors and whoever gets the link see "not found" until it is public.
    onlyForHolder: input.holderVisibility != null && input.holderVisibility !== 'PUBLIC',
    publishForm: input.publishForm ?? null,
  };
}

export type CredentialView = ReturnType<typeof credentialView>;
