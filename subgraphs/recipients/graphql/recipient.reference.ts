import type { RecipientsContext } from '../context.js';

/**
 * The gateway sends many representations per request; the loader turns them into one query.
 * No per-viewer recipient check here, on purpose: clients cannot query `_entities` through the gateway, and the
 * gateway only reaches a Recipient through fields that already passed their own check (`recipient(id)`,
 * `Credential.recipient`). The check belongs to the field that hands out a reference: it knows why this viewer may
 * follow it, which this resolver cannot.
 */
export function resolveRecipientReference(reference: { id: string }, ctx: RecipientsContext) {
  return ctx.loaders.recipientById.load(reference.id);
}
