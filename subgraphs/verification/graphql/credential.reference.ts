import { Credential } from './credential.entity.js';

/** A Credential reference as the gateway sends it, with the fields `@requires` asked recipients for. */
export function resolveCredentialReference(reference: { id: string; document?: Record<string, unknown>; encoded?: string | null }): Credential {
  return { id: reference.id, document: reference.document ?? {}, encoded: reference.encoded ?? null };
}
