import { AppError } from '../../../lib/errors.js';
import { emailAddress, httpUrl, optionalText, requiredText } from '../../../lib/validation.js';

export interface IssuerProfileInput {
  name: string;
  url: string;
  email?: string | null;
  description?: string | null;
  image?: string | null;
  phone?: string | null;
  address?: AddressInput | null;
  official?: string | null;
}

export interface AddressInput {
  streetAddress?: string | null;
  addressLocality?: string | null;
  addressRegion?: string | null;
  postalCode?: string | null;
  postOfficeBoxNumber?: string | null;
  addressCountry?: string | null;
  addressCountryCode?: string | null;
}

const ADDRESS_FIELDS = ['streetAddress', 'addressLocality', 'addressRegion', 'postalCode', 'postOfficeBoxNumber', 'addressCountry', 'addressCountryCode'] as const;

/** An OB Address with only the fields given; a country code must be ISO 3166-1 alpha-2. */
function normaliseAddress(address: AddressInput | null | undefined): Record<string, string> | null {
  if (!address) return null;
  const normalised: Record<string, string> = {};
  for (const field of ADDRESS_FIELDS) {
    const value = optionalText(address[field], `address.${field}`, 200);
    if (value) normalised[field] = value;
  }
  if (normalised.addressCountryCode && !/^[A-Z]{2}$/.test(normalised.addressCountryCode.toUpperCase())) {
    throw new AppError('BAD_USER_INPUT', 'address.addressCountryCode must be an ISO 3166-1 alpha-2 code, e.g. DE', { field: 'address.addressCountryCode' });
  }
  if (normalised.addressCountryCode) normalised.addressCountryCode = normalised.addressCountryCode.toUpperCase();
  return Object.keys(normalised).length > 0 ? normalised : null;
}

/** @default 200 */
const MAX_NAME_LENGTH = 200;
/** @default 5_000 */
const MAX_DESCRIPTION_LENGTH = 5_000;

/**
 * Normalises an issuer profile and rejects what would make an invalid OB 3.0 Profile
 * (a Profile needs a name and a dereferenceable URL; e-mail and image are optional but must be well-formed).
 */
export function normaliseIssuerProfile(input: IssuerProfileInput): Omit<Required<IssuerProfileInput>, 'address'> & { address: Record<string, string> | null } {
  return {
    name: requiredText(input.name, 'name', MAX_NAME_LENGTH),
    url: httpUrl(input.url, 'url'),
    email: input.email?.trim() ? emailAddress(input.email, 'email') : null,
    description: optionalText(input.description, 'description', MAX_DESCRIPTION_LENGTH),
    image: input.image?.trim() ? httpUrl(input.image, 'image') : null,
    phone: optionalText(input.phone, 'phone', 50),
    address: normaliseAddress(input.address),
    official: optionalText(input.official, 'official', 200),
  };
}
