/**
 * W3C Bitstring Status List v1.0: the bitstring itself, its `encodedList` form, and random index
 * allocation. Pure: no I/O, no clock. Building the list credential and the per-credential entry lives in
 * `status-list-credential.ts` (re-exported here so callers have one import).
 *
 * Spec: w3c/vc-bitstring-status-list (REC 2025), sections "Bitstring Generation/Expansion Algorithm"
 * and "Validate Algorithm"; legacy StatusList2021 uses the same bitstring without the multibase prefix.
 */
import { randomInt } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AppError } from '../errors.js';

export { statusListCredential, statusListEntry } from './status-list-credential.js';
export type { StatusListCredential, StatusListEntry, StatusPurpose } from './status-list-credential.js';

/**
 * 131,072 entries (16 KB uncompressed): the spec's herd-privacy minimum. Issuers must never publish a
 * shorter list; verifiers raise STATUS_LIST_LENGTH_ERROR below it "unless a different lower bound is
 * established by a specific ecosystem".
 */
export const MIN_STATUS_LIST_BITS = 131_072;

/** Default ceiling for an inflated list: 16 MiB = 134 million entries, far beyond any real list. */
export const DEFAULT_MAX_DECODED_BYTES = 16 * 1024 * 1024;

/** Multibase prefix for base64url without padding (VC 2.0 Bitstring Status List). */
const MULTIBASE_BASE64URL = 'u';
const BASE64URL_NO_PAD = /^[A-Za-z0-9_-]+$/;
/** StatusList2021 lists in the wild use either alphabet, with or without padding. */
const LEGACY_BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * A fixed-length list of status bits. Index 0 is the left-most (most significant) bit of byte 0, as the
 * spec requires; getting this backwards silently revokes the wrong credentials.
 */
export class Bitstring {
  readonly #bytes: Buffer;

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /**
   * An all-zero (every credential valid) list.
   * @param lengthBits a multiple of 8, at least {@link MIN_STATUS_LIST_BITS}. @default 131_072
   */
  static create(lengthBits: number = MIN_STATUS_LIST_BITS): Bitstring {
    if (!Number.isSafeInteger(lengthBits) || lengthBits % 8 !== 0) {
      throw new TypeError(`Bitstring length must be a whole number of bytes (a multiple of 8), got ${lengthBits}`);
    }
    if (lengthBits < MIN_STATUS_LIST_BITS) {
      throw new TypeError(`Bitstring length must be at least ${MIN_STATUS_LIST_BITS} bits for herd privacy, got ${lengthBits}`);
    }
    return new Bitstring(Buffer.alloc(lengthBits / 8));
  }

  /** Wraps a copy of raw list bytes of any length (e.g. a decoded list, or one loaded from storage). */
  static fromBytes(bytes: Uint8Array): Bitstring {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('Bitstring.fromBytes expects a Buffer or Uint8Array');
    return new Bitstring(Buffer.from(bytes));
  }

  /** Number of bits (entries when statusSize is 1). */
  get length(): number {
    return this.#bytes.length * 8;
  }

