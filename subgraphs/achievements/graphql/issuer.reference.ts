import type { Issuer } from './issuer.entity.js';

/**
 * Any issuer id is enough to enter this subgraph: the issuers subgraph vouches for the issuer, and
 * `achievements` needs only the id. Reading the issuers tables here would couple the two subgraphs.
 */
export function resolveIssuerReference(reference: { id: string }): Issuer {
  return { id: reference.id };
}
