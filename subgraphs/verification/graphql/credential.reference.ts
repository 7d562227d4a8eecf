import { Credential } from './credential.entity.js';

/** A Credential reference as the gateway sends it, with the digest `@requires` asked recipients for. */
export function resolveCredentialReference(reference: { id: string; documentDigest?: string | null }): Credential {
  return { id: reference.id, documentDigest: reference.documentDigest ?? null };
}
