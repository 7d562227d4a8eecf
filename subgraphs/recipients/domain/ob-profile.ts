import { AppError } from '../../../lib/errors.js';

/** An OB 3.0 Profile (ob_v3p0_profile_schema.json) as far as a Cairn recipient has one. */
export interface ObProfile {
  id: string;
  type: ['Profile'];
  name?: string;
  email?: string;
}

/** @default 200 // a display name, not a document */
const MAX_NAME_LENGTH = 200;

/** Fields a PUT may carry unchanged (they identify the profile or are JSON-LD framing), besides those it may change. */
const FRAMING = new Set(['@context', 'id', 'type']);

/**
 * The recipient as an OB Profile: `urn:uuid:` of the recipient id (stable, and it reveals nothing), the name they
 * chose and their first proven e-mail address.
 */
export function obProfileOf(recipient: { id: string; name: string | null }, emails: readonly string[]): ObProfile {
  return {
    id: `urn:uuid:${recipient.id}`,
    type: ['Profile'],
    ...(recipient.name ? { name: recipient.name } : {}),
    ...(emails[0] ? { email: emails[0] } : {}),
  };
}

/**
 * What a `PUT /profile` body changes. Only `name` is the recipient's to write here: an e-mail address joins a wallet
 * only once proven (GraphQL `requestEmailVerification` / `verifyEmail`), so `email` must be one already proven, and
 * any other Profile field is refused by name rather than silently dropped. An absent `name` leaves it as it is;
 * `null` or "" clears it.
 */
export function profileChange(current: ObProfile, provenEmails: readonly string[], body: unknown): { name: string | null } | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('BAD_USER_INPUT', 'The body must be a Profile object');
  const profile = body as Record<string, unknown>;
  if (profile.id !== undefined && profile.id !== current.id) {
    throw new AppError('BAD_USER_INPUT', `id must be ${current.id}, the id of your profile`, { field: 'id' });
  }
  const type = profile.type;
  if (type !== undefined && !(type === 'Profile' || (Array.isArray(type) && type.includes('Profile')))) {
    throw new AppError('BAD_USER_INPUT', 'type must include "Profile"', { field: 'type' });
  }
  if (profile.email !== undefined && !(typeof profile.email === 'string' && provenEmails.includes(profile.email.trim().toLowerCase()))) {
    throw new AppError('BAD_USER_INPUT', 'email must be one of your proven addresses: prove a new one with requestEmailVerification first', { field: 'email' });
  }
  const unsupported = Object.keys(profile).filter((key) => !FRAMING.has(key) && key !== 'name' && key !== 'email');
  if (unsupported.length > 0) {
    throw new AppError('BAD_USER_INPUT', `These Profile fields cannot be set on a Cairn recipient: ${unsupported.join(', ')}`, { field: unsupported[0] });
  }
  if (profile.name === undefined) return null;
  if (profile.name !== null && typeof profile.name !== 'string') throw new AppError('BAD_USER_INPUT', 'name must be a string', { field: 'name' });
  const name = (profile.name ?? '').trim();
  if (name.length > MAX_NAME_LENGTH) throw new AppError('BAD_USER_INPUT', `name must be at most ${MAX_NAME_LENGTH} characters`, { field: 'name' });
  return { name: name || null };
}
