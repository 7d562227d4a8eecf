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

/** A lowercased e-mail address of at most 254 characters (the longest SMTP can deliver to). */
export function emailAddress(value: string, field: string, label = field): string {
  const email = value.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) invalid(field, `${label} must be an e-mail address`);
  return email;
}
