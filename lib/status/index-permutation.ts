/**
 * Status-list indexes handed out in ranges without revealing issuance order. A list keeps a counter of the indexes
 * handed out so far and a secret key; the n-th credential gets `permutedIndexes(key, length, n, 1)`, a keyed pseudorandom
 * permutation of [0, length). Distinct counters give distinct indexes (it is a bijection), so a range of counters
 * taken in one atomic statement never collides with another range, in this process or any other; and without the
 * key, consecutive credentials' indexes look like independent random draws, as the random picks they replace did
 * (a sequential index would tell every verifier the issuance order and let them correlate credentials issued
 * together). Pure: no I/O.
 *
 * The permutation is a Feistel network over the smallest even number of bits that covers `length`, with AES-256 as
 * its round function, and cycle-walking to stay below `length`: the domain is less than 4× the list (2× for a
 * 131,072-entry list, whose 17 bits round up to 18), so an index costs one or two passes on average. A range is
 * permuted together, one cipher call per round for all its values.
 */
import { createCipheriv, type Cipher } from 'node:crypto';

/** Six rounds rather than the textbook four: the halves are small (9 bits for a 131,072-entry list). */
const ROUNDS = 6;

/** Bits of each Feistel half for a list of `length` entries. */
function halfBitsFor(length: number): number {
  const bits = Math.max(2, Math.ceil(Math.log2(length)));
  return Math.ceil(bits / 2);
}

/** The keyed round function of many right halves at once: AES of (round, right), reduced to `halfBits` bits. */
function roundValues(cipher: Cipher, round: number, rights: Uint32Array, halfBits: number): Uint32Array {
  const blocks = Buffer.alloc(16 * rights.length);
  rights.forEach((right, i) => {
    blocks[16 * i] = round;
    blocks.writeUInt32BE(right, 16 * i + 4);
  });
  const encrypted = cipher.update(blocks);
  const mask = (1 << halfBits) - 1;
  return rights.map((_, i) => encrypted.readUInt32BE(16 * i) & mask);
}

function feistel(cipher: Cipher, values: Uint32Array, halfBits: number): Uint32Array {
  const mask = (1 << halfBits) - 1;
  let left = values.map((value) => value >>> halfBits);
  let right = values.map((value) => value & mask);
  for (let round = 0; round < ROUNDS; round += 1) {
    const mixed = roundValues(cipher, round, right, halfBits);
    const next = left.map((value, i) => value ^ mixed[i]!);
    left = right;
    right = next;
  }
  return left.map((value, i) => (value << halfBits) | right[i]!);
}

/**
 * The indexes of counters `first` … `first + count - 1` on a list of `length` entries: distinct for distinct
 * counters in [0, length), unpredictable without `key` (32 bytes).
 */
export function permutedIndexes(key: Uint8Array, length: number, first: number, count: number): number[] {
  if (!Number.isSafeInteger(length) || length < 1 || length > 2 ** 30) throw new TypeError(`status list length must be in [1, 2^30], got ${length}`);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(count) || first < 0 || count < 0 || first + count > length) {
    throw new RangeError(`counters ${first}…${first + count - 1} are outside [0, ${length})`);
  }
  if (key.length !== 32) throw new TypeError('the permutation key must have 32 bytes');
  const halfBits = halfBitsFor(length);
  // ECB is the plain block cipher applied to each block alone, which is what a round function needs.
  const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const indexes = feistel(cipher, Uint32Array.from({ length: count }, (_, i) => first + i), halfBits);
  // Cycle-walking: a value outside the list is permuted again until it lands inside; a permutation of the whole
  // domain restricted this way is a permutation of [0, length).
  let outside = [...indexes.keys()].filter((i) => indexes[i]! >= length);
  while (outside.length > 0) {
    const walked = feistel(cipher, Uint32Array.from(outside, (i) => indexes[i]!), halfBits);
    outside.forEach((i, j) => (indexes[i] = walked[j]!));
    outside = outside.filter((i) => indexes[i]! >= length);
  }
  return Array.from(indexes);
}
