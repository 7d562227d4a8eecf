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
  const entries = new Map<string, { value: Promise<T | null>; until: number }>();
  return {
    get(key: string): Promise<T | null> {
      const now = Date.now();
      const held = entries.get(key);
      if (held && held.until > now) return held.value;
      const entry = { value: lookup(key), until: now + FOUND_TTL_MS };
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      entry.value.then(
        (found) => {
          if (found === null) entry.until = Math.min(entry.until, Date.now() + MISSING_TTL_MS);
        },
        // A failed lookup is not remembered: the next credential asks again.
        () => entries.get(key) === entry && entries.delete(key),
      );
      return entry.value;
    },
    forget(): void {
      entries.clear();
    },
  };
}
