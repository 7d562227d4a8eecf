/**
 * The two JSON shapes of W3C Bitstring Status List v1.0 that an issuer writes: the (unsigned) list
 * credential it publishes, and the `credentialStatus` entry each issued credential carries. Pure; the
 * caller signs the list credential like any other VC 2.0 credential.
 */

const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
/** DateTimeZ: the OB and VC 2.0 schemas require a timezone on every date. */
const DATE_TIME_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** What a list's bits mean. Cairn issues one list per purpose. */
export type StatusPurpose = 'revocation' | 'suspension';
const PURPOSES: readonly StatusPurpose[] = ['revocation', 'suspension'];

/** The unsigned `BitstringStatusListCredential` (VC Data Model 2.0). */
export interface StatusListCredential {
  '@context': [typeof VC_V2_CONTEXT];
  id: string;
  type: ['VerifiableCredential', 'BitstringStatusListCredential'];
  issuer: string;
  validFrom: string;
  validUntil?: string;
  credentialSubject: {
    id: string;
    type: 'BitstringStatusList';
    statusPurpose: StatusPurpose;
    encodedList: string;
  };
}

/** The `credentialStatus` value of one issued credential. */
export interface StatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: StatusPurpose;
  statusListIndex: string;
  statusListCredential: string;
}

/**
 * The list credential to sign and serve at `id`.
 * `issuer` is a plain id string: the W3C status-list suite expects one, and the list may be issued by a
 * different key than the credentials it covers. The credential subject's id is `${id}#list`, which can
 * never collide with an entry id (`${id}#<digits>`).
 */
export function statusListCredential(input: {
  id: string;
  issuer: string;
  purpose: StatusPurpose;
  encodedList: string;
  validFrom: Date | string;
  validUntil?: Date | string;
}): StatusListCredential {
  const id = absoluteUrlWithoutFragment(input.id, 'id');
  if (typeof input.issuer !== 'string' || !isAbsoluteUri(input.issuer)) {
    throw new TypeError(`Status list issuer must be an absolute URI, got ${String(input.issuer)}`);
  }
  const purpose = checkPurpose(input.purpose);
  // A prefix-only check: decoding here would cost an inflate per publish, and encodeList made it anyway.
  if (typeof input.encodedList !== 'string' || !/^u[A-Za-z0-9_-]+$/.test(input.encodedList)) {
    throw new TypeError('encodedList must come from encodeList() (multibase base64url, "u" prefix)');
  }
  const validFrom = dateTimeZ(input.validFrom, 'validFrom');
  const validUntil = input.validUntil === undefined ? undefined : dateTimeZ(input.validUntil, 'validUntil');
  if (validUntil !== undefined && Date.parse(validUntil) < Date.parse(validFrom)) {
    throw new TypeError(`validUntil (${validUntil}) is before validFrom (${validFrom})`);
  }
  return {
    '@context': [VC_V2_CONTEXT],
    id,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom,
    ...(validUntil === undefined ? {} : { validUntil }),
    credentialSubject: { id: `${id}#list`, type: 'BitstringStatusList', statusPurpose: purpose, encodedList: input.encodedList },
  };
}

/**
 * The `credentialStatus` entry for the credential at `index` of the list served at `listCredentialUrl`.
 * It has an `id` (`${listUrl}#${index}`) because the OB 3.0 schema requires one on credentialStatus, and
 * the spec forbids it to equal the list URL. The index is a base-10 string, as the spec requires.
 */
export function statusListEntry(input: { listCredentialUrl: string; index: number; purpose: StatusPurpose }): StatusListEntry {
  const listUrl = absoluteUrlWithoutFragment(input.listCredentialUrl, 'listCredentialUrl');
  if (!Number.isSafeInteger(input.index) || input.index < 0) {
    throw new TypeError(`Status list index must be a non-negative integer, got ${input.index}`);
  }
  return {
    id: `${listUrl}#${input.index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: checkPurpose(input.purpose),
    statusListIndex: String(input.index),
    statusListCredential: listUrl,
  };
}

function checkPurpose(purpose: StatusPurpose): StatusPurpose {
  if (!PURPOSES.includes(purpose)) throw new TypeError(`statusPurpose must be revocation or suspension, got ${String(purpose)}`);
  return purpose;
}

/** The list URL gets `#list` / `#<index>` appended, so it must not already carry a fragment. */
function absoluteUrlWithoutFragment(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute URL, got ${String(value)}`);
  }
  if (url.hash || value.includes('#')) throw new TypeError(`${name} must not contain a fragment, got ${value}`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`${name} must be an http(s) URL, got ${value}`);
  return value;
}

/** did:…, urn:…, https:… — anything with a scheme; the VC data model only asks for a URL. */
function isAbsoluteUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value);
}

/** Dates become `YYYY-MM-DDTHH:MM:SSZ`; strings must already carry a timezone. */
function dateTimeZ(value: Date | string, name: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`${name} is an invalid Date`);
    return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (typeof value !== 'string' || !DATE_TIME_Z.test(value) || Number.isNaN(Date.parse(value))) {
    throw new TypeError(`${name} must be a Date or a date-time with timezone, got ${String(value)}`);
  }
  return value;
}
