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
