import { AppError } from './errors.js';
import { emailAddress, httpUrl } from './validation.js';

/** How a recipient is known: the identity types Cairn accepts. Issuers and recipients must normalise them alike, or a credential would land in a second wallet. */
export enum IdentityType {
  EMAIL = 'EMAIL',
  DID = 'DID',
  URL = 'URL',
  PHONE = 'PHONE',
  STUDENT_ID = 'STUDENT_ID',
  OTHER = 'OTHER',
}

export interface Identity {
  type: IdentityType;
  value: string;
}

/** @default 20 // enough for every address a person uses; more suggests a merge of several people */
export const MAX_IDENTITIES = 20;
/** @default 200 */
const MAX_OPAQUE_LENGTH = 200;
/** @default 2_048 */
const MAX_URI_LENGTH = 2_048;

/**
 * did:<method>:<method-specific-id> (W3C DID Core §3.1): a lowercase method, then an id of idchars and
 * pct-encodings that may contain ':' but not end with it.
 */
const DID = /^did:[a-z0-9]+:(?:[A-Za-z0-9._%-]*:)*[A-Za-z0-9._%-]+$/;
/** E.164: a '+', then at most 15 digits; fewer than 8 is no real subscriber number. */
const E164 = /^\+[0-9]{8,15}$/;

function invalid(field: string, message: string): never {
  throw new AppError('BAD_USER_INPUT', message, { field });
}

function normaliseEmail(value: string, field: string): string {
  return emailAddress(value, field, 'an EMAIL identity');
}

function normaliseDid(value: string, field: string): string {
  if (value.length > MAX_URI_LENGTH || !DID.test(value)) invalid(field, 'a DID identity must look like did:<method>:<id>');
  return value;
}

function normaliseUrl(value: string, field: string): string {
  const url = httpUrl(value, field, 'a URL identity');
  if (url.length > MAX_URI_LENGTH) invalid(field, `a URL identity must be at most ${MAX_URI_LENGTH} characters`);
  return url;
}

function normalisePhone(value: string, field: string): string {
  // People write numbers with spaces and dashes; the same number must match however it was typed.
  const phone = value.replace(/[\s-]/g, '');
  if (!E164.test(phone)) invalid(field, 'a PHONE identity must be in E.164 form, e.g. +4915112345678');
  return phone;
}

function normaliseOpaque(value: string, field: string): string {
  if (value.length > MAX_OPAQUE_LENGTH) invalid(field, `an identity value must be at most ${MAX_OPAQUE_LENGTH} characters`);
  return value;
}

/**
 * One identity in the form it is stored and matched in: two spellings of the same address must meet the
 * UNIQUE (type, value) constraint, or one person would silently get two wallets.
 */
export function normaliseIdentity(identity: Identity, field = 'value'): Identity {
  const value = identity.value.trim();
  if (!value) invalid(field, 'an identity value must not be empty');
  switch (identity.type) {
    case IdentityType.EMAIL:
      return { type: identity.type, value: normaliseEmail(value, field) };
    case IdentityType.DID:
      return { type: identity.type, value: normaliseDid(value, field) };
    case IdentityType.URL:
      return { type: identity.type, value: normaliseUrl(value, field) };
    case IdentityType.PHONE:
      return { type: identity.type, value: normalisePhone(value, field) };
    case IdentityType.STUDENT_ID:
    case IdentityType.OTHER:
      return { type: identity.type, value: normaliseOpaque(value, field) };
    default:
      return invalid(field.replace(/value$/, 'type'), `unknown identity type ${String(identity.type)}`);
  }
}

/** An identity as a map key: its type and value (no type has a colon). Normalise the identity first. */
export function identityKey(identity: Identity): string {
  return `${identity.type}:${identity.value}`;
}

/**
 * A recipient's identities, normalised and without repeats (the same address typed twice is not a conflict
 * with itself). A recipient nobody can be matched by would be unreachable, hence at least one.
 */
export function normaliseIdentities(identities: readonly Identity[]): Identity[] {
  const unique = new Map<string, Identity>();
  identities.forEach((identity, index) => {
    const normalised = normaliseIdentity(identity, `identities[${index}].value`);
    unique.set(identityKey(normalised), normalised);
  });
  if (unique.size === 0) invalid('identities', 'a recipient needs at least one identity');
  if (unique.size > MAX_IDENTITIES) invalid('identities', `a recipient may have at most ${MAX_IDENTITIES} identities`);
  return [...unique.values()];
}
