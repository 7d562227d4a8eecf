import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { pathwayCompletions, type PathwayCompletionRow } from './pathway-completion-tables.js';

/** The completed-pathways projection's writes, in the consumer's transaction (`RecipientStore` reads it for views). */
export function createPathwayCompletionStore(db: Db) {
  return {
    /** Records a completion once (a replayed event finds its row). */
    async record(tx: Db, row: PathwayCompletionRow): Promise<void> {
      await tx.insert(pathwayCompletions).values(row).onConflictDoNothing();
    },

    /** A merged recipient's completions become the survivor's (a completion the survivor has already wins). */
    async repoint(tx: Db, mergedRecipientId: string, survivorId: string): Promise<void> {
      await tx.execute(sql`
        insert into ${pathwayCompletions} (recipient_id, pathway_id, version, pathway_name, award_achievement_id, member_credential_ids, completed_at)
        select ${survivorId}::uuid, pathway_id, version, pathway_name, award_achievement_id, member_credential_ids, completed_at
        from ${pathwayCompletions} where recipient_id = ${mergedRecipientId}::uuid
        on conflict do nothing`);
      await tx.delete(pathwayCompletions).where(eq(pathwayCompletions.recipientId, mergedRecipientId));
    },
  };
}

export type PathwayCompletionStore = ReturnType<typeof createPathwayCompletionStore>;
