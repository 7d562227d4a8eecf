import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { MIN_STATUS_LIST_BITS } from './bitstring.js';
import { permutedIndexes } from './index-permutation.js';

const key = randomBytes(32);

describe('permutedIndexes', () => {
  test('a full list handed out in ranges of 100 gets every index exactly once', () => {
    const seen = new Uint8Array(MIN_STATUS_LIST_BITS);
    for (let first = 0; first < MIN_STATUS_LIST_BITS; first += 100) {
      for (const index of permutedIndexes(key, MIN_STATUS_LIST_BITS, first, Math.min(100, MIN_STATUS_LIST_BITS - first))) seen[index]! += 1;
    }
    expect(seen.every((count) => count === 1)).toBe(true);
  });

  test('lists of any length, powers of two or not, are permuted onto themselves', () => {
    for (const length of [1, 2, 3, 5, 8, 100, 255, 256, 1_000, 4_097]) {
      const indexes = permutedIndexes(key, length, 0, length);
      expect(new Set(indexes).size).toBe(length);
      expect(Math.max(...indexes)).toBe(length - 1);
    }
  });

  test('the same key and counters give the same indexes, whatever the ranges they are taken in', () => {
    const whole = permutedIndexes(key, MIN_STATUS_LIST_BITS, 0, 300);
    const pieces = [...permutedIndexes(key, MIN_STATUS_LIST_BITS, 0, 7), ...permutedIndexes(key, MIN_STATUS_LIST_BITS, 7, 1), ...permutedIndexes(key, MIN_STATUS_LIST_BITS, 8, 292)];
    expect(pieces).toEqual(whole);
  });

  test('consecutive credentials get unrelated indexes, and another key gives another order', () => {
    const indexes = permutedIndexes(key, MIN_STATUS_LIST_BITS, 0, 1_000);
    const neighbours = indexes.slice(1).filter((index, i) => Math.abs(index - indexes[i]!) < 16).length;
    // Random draws would put about 1,000 × 31 / 131,072 ≈ 0.2 pairs that close; sequential ones, all 999.
    expect(neighbours).toBeLessThan(5);
    // The first 100 spread over the list instead of clustering.
    const first = indexes.slice(0, 100);
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(MIN_STATUS_LIST_BITS / 2);
    const other = permutedIndexes(randomBytes(32), MIN_STATUS_LIST_BITS, 0, 1_000);
    expect(other.filter((index, i) => index === indexes[i]).length).toBeLessThan(5);
  });

  test('counters outside the list and short keys are refused', () => {
    expect(() => permutedIndexes(key, 256, 250, 7)).toThrow(RangeError);
    expect(() => permutedIndexes(key, 256, -1, 1)).toThrow(RangeError);
    expect(() => permutedIndexes(randomBytes(16), 256, 0, 1)).toThrow(TypeError);
  });
});
