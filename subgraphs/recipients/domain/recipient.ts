import { AppError } from '../../../lib/errors.js';
import { normaliseIdentities, type Identity } from '../../../lib/identity.js';

export interface NewRecipientInput {
  name?: string | null;
  identities: readonly Identity[];
}

export interface NewRecipient {
  name: string | null;
  identities: Identity[];
}

/** @default 200 */
const MAX_NAME_LENGTH = 200;

/** A display name is optional: issuers often know a person only by an e-mail address. */
export function normaliseRecipientName(name: string | null | undefined): string | null {
  const trimmed = name?.trim() || null;
  if (trimmed && trimmed.length > MAX_NAME_LENGTH) {
    throw new AppError('BAD_USER_INPUT', `name must be at most ${MAX_NAME_LENGTH} characters`, { field: 'name' });
  }
  return trimmed;
}

export function normaliseNewRecipient(input: NewRecipientInput): NewRecipient {
  return { name: normaliseRecipientName(input.name), identities: normaliseIdentities(input.identities) };
}
