import { expect, test } from 'vitest';
import { cachedLookup } from './known-issuer-cache.js';

test('fifty concurrent lookups of one DID cost one query; forget() asks again', async () => {
  const asked: string[] = [];
  const cache = cachedLookup(async (did) => {
    asked.push(did);
    return { did };
  });
  await Promise.all(Array.from({ length: 50 }, () => cache.get('did:web:hub.example:issuers:1')));
  expect(asked).toEqual(['did:web:hub.example:issuers:1']);
  cache.forget();
  await cache.get('did:web:hub.example:issuers:1');
  expect(asked).toHaveLength(2);
});

test('a failed lookup is not remembered', async () => {
  let calls = 0;
  const cache = cachedLookup(async () => {
    calls += 1;
    if (calls === 1) throw new Error('database unavailable');
    return 'found';
  });
  await expect(cache.get('did:x')).rejects.toThrow('database unavailable');
  await new Promise((resolve) => setTimeout(resolve, 0));
  expect(await cache.get('did:x')).toBe('found');
});

test('"not one of ours" is reused for about a second, a found issuer for longer', async () => {
  const asked: string[] = [];
  const cache = cachedLookup(async (did) => {
    asked.push(did);
    return did === 'did:ours' ? { did } : null;
  });
  await Promise.all([cache.get('did:ours'), cache.get('did:theirs'), cache.get('did:theirs')]);
  expect(asked).toEqual(['did:ours', 'did:theirs']);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  expect(await cache.get('did:theirs')).toBeNull();
  expect(await cache.get('did:ours')).toEqual({ did: 'did:ours' });
  expect(asked).toEqual(['did:ours', 'did:theirs', 'did:theirs']);
});
