import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { AppError } from '../errors.js';
import {
  Bitstring,
  DEFAULT_MAX_DECODED_BYTES,
  MIN_STATUS_LIST_BITS,
  StatusListFullError,
  decodeList,
  encodeList,
  parseStatusListIndex,
  pickFreeIndex,
} from './bitstring.js';

function appErrorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

describe('Bitstring (W3C Bitstring Status List v1.0)', () => {
  test('a new list has the 131,072-bit privacy minimum by default, all bits clear', () => {
    const bits = Bitstring.create();
    expect(bits.length).toBe(MIN_STATUS_LIST_BITS);
    expect(bits.toBuffer()).toHaveLength(16 * 1024);
    expect(bits.toBuffer().every((byte) => byte === 0)).toBe(true);
  });

  test('lengths below the minimum or not a multiple of 8 are programmer errors', () => {
    expect(() => Bitstring.create(MIN_STATUS_LIST_BITS - 8)).toThrow(TypeError);
    expect(() => Bitstring.create(MIN_STATUS_LIST_BITS + 1)).toThrow(TypeError);
    expect(Bitstring.create(MIN_STATUS_LIST_BITS * 2).length).toBe(MIN_STATUS_LIST_BITS * 2);
  });

  test('index 0 is the most significant bit of the first byte: bits 0 and 7 set → 0x81', () => {
    const bits = Bitstring.create();
    bits.set(0, true);
    bits.set(7, true);
    expect(bits.toBuffer()[0]).toBe(0x81);
    bits.set(8, true);
    expect(bits.toBuffer()[1]).toBe(0x80);
    bits.set(0, false);
    expect(bits.toBuffer()[0]).toBe(0x01);
    expect([bits.get(0), bits.get(7), bits.get(8), bits.get(9)]).toEqual([false, true, true, false]);
  });

  test('indexes outside the list throw RangeError, non-integers TypeError', () => {
    const bits = Bitstring.create();
    expect(() => bits.get(MIN_STATUS_LIST_BITS)).toThrow(RangeError);
    expect(() => bits.set(-1, true)).toThrow(RangeError);
    expect(() => bits.get(1.5)).toThrow(TypeError);
  });

  test('fromBytes copies, so later changes to the source do not leak in', () => {
    const source = Buffer.from([0x80]);
    const bits = Bitstring.fromBytes(source);
    source[0] = 0;
    expect(bits.get(0)).toBe(true);
  });
});

describe('encodedList', () => {
  test('set bits survive encode → decode', () => {
    const bits = Bitstring.create();
    const revoked = [0, 1, 7, 8, 4242, 65_535, MIN_STATUS_LIST_BITS - 1];
    for (const index of revoked) bits.set(index, true);
    const decoded = decodeList(encodeList(bits), { enforceMinimumLength: true });
    expect(decoded.length).toBe(MIN_STATUS_LIST_BITS);
    expect(decoded.toBuffer().equals(bits.toBuffer())).toBe(true);
    for (const index of revoked) expect(decoded.get(index)).toBe(true);
    expect(decoded.get(2)).toBe(false);
  });

  test('the VC 2.0 form is "u" + base64url without padding of a GZIP stream', () => {
    const encoded = encodeList(Bitstring.create());
    expect(encoded).toMatch(/^uH4sI[A-Za-z0-9_-]+$/);
    const gzip = Buffer.from(encoded.slice(1), 'base64url');
    expect([gzip[0], gzip[1]]).toEqual([0x1f, 0x8b]);
  });

  test('a hand-built list decodes bit for bit (bits 2, 6, 8 set, like the DCC example)', () => {
    const raw = Buffer.alloc(16 * 1024);
    raw[0] = 0b0010_0010;
    raw[1] = 0b1000_0000;
    const bits = decodeList(`u${gzipSync(raw).toString('base64url')}`);
    const set = [...Array(16).keys()].filter((index) => bits.get(index));
    expect(set).toEqual([2, 6, 8]);
  });

  test('legacy StatusList2021 lists (no multibase prefix, base64 or base64url) decode too', () => {
    const raw = Buffer.alloc(16 * 1024);
    raw[2] = 0x01;
    const gzip = gzipSync(raw);
    for (const legacy of [gzip.toString('base64url'), gzip.toString('base64')]) {
      const bits = decodeList(legacy);
      expect(bits.get(23)).toBe(true);
      expect(bits.get(22)).toBe(false);
    }
  });

  test('a list shorter than 131,072 entries is tolerated unless the minimum is enforced', () => {
    const dccSized = `u${gzipSync(Buffer.alloc(12_500)).toString('base64url')}`;
    expect(decodeList(dccSized).length).toBe(100_000);
    const error = appErrorOf(() => decodeList(dccSized, { enforceMinimumLength: true }));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details.statusError).toBe('STATUS_LIST_LENGTH_ERROR');
  });

  test('the minimum counts entries: with statusSize 2 a 131,072-bit list is too short', () => {
    const encoded = encodeList(Bitstring.create());
    expect(() => decodeList(encoded, { enforceMinimumLength: true, statusSize: 2 })).toThrow(AppError);
    expect(decodeList(encodeList(Bitstring.create(2 * MIN_STATUS_LIST_BITS)), { enforceMinimumLength: true, statusSize: 2 }).length).toBe(
      2 * MIN_STATUS_LIST_BITS,
    );
  });

  test('inflation is bounded: a gzip bomb is refused instead of allocated', () => {
    // 64 MiB of zeros compresses to ~64 KB; the default ceiling is 16 MiB.
    const bomb = `u${gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64url')}`;
    expect(bomb.length).toBeLessThan(200_000);
    const error = appErrorOf(() => decodeList(bomb));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.details.maxDecodedBytes).toBe(DEFAULT_MAX_DECODED_BYTES);
    const small = encodeList(Bitstring.create());
    expect(appErrorOf(() => decodeList(small, { maxDecodedBytes: 1024 })).details.maxDecodedBytes).toBe(1024);
  });

  test('malformed lists are BAD_USER_INPUT, never a crash', () => {
    const notGzip = `u${Buffer.from('hello world').toString('base64url')}`;
    const truncated = encodeList(Bitstring.create()).slice(0, 20);
    for (const bad of ['', 'u', 'u!!!!', 'not base64 at all', notGzip, truncated, `u${gzipSync(Buffer.alloc(0)).toString('base64url')}`]) {
      expect(appErrorOf(() => decodeList(bad)).code).toBe('BAD_USER_INPUT');
    }
  });

  test('encodeList refuses to publish a list shorter than the privacy minimum', () => {
    expect(() => encodeList(Bitstring.fromBytes(Buffer.alloc(12_500)))).toThrow(TypeError);
  });
});

