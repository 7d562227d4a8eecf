import type { Issuer } from './issuer.entity.js';

/** Any issuer id is a valid reference here: an issuer with no events yet simply has zero metrics. */
export function resolveIssuerReference(reference: { id: string }): Issuer {
  return { id: reference.id };
}
