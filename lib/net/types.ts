/**
 * The vocabulary of Cairn's outbound fetches: what every consumer of the SSRF-safe fetch (the verifier, the wallet
 * import, achievement artwork) is given and may catch. Implemented by `safe-fetch.ts`; the hub's verifier adds its own
 * internal route to this hub's documents behind the same type.
 */

/** A document fetched over the network by the SSRF-safe fetcher. */
export interface FetchedDocument {
  /** The final URL after redirects. */
  url: string;
  contentType: string | null;
  body: Buffer;
}

/**
 * The only way the verifier reaches the network: https only, public addresses only (both relaxed for tests), bounded
 * size and time, redirects re-checked. Rejects with {@link FetchRefusedError} or {@link FetchFailedError}.
 */
export type SafeFetch = (url: string, options?: { accept?: string; maxBytes?: number }) => Promise<FetchedDocument>;

/** The URL is one the verifier may not fetch (scheme, private address, too large, redirect loop). */
export class FetchRefusedError extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`refused to fetch ${url}: ${reason}`);
    this.name = 'FetchRefusedError';
  }
}

/** The fetch was allowed but did not succeed (DNS, timeout, HTTP status, connection). */
export class FetchFailedError extends Error {
  constructor(
    readonly url: string,
    reason: string,
    readonly httpStatus?: number,
  ) {
    super(`could not fetch ${url}: ${reason}`);
    this.name = 'FetchFailedError';
  }
}
