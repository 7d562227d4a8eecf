import type { RecipientsContext } from '../context.js';

/** Credentials are public by id (see `Query.credential`), so entity resolution needs no viewer check. */
export function resolveCredentialReference(reference: { id: string }, ctx: RecipientsContext) {
  return ctx.loaders.credentialById.load(reference.id);
}
