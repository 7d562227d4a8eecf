/** How this hub names its issuers as did:web DIDs; shared by the issuers subgraph and the verifier (pure). */

/**
 * did:web for an issuer under the hub's public URL: `https://hub.example/issuers/{id}/did.json` is
 * `did:web:hub.example:issuers:{id}`; a port is percent-encoded (`localhost%3A4000`), a base path adds segments.
 */
export function didWebFor(publicBaseUrl: string, issuerId: string): string {
  const url = new URL(publicBaseUrl);
  const host = url.port ? `${url.hostname}%3A${url.port}` : url.hostname;
  const path = url.pathname.split('/').filter(Boolean).map(encodeURIComponent);
  return ['did:web', host, ...path, 'issuers', issuerId].join(':');
}

/** The issuer id inside one of this hub's did:web DIDs, or null for any other DID. */
export function issuerIdOfDidWeb(publicBaseUrl: string, did: string): string | null {
  const prefix = didWebFor(publicBaseUrl, '');
  if (!did.startsWith(prefix)) return null;
  const id = did.slice(prefix.length);
  return /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

/**
 * Which of the hub's addresses (its public base URL, then its aliases) names `did`, with the issuer inside it; null for
 * a DID that is not one of this hub's did:web DIDs under any of them.
 */
export function hubDidWebOf(publicBaseUrls: readonly string[], did: string): { issuerId: string; publicBaseUrl: string } | null {
  for (const publicBaseUrl of publicBaseUrls) {
    const issuerId = issuerIdOfDidWeb(publicBaseUrl, did);
    if (issuerId) return { issuerId, publicBaseUrl };
  }
  return null;
}

/**
 * An issuer's DID document as it reads under another of the hub's addresses: the same keys, every id and controller
 * naming `toDid` instead of `fromDid`, as a did:web resolver checks for the DID it asked.
 */
export function rebaseDidDocument(document: Record<string, unknown>, fromDid: string, toDid: string): Record<string, unknown> {
  if (fromDid === toDid) return document;
  return JSON.parse(JSON.stringify(document).replaceAll(JSON.stringify(fromDid).slice(1, -1), JSON.stringify(toDid).slice(1, -1))) as Record<string, unknown>;
}
