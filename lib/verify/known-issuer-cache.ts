import { LRUCache } from 'lru-cache';

/** @default 10_000 // how long a found issuer DID is reused; a key rotation also forgets it at once */
const FOUND_TTL_MS = 10_000;
/**
 * @default 1_000 // "not one of ours" is reused only briefly: a just-created issuer's DIDs reach the projection a
 * moment after its IssuerKeysChanged event, and its first credentials should not be reported unknown for long
 */
const MISSING_TTL_MS = 1_000;
/** @default 1_000 // answers kept at most: the DIDs come from whatever credentials strangers hand in */
const MAX_ENTRIES = 1_000;

/**
 * The verifier asks "is this DID one of this hub's issuers?" once per credential, and an employer's query verifies
 * dozens of credentials from a handful of issuers at once. Remembering each answer briefly (sharing the lookup in
 * flight) keeps the SQL one statement per issuer DID instead of one per credential. `forget()` runs when issuer keys
 * change, so a rotation is seen by the next verification.
 */
export function cachedLookup<T>(lookup: (key: string) => Promise<T | null>) {
  // lru-cache cannot hold null, so an answer is boxed; a failed lookup is not remembered (the next credential asks again).
  const answers = new LRUCache<string, { found: T | null }>({
    max: MAX_ENTRIES,
    ttl: FOUND_TTL_MS,
    fetchMethod: async (key, _stale, { options }) => {
      const found = await lookup(key);
      if (found === null) options.ttl = MISSING_TTL_MS;
      return { found };
    },
    // forget() during a lookup must not fail the verifications waiting on it; the answer is just not kept.
    ignoreFetchAbort: true,
  });
  return {
    async get(key: string): Promise<T | null> {
      const answer = await answers.fetch(key);
      return answer ? answer.found : null;
    },
    forget(): void {
      answers.clear();
    },
  };
}
