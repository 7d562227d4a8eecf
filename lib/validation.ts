import { AppError } from './errors.js';

/** Good enough to catch typos; deliverability is proved by sending, not by a pattern. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function invalid(field: string, message: string): never {
  throw new AppError('BAD_USER_INPUT', message, { field });
}

/** Trimmed, non-empty text of at most `maxLength` characters. */
export function requiredText(value: string, field: string, maxLength: number): string {
  const trimmed = value.trim();
  if (!trimmed) invalid(field, `${field} must not be empty`);
  if (trimmed.length > maxLength) invalid(field, `${field} must be at most ${maxLength} characters`);
  return trimmed;
}

/** Trimmed text of at most `maxLength` characters, or null when absent or blank. */
export function optionalText(value: string | null | undefined, field: string, maxLength: number): string | null {
  return value?.trim() ? requiredText(value, field, maxLength) : null;
}

/** An absolute http(s) URL in canonical form; `label` names it in messages (default: the field). */
export function httpUrl(value: string, field: string, label = field): string {
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    invalid(field, `${label} must be an absolute URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') invalid(field, `${label} must be an http(s) URL`);
  return parsed.toString();
}

/** Inline images up to this size may live in a credential (every credential of the achievement carries them). */
export const MAX_IMAGE_DATA_URI_LENGTH = 350_000;
const IMAGE_DATA_URI = /^data:image\/(png|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/;

/**
 * An image reference as OB 3.0 allows it: an http(s) URL, or a base64 `data:` URI of a PNG or SVG (an uploaded
 * image, which then travels inside every credential and needs no server to stay visible).
 */
export function imageUrl(value: string, field: string): string {
  const trimmed = value.trim();
  if (!trimmed.startsWith('data:')) return httpUrl(trimmed, field);
  if (!IMAGE_DATA_URI.test(trimmed)) invalid(field, `${field} must be an http(s) URL or a base64 data: URI of a PNG or SVG image`);
  if (trimmed.length > MAX_IMAGE_DATA_URI_LENGTH) invalid(field, `${field} is a data: URI of ${trimmed.length} characters; at most ${MAX_IMAGE_DATA_URI_LENGTH} fit in a credential (link a larger image by URL)`);
  return trimmed;
}

/** A lowercased e-mail address of at most 254 characters (the longest SMTP can deliver to). */
export function emailAddress(value: string, field: string, label = field): string {
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) invalid(field, `${label} must be an e-mail address`);
  return email;
}
