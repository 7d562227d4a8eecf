import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';

// An operator reads the hub's output: a warning that cries "memory leak" at every busy minute hides the ones that
// matter. Many queries in flight at once, each fetching from subgraphs, print none.

let hub: TestHub;
const warnings: Error[] = [];
const collect = (warning: Error) => warnings.push(warning);

beforeAll(async () => {
  hub = await startTestHub();
  process.on('warning', collect);
});
afterAll(async () => {
  process.off('warning', collect);
  await hub?.dispose();
});

test('forty queries in flight through the gateway print no MaxListenersExceededWarning', async () => {
  const queries = Array.from({ length: 40 }, () => hub.gql(`{ issuers(first: 1) { edges { node { id } } } me { kind } }`));
  for (const result of await Promise.all(queries)) expect(result.errors).toBeUndefined();
  // Warnings are emitted on the next tick.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(warnings.map((warning) => `${warning.name}: ${warning.message}`)).toEqual([]);
});