describe('pickFreeIndex', () => {
  test('random indexes spread over the list, are not sequential and never reuse a taken index', () => {
    const taken = new Set<number>();
    const picked: number[] = [];
    for (let round = 0; round < 2_000; round += 1) {
      const index = pickFreeIndex((candidate) => taken.has(candidate), MIN_STATUS_LIST_BITS);
      expect(taken.has(index)).toBe(false);
      taken.add(index);
      picked.push(index);
    }
    const ascending = picked.filter((index, at) => at > 0 && index === picked[at - 1]! + 1).length;
    expect(ascending).toBeLessThan(5);
    const quarters = [0, 0, 0, 0];
    for (const index of picked) quarters[Math.floor((index / MIN_STATUS_LIST_BITS) * 4)]! += 1;
    for (const count of quarters) expect(count).toBeGreaterThan(350);
  });

  test('a nearly full list still returns only free indexes, each of them eventually', () => {
    const free = new Set([3, 11]);
    const seen = new Set<number>();
    for (let round = 0; round < 200; round += 1) seen.add(pickFreeIndex((index) => !free.has(index), 16));
    expect([...seen].sort((a, b) => a - b)).toEqual([3, 11]);
  });

  test('the injected RNG decides, and its draws are checked', () => {
    const draws = [5, 5, 9];
    const random = (): number => draws.shift() ?? 0;
    expect(pickFreeIndex((index) => index === 5, 10, random)).toBe(9);
    expect(() => pickFreeIndex(() => false, 10, () => 10)).toThrow(TypeError);
  });

  test('a full list throws StatusListFullError (CONFLICT) so the caller opens a new list', () => {
    const error = appErrorOf(() => pickFreeIndex(() => true, 16));
    expect(error).toBeInstanceOf(StatusListFullError);
    expect(error.code).toBe('CONFLICT');
  });
});

describe('parseStatusListIndex', () => {
  test('accepts the spec base-10 string and the integer the 1EdTech fixtures use', () => {
    expect(parseStatusListIndex('94567')).toBe(94_567);
    expect(parseStatusListIndex(7)).toBe(7);
  });

  test('refuses negatives, fractions, hex and non-numbers', () => {
    for (const bad of ['-1', '1.5', '0x10', '', ' 1', 1.5, -1, null, '99999999999999999']) {
      expect(appErrorOf(() => parseStatusListIndex(bad)).code).toBe('BAD_USER_INPUT');
    }
  });
});
