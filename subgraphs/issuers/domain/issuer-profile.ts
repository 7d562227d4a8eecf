import { emailAddress, httpUrl, optionalText, requiredText } from '../../../lib/validation.js';

export interface IssuerProfileInput {
  name: string;
  url: string;
  email?: string | null;
  description?: string | null;
  image?: string | null;
}

/** @default 200 */
const MAX_NAME_LENGTH = 200;
/** @default 5_000 */
const MAX_DESCRIPTION_LENGTH = 5_000;

/**
 * Normalises an issuer profile and rejects what would make an invalid OB 3.0 Profile
 * (a Profile needs a name and a dereferenceable URL; e-mail and image are optional but must be well-formed).
 */
export function normaliseIssuerProfile(input: IssuerProfileInput): Required<IssuerProfileInput> {
  return {
    name: requiredText(input.name, 'name', MAX_NAME_LENGTH),
    url: httpUrl(input.url, 'url'),
    email: input.email?.trim() ? emailAddress(input.email, 'email') : null,
    description: optionalText(input.description, 'description', MAX_DESCRIPTION_LENGTH),
    image: input.image?.trim() ? httpUrl(input.image, 'image') : null,
  };
}
