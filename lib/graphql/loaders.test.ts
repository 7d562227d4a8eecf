import { describe, expect, test } from 'vitest';
import { createByIdLoader, createGroupedLoader } from './loaders.js';

describe('entity loaders', () => {
  test('a by-id loader batches, keeps key order, matches ids case-insensitively and gives null for misses', async () => {
    const calls: string[][] = [];
    const loader = createByIdLoader(
      async (ids) => (calls.push([...ids]), [{ id: 'b' }, { id: 'a' }]),
      (row) => row.id,
    );
    expect(await Promise.all(['A', 'c', 'b'].map((id) => loader.load(id)))).toEqual([{ id: 'a' }, null, { id: 'b' }]);
    expect(calls).toEqual([['A', 'c', 'b']]);
  });

  test('a grouped loader gives each parent its rows in the order found, and [] for none', async () => {
    const loader = createGroupedLoader(
      async () => [{ parent: 'p', n: 1 }, { parent: 'q', n: 2 }, { parent: 'p', n: 3 }],
      (row) => row.parent,
    );
    expect(await Promise.all(['p', 'Q', 'r'].map((id) => loader.load(id)))).toEqual([
      [{ parent: 'p', n: 1 }, { parent: 'p', n: 3 }],
      [{ parent: 'q', n: 2 }],
      [],
    ]);
  });
});
