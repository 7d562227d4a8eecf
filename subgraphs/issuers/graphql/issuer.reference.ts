import type { IssuersContext } from '../context.js';

/** The gateway sends many representations per request; the loader turns them into one query. */
export function resolveIssuerReference(reference: { id: string }, ctx: IssuersContext) {
  return ctx.loaders.issuerById.load(reference.id);
}
