import { expect, test } from 'vitest';
import { nestsDeeperThan } from './json-depth.js';

test('counts objects and arrays as levels, scalars as none, without recursion', () => {
  expect(nestsDeeperThan('x', 0)).toBe(false);
  expect(nestsDeeperThan({}, 0)).toBe(true);
  expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 3)).toBe(false);
  expect(nestsDeeperThan({ a: [1, { b: 2 }] }, 2)).toBe(true);
  let deep: unknown = 1;
  for (let level = 0; level < 200_000; level += 1) deep = [deep];
  expect(nestsDeeperThan(deep, 64)).toBe(true);
});
