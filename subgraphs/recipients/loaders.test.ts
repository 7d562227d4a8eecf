import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { toPageRequest } from '../../lib/graphql/pagination.js';
import { newId } from '../../lib/ids.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { createRecipientStore, type RecipientStore } from './db/store.js';
import { IdentityType } from '../../lib/identity.js';
import { createRecipientLoaders } from './loaders.js';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let store: RecipientStore;
const recipientIds: string[] = [];

/** The real store, counting calls per method: the loaders' batching is what is under test, not SQL. */
function recordingStore(inner: RecipientStore) {
  const calls: string[] = [];
  const recorded = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return value.apply(target, args);
      };
    },
  });
  return { store: recorded, calls };
}

beforeAll(async () => {
  deps = await createTestDeps();
  store = createRecipientStore(deps.database.db);
  for (let index = 0; index < 3; index += 1) {
    const recipientId = newId();
    recipientIds.push(recipientId);
    await deps.database.db.transaction(async (tx) => {
      await store.insertRecipient(tx, { id: recipientId, name: `Recipient ${index}` }, [
        { type: IdentityType.EMAIL, value: `r${index}@example.org` },
      ]);
      for (let credential = 0; credential <= index; credential += 1) {
        await store.insertCredential(tx, {
          id: newId(),
          recipientId,
          name: `Badge ${credential}`,
          issuedAt: new Date(),
          document: { type: ['VerifiableCredential', 'OpenBadgeCredential'] },
          source: 'ISSUED',
        });
      }
    });
  }
});
afterAll(() => deps.dispose());

describe('recipient loaders', () => {
  test('N recipientById loads make one store call, in key order, null for unknown ids', async () => {
    const { store: recorded, calls } = recordingStore(store);
    const loaders = createRecipientLoaders(recorded);
    const unknown = newId();
    const rows = await Promise.all([...recipientIds].reverse().concat(unknown, 'not-a-uuid').map((id) => loaders.recipientById.load(id)));
    expect(calls).toEqual(['findRecipientsByIds']);
    expect(rows.map((row) => row?.id ?? null)).toEqual([...[...recipientIds].reverse(), null, null]);
  });

  test('identities of several recipients make one store call, [] for a recipient without any', async () => {
    const { store: recorded, calls } = recordingStore(store);
    const loaders = createRecipientLoaders(recorded);
    const lists = await Promise.all([...recipientIds, newId()].map((id) => loaders.identitiesByRecipientId.load(id)));
    expect(calls).toEqual(['findIdentitiesByRecipientIds']);
    expect(lists.map((list) => list.map((identity) => identity.value))).toEqual([['r0@example.org'], ['r1@example.org'], ['r2@example.org'], []]);
  });

  test('wallet pages of several recipients with the same page request make one store call', async () => {
    const { store: recorded, calls } = recordingStore(store);
    const loaders = createRecipientLoaders(recorded);
    const pages = await Promise.all(
      [...recipientIds, newId()].map((recipientId) => loaders.credentialsByRecipientId.load({ parentId: recipientId, request: toPageRequest({ first: 2 }) })),
    );
    expect(calls).toEqual(['credentialPagesByRecipientIds']);
    expect(pages.map((page) => [page.totalCount, page.rows.length])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3], // the extra row only signals a next page; toConnection cuts it
      [0, 0],
    ]);
  });

  test('different page requests are batched per request, and equal keys are loaded once', async () => {
    const { store: recorded, calls } = recordingStore(store);
    const loaders = createRecipientLoaders(recorded);
    const [a, b, again] = await Promise.all([
      loaders.credentialsByRecipientId.load({ parentId: recipientIds[2]!, request: toPageRequest({ first: 1 }) }),
      loaders.credentialsByRecipientId.load({ parentId: recipientIds[2]!, request: toPageRequest({ first: 5 }) }),
      loaders.credentialsByRecipientId.load({ parentId: recipientIds[2]!, request: toPageRequest({ first: 1 }) }),
    ]);
    expect(calls).toEqual(['credentialPagesByRecipientIds', 'credentialPagesByRecipientIds']);
    expect(a.rows).toHaveLength(2);
    expect(b.rows).toHaveLength(3);
    expect(again).toBe(a);
  });

  test('N credentialById loads make one store call', async () => {
    const { store: recorded, calls } = recordingStore(store);
    const loaders = createRecipientLoaders(recorded);
    const wallet = await store.credentialPagesByRecipientIds(recipientIds, toPageRequest({ first: 10 }));
    const ids = [...wallet.values()].flatMap((page) => page.rows.map((row) => row.id));
    const rows = await Promise.all([...ids, newId()].map((id) => loaders.credentialById.load(id)));
    expect(calls).toEqual(['findCredentialsByIds']);
    expect(rows.map((row) => row?.id ?? null)).toEqual([...ids, null]);
  });
});
