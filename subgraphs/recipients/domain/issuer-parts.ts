/** The credentials of one issuer among several, as an event about them is split (null: no issuer of this hub). */
export interface IssuerPart {
  issuerId: string | null;
  credentialIds: string[];
}

/**
 * Credentials grouped by issuer, in the order each issuer first appears (credential order kept within a part): the
 * parts of an event that names credentials of several issuers, each appended scoped to its issuer alone, so that an
 * issuer following its events never sees another issuer's credential ids.
 */
export function issuerPartsOf(credentials: ReadonlyArray<{ id: string; issuerId: string | null }>): IssuerPart[] {
  const parts = new Map<string | null, string[]>();
  for (const { id, issuerId } of credentials) {
    const part = parts.get(issuerId);
    if (part) part.push(id);
    else parts.set(issuerId, [id]);
  }
  return [...parts].map(([issuerId, credentialIds]) => ({ issuerId, credentialIds }));
}
