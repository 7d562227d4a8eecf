import { hashIdentity } from '../../../lib/crypto/identity-hash.js';
import { OB_CREDENTIAL_CONTEXTS, OB_CREDENTIAL_SCHEMA_ENTRY } from '../../../lib/crypto/ob-constants.js';
import { AppError } from '../../../lib/errors.js';
import { IdentityType, normaliseIdentity, type Identity } from '../../../lib/identity.js';
import { httpUrl, optionalText } from '../../../lib/validation.js';

export interface RecipientRequest {
  email?: string | null;
  did?: string | null;
  url?: string | null;
  phone?: string | null;
  studentId?: string | null;
  name?: string | null;
}

export interface RecipientIdentity extends Identity {
  name: string | null;
}

const IDENTITY_FIELDS = { email: IdentityType.EMAIL, did: IdentityType.DID, url: IdentityType.URL, phone: IdentityType.PHONE, studentId: IdentityType.STUDENT_ID } as const;

/** Exactly one identity, normalised by the same rule the recipients subgraph matches wallets with. */
export function normaliseRecipient(recipient: RecipientRequest): RecipientIdentity {
  const given = (Object.keys(IDENTITY_FIELDS) as (keyof typeof IDENTITY_FIELDS)[]).filter((field) => recipient[field]?.trim());
  if (given.length !== 1) {
    throw new AppError('BAD_USER_INPUT', 'recipient needs exactly one of email, did, url, phone or studentId', { field: 'recipient' });
  }
  const field = given[0]!;
  const identity = normaliseIdentity({ type: IDENTITY_FIELDS[field], value: recipient[field]! }, `recipient.${field}`);
  return { ...identity, name: optionalText(recipient.name, 'recipient.name', 200) };
}

/**
 * The AchievementSubject's identification: a DID or URL is the subject `id`; anything else is a salted
 * `sha256$` IdentityObject, so the credential does not publish the person's e-mail or phone number.
 */
export function subjectIdentification(identity: RecipientIdentity, salt: string): Record<string, unknown> {
  if (identity.type === 'DID' || identity.type === 'URL') return { id: identity.value };
  const identityType = { EMAIL: 'emailAddress', PHONE: 'ext:phoneNumber', STUDENT_ID: 'sisSourcedId', OTHER: 'identifier' }[identity.type];
  return {
    identifier: [{ type: 'IdentityObject', identityHash: hashIdentity(identity.value, salt), identityType, hashed: true, salt }],
  };
}

export interface EvidenceRequest {
  kind: string;
  url?: string | null;
  narrative?: string | null;
  name?: string | null;
  description?: string | null;
  genre?: string | null;
}

/** OB 3.0 Evidence entries; the evidence kind becomes the `genre` when none is given. */
export function toObEvidence(evidence: readonly EvidenceRequest[]): Record<string, unknown>[] {
  return evidence.map(toObEvidenceEntry);
}

/** One OB 3.0 Evidence entry, the `index`-th of its request (errors name it). */
export function toObEvidenceEntry(item: EvidenceRequest, index: number): Record<string, unknown> {
  const field = `evidence[${index}]`;
  const entry: Record<string, unknown> = { type: ['Evidence'] };
  if (item.url?.trim()) entry.id = httpUrl(item.url, `${field}.url`);
  const narrative = optionalText(item.narrative, `${field}.narrative`, 20_000);
  const name = optionalText(item.name, `${field}.name`, 200);
  const description = optionalText(item.description, `${field}.description`, 5_000);
  if (!entry.id && !narrative) {
    throw new AppError('BAD_USER_INPUT', `${field} needs a url or a narrative: evidence must point at or describe the work`, { field });
  }
  if (narrative) entry.narrative = narrative;
  if (name) entry.name = name;
  if (description) entry.description = description;
  entry.genre = optionalText(item.genre, `${field}.genre`, 200) ?? item.kind.toLowerCase().replace(/_/g, ' ');
  return entry;
}

/** A DateTimeZ without milliseconds, as VC 2.0 dateTimeStamp wants. */
export function dateTimeZ(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface CredentialParts {
  credentialId: string;
  issuerProfile: Record<string, unknown>;
  achievement: Record<string, unknown>;
  subject: Record<string, unknown>;
  evidence: Record<string, unknown>[];
  validFrom: Date;
  validUntil: Date | null;
  credentialStatus: Record<string, unknown>;
  /** Where the credential's badge image is served (the achievement's image, or a generated badge). */
  imageUrl: string;
}

/** The unsigned OpenBadgeCredential: arrays wherever the OB schema wants arrays, nothing null. */
export function buildOpenBadgeCredential(parts: CredentialParts): Record<string, unknown> {
  return {
    '@context': [...OB_CREDENTIAL_CONTEXTS],
    id: `urn:uuid:${parts.credentialId}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: parts.achievement.name,
    image: { id: parts.imageUrl, type: 'Image' },
    issuer: parts.issuerProfile,
    validFrom: dateTimeZ(parts.validFrom),
    ...(parts.validUntil ? { validUntil: dateTimeZ(parts.validUntil) } : {}),
    credentialSubject: { type: ['AchievementSubject'], ...parts.subject, achievement: parts.achievement },
    ...(parts.evidence.length > 0 ? { evidence: parts.evidence } : {}),
    credentialSchema: [{ ...OB_CREDENTIAL_SCHEMA_ENTRY }],
    credentialStatus: parts.credentialStatus,
  };
}
