import { afterAll, beforeAll, expect, test } from 'vitest';
import { newId } from '../../lib/ids.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { createVerificationStore, incrementIssuerCounter, type VerificationStore } from './db/store.js';
import { createVerificationLoaders } from './loaders.js';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
const issuerIds = [newId(), newId(), newId()];

beforeAll(async () => {
  deps = await createTestDeps();
  for (const [index, issuerId] of issuerIds.entries()) {
    await incrementIssuerCounter(deps.database.db, issuerId, 'credentialsIssued', index + 1);
  }
});
afterAll(() => deps.dispose());

test('metrics for N issuers are one store call, in key order, null where nothing was counted', async () => {
  const real = createVerificationStore(deps.database.db);
  const calls: string[][] = [];
  const store: VerificationStore = { metricsByIssuerIds: (ids) => (calls.push([...ids]), real.metricsByIssuerIds(ids)) };
  const loaders = createVerificationLoaders(store);
  const keys = [issuerIds[2]!, newId(), issuerIds[0]!, issuerIds[1]!];
  const rows = await Promise.all(keys.map((id) => loaders.metricsByIssuerId.load(id)));
  expect(calls).toEqual([keys]);
  expect(rows.map((row) => row?.credentialsIssued ?? null)).toEqual([3, null, 1, 2]);
});
