import { AppError } from '../../../lib/errors.js';

export interface IssuerProfileInput {
  name: string;
  url: string;
  email?: string | null;
  description?: string | null;
  image?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** @default 200 */
const MAX_NAME_LENGTH = 200;
/** @default 5_000 */
const MAX_DESCRIPTION_LENGTH = 5_000;

function httpUrl(value: string, field: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new AppError('BAD_USER_INPUT', `${field} must be an absolute URL`, { field });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new AppError('BAD_USER_INPUT', `${field} must be an http(s) URL`, { field });
  }
  return parsed.toString();
}

/**
 * Normalises an issuer profile and rejects what would make an invalid OB 3.0 Profile
 * (a Profile needs a name and a dereferenceable URL; e-mail and image are optional but must be well-formed).
 */
export function normaliseIssuerProfile(input: IssuerProfileInput): Required<IssuerProfileInput> {
  const name = input.name.trim();
  if (!name) throw new AppError('BAD_USER_INPUT', 'name must not be empty', { field: 'name' });
  if (name.length > MAX_NAME_LENGTH) {
    throw new AppError('BAD_USER_INPUT', `name must be at most ${MAX_NAME_LENGTH} characters`, { field: 'name' });
  }
  const email = input.email?.trim() || null;
  if (email && !EMAIL.test(email)) throw new AppError('BAD_USER_INPUT', 'email is not an e-mail address', { field: 'email' });
  const description = input.description?.trim() || null;
  if (description && description.length > MAX_DESCRIPTION_LENGTH) {
    throw new AppError('BAD_USER_INPUT', `description must be at most ${MAX_DESCRIPTION_LENGTH} characters`, {
      field: 'description',
    });
  }
  return {
    name,
    url: httpUrl(input.url.trim(), 'url'),
    email,
    description,
    image: input.image?.trim() ? httpUrl(input.image.trim(), 'image') : null,
  };
}