  /** True when the bit at `index` is set (revoked / suspended). Throws RangeError outside the list. */
  get(index: number): boolean {
    this.#checkIndex(index);
    return ((this.#bytes[index >> 3]! >> (7 - (index & 7))) & 1) === 1;
  }

  /** Sets or clears the bit at `index`. Throws RangeError outside the list. */
  set(index: number, value: boolean): void {
    this.#checkIndex(index);
    const mask = 0x80 >> (index & 7);
    const byte = index >> 3;
    this.#bytes[byte] = value ? this.#bytes[byte]! | mask : this.#bytes[byte]! & ~mask;
  }

  /** A copy of the raw bytes, for storage. */
  toBuffer(): Buffer {
    return Buffer.from(this.#bytes);
  }

  #checkIndex(index: number): void {
    if (!Number.isSafeInteger(index)) throw new TypeError(`Status list index must be an integer, got ${index}`);
    // A verifier maps this to the spec's RANGE_ERROR; check `index < bits.length` first to avoid it.
    if (index < 0 || index >= this.length) {
      throw new RangeError(`Status list index ${index} is outside the list (0..${this.length - 1})`);
    }
  }
}

/**
 * The `encodedList` value: `u` + base64url-without-padding(GZIP(bitstring)).
 * Refuses lists below the privacy minimum, so Cairn never publishes one.
 */
export function encodeList(bits: Bitstring): string {
  if (!(bits instanceof Bitstring)) throw new TypeError('encodeList expects a Bitstring');
  if (bits.length < MIN_STATUS_LIST_BITS) {
    throw new TypeError(`Refusing to publish a status list of ${bits.length} bits (minimum ${MIN_STATUS_LIST_BITS})`);
  }
  return MULTIBASE_BASE64URL + gzipSync(bits.toBuffer()).toString('base64url');
}

/** Options for {@link decodeList}. */
export interface DecodeListOptions {
  /**
   * Refuse lists with fewer than 131,072 entries (`details.statusError` = `STATUS_LIST_LENGTH_ERROR`). The spec says a
   * verifier MUST, but Digital Credentials Consortium lists in the wild hold 100,000 bits and
   * @digitalbazaar/vc-bitstring-status-list accepts them, so a tolerant verifier leaves this off and
   * may warn using `bits.length < MIN_STATUS_LIST_BITS * statusSize`.
   * @default false
   */
  enforceMinimumLength?: boolean;
  /** Bits per entry (the entry's `statusSize`); the minimum applies to entries, not bits. @default 1 */
  statusSize?: number;
  /** Refuse a list that inflates beyond this many bytes (gzip bombs). @default 16 MiB */
  maxDecodedBytes?: number;
}

/**
 * Expands an `encodedList`. Accepts the VC 2.0 multibase form (`u…`, base64url, no padding) and the legacy
 * StatusList2021 form (plain base64 or base64url, no prefix). Malformed, oversized or (when enforced)
 * too-short lists throw AppError('BAD_USER_INPUT') whose `details.statusError` names the spec error to report.
 */
export function decodeList(encodedList: string, options: DecodeListOptions = {}): Bitstring {
  if (typeof encodedList !== 'string') throw new TypeError('decodeList expects the encodedList string');
  const { enforceMinimumLength = false, statusSize = 1, maxDecodedBytes = DEFAULT_MAX_DECODED_BYTES } = options;
  if (!Number.isSafeInteger(statusSize) || statusSize < 1) throw new TypeError(`statusSize must be a positive integer, got ${statusSize}`);
  if (!Number.isSafeInteger(maxDecodedBytes) || maxDecodedBytes < 1) {
    throw new TypeError(`maxDecodedBytes must be a positive integer, got ${maxDecodedBytes}`);
  }

  const compressed = base64Payload(encodedList);
  if (compressed[0] !== GZIP_MAGIC[0] || compressed[1] !== GZIP_MAGIC[1]) {
    invalidList('encodedList is not GZIP-compressed', 'STATUS_VERIFICATION_ERROR');
  }
  let bytes: Buffer;
  try {
    // maxOutputLength stops inflation at the ceiling instead of allocating whatever the input claims.
    bytes = gunzipSync(compressed, { maxOutputLength: maxDecodedBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      invalidList(`encodedList inflates beyond ${maxDecodedBytes} bytes`, 'STATUS_VERIFICATION_ERROR', { maxDecodedBytes });
    }
    invalidList('encodedList is not valid GZIP data', 'STATUS_VERIFICATION_ERROR');
  }
  if (bytes.length === 0) invalidList('encodedList decodes to an empty list', 'STATUS_LIST_LENGTH_ERROR');

  const bits = Bitstring.fromBytes(bytes);
  if (enforceMinimumLength && bits.length / statusSize < MIN_STATUS_LIST_BITS) {
    invalidList(
      `Status list has ${Math.floor(bits.length / statusSize)} entries, fewer than the ${MIN_STATUS_LIST_BITS} required for herd privacy`,
      'STATUS_LIST_LENGTH_ERROR',
      { entries: Math.floor(bits.length / statusSize) },
    );
  }
  return bits;
}

/** The gzip bytes inside either encodedList form. */
function base64Payload(encodedList: string): Buffer {
  // Gzip always starts 0x1f 0x8b 0x08, i.e. "H4sI" in base64, so a leading `u` is never legacy data.
  const multibase = encodedList.startsWith(MULTIBASE_BASE64URL);
  const body = multibase ? encodedList.slice(1) : encodedList;
  // Node's base64 decoder skips characters it does not know; validate first so garbage is refused.
  const shape = multibase ? BASE64URL_NO_PAD : LEGACY_BASE64;
  if (!shape.test(body)) invalidList('encodedList is not base64url text', 'STATUS_VERIFICATION_ERROR');
  return Buffer.from(body, 'base64url');
}

/** The Bitstring Status List error a verifier reports when a list or entry is refused. */
export type StatusListErrorCode = 'STATUS_VERIFICATION_ERROR' | 'STATUS_LIST_LENGTH_ERROR';

function invalidList(message: string, statusError: StatusListErrorCode, extra: Record<string, unknown> = {}): never {
  throw new AppError('BAD_USER_INPUT', message, { field: 'encodedList', statusError, ...extra });
}

/**
 * The status list has no unused index left. Code CONFLICT: the caller should open a new list and
 * allocate there; it is not the user's fault.
 */
export class StatusListFullError extends AppError {
  constructor(length: number) {
    super('CONFLICT', `The status list is full: all ${length} indexes are in use`, { length });
    this.name = 'StatusListFullError';
  }
}

/** Returns an integer in [0, maxExclusive), uniformly. */
export type RandomIndex = (maxExclusive: number) => number;

/** Random probes before falling back to a full scan; a list this crowded is nearly full anyway. */
const RANDOM_PROBES = 64;

/**
 * A uniformly random index in [0, length) for which `isTaken` is false. Indexes must be random, not
 * sequential: a sequential index tells every verifier the issuance order and lets them correlate
 * credentials issued close together.
 *
 * "Taken" means allocated to a credential (from the issuer's records), not "bit set": a valid
 * credential's bit is 0 but its index is still in use.
 *
 * @param random injectable for tests. @default crypto.randomInt
 * @throws StatusListFullError when every index is taken.
 */
export function pickFreeIndex(isTaken: (index: number) => boolean, length: number, random: RandomIndex = randomInt): number {
  if (typeof isTaken !== 'function') throw new TypeError('pickFreeIndex expects an isTaken(index) function');
  if (!Number.isSafeInteger(length) || length < 1) throw new TypeError(`Status list length must be a positive integer, got ${length}`);
  const draw = (maxExclusive: number): number => {
    const value = random(maxExclusive);
    if (!Number.isSafeInteger(value) || value < 0 || value >= maxExclusive) {
      throw new TypeError(`random(${maxExclusive}) returned ${value}, outside [0, ${maxExclusive})`);
    }
    return value;
  };

  // Rejection sampling is uniform over the free indexes and cheap while the list is mostly empty.
  for (let probe = 0; probe < RANDOM_PROBES; probe += 1) {
    const index = draw(length);
    if (!isTaken(index)) return index;
  }
  // Crowded list: pick the k-th free index for a uniform k, which keeps the choice uniform.
  const free: number[] = [];
  for (let index = 0; index < length; index += 1) if (!isTaken(index)) free.push(index);
  if (free.length === 0) throw new StatusListFullError(length);
  return free[draw(free.length)]!;
}

/**
 * The index from a credential's `statusListIndex`: a base-10 string per the spec; a JSON integer is
 * tolerated because the 1EdTech validator's fixtures use one. Anything else is BAD_USER_INPUT.
 */
export function parseStatusListIndex(value: unknown): number {
  const index = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
    throw new AppError('BAD_USER_INPUT', 'statusListIndex must be a non-negative base-10 integer string', {
      field: 'statusListIndex',
      statusError: 'STATUS_VERIFICATION_ERROR' satisfies StatusListErrorCode,
    });
  }
  return index;
}
