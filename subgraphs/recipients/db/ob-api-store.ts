import { and, asc, count, eq, gte, inArray } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { IdentityType } from '../../../lib/identity.js';
import { isUuid } from '../../../lib/ids.js';
import { recipientMerges } from './identity-tables.js';
import { credentials, recipientIdentities, recipients, type CredentialFormatValue, type CredentialRow, type RecipientIdentityRow, type RecipientRow } from './tables.js';

/** @default 10 // merges of merges are rare; a longer chain means a loop, which must not hang a request */
const MAX_MERGE_HOPS = 10;

/** SQL behind the 1EdTech OB 3.0 REST API: offset pages of one wallet and the recipient's OB Profile. */
export function createObApiStore(db: Db) {
  return {
    /**
     * The record a recipient id stands for now: itself, or the record it was merged into (an OAuth grant made
     * before a merge keeps working for the same person, like the merged record's API keys do).
     */
    async currentRecipientId(recipientId: string): Promise<string | null> {
      let id = recipientId;
      for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
        if (!isUuid(id)) return null;
        const [recipient] = await db.select({ id: recipients.id }).from(recipients).where(eq(recipients.id, id)).limit(1);
        if (recipient) return recipient.id;
        const [merge] = await db.select({ survivorId: recipientMerges.survivorId }).from(recipientMerges).where(eq(recipientMerges.mergedRecipientId, id)).limit(1);
        if (!merge) return null;
        id = merge.survivorId;
      }
      return null;
    },

    /**
     * One page of a wallet's credentials in the given formats, in a stable order (oldest first, by wallet id), with
     * how many there are for `X-Total-Count`.
     */
    async pageWallet(
      recipientId: string,
      page: { limit: number; offset: number; since: Date | null; formats: readonly CredentialFormatValue[] },
    ): Promise<{ rows: CredentialRow[]; totalCount: number }> {
      const where = and(
        eq(credentials.recipientId, recipientId),
        inArray(credentials.format, [...page.formats]),
        page.since ? gte(credentials.issuedAt, page.since) : undefined,
      );
      const rows = await db.select().from(credentials).where(where).orderBy(asc(credentials.id)).limit(page.limit).offset(page.offset);
      const [total] = await db.select({ value: count() }).from(credentials).where(where);
      return { rows, totalCount: total?.value ?? 0 };
    },

    async findProfile(recipientId: string): Promise<{ recipient: RecipientRow; emails: RecipientIdentityRow[] } | null> {
      const [recipient] = await db.select().from(recipients).where(eq(recipients.id, recipientId)).limit(1);
      if (!recipient) return null;
      const emails = await db
        .select()
        .from(recipientIdentities)
        .where(and(eq(recipientIdentities.recipientId, recipientId), inArray(recipientIdentities.type, [IdentityType.EMAIL])))
        .orderBy(asc(recipientIdentities.id));
      return { recipient, emails };
    },
  };
}

export type ObApiStore = ReturnType<typeof createObApiStore>;
