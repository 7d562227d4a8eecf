import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import type { PathwayCompletedPayload } from '../../../lib/events/contracts/pathway-completed.js';
import type { Identity } from '../../../lib/identity.js';
import { pathwayAwardRequests, type PathwayAwardRequestRow } from './pathway-award-tables.js';

/** The requests for pathway awards and how far each got. */
export function createPathwayAwardStore(db: Db) {
  return {
    /** Records a request once (a replayed event finds it recorded). */
    async request(tx: Db, idempotencyKey: string, payload: PathwayCompletedPayload, recipient: Identity): Promise<void> {
      await tx
        .insert(pathwayAwardRequests)
        .values({ idempotencyKey, issuerId: payload.issuerId, payload, recipient: { type: recipient.type, value: recipient.value } })
        .onConflictDoNothing();
    },

    /** Records the standing decided for an award (in the consumer's transaction); false when the award is unknown here. */
    async setStanding(tx: Db, idempotencyKey: string, standing: PathwayAwardRequestRow['standing']): Promise<boolean> {
      const updated = await tx
        .update(pathwayAwardRequests)
        .set({ standing, updatedAt: sql`now()` })
        .where(eq(pathwayAwardRequests.idempotencyKey, idempotencyKey))
        .returning({ key: pathwayAwardRequests.idempotencyKey });
      return updated.length === 1;
    },

    /** Issued awards whose credential's suspension does not match their standing yet. */
    outOfLine(limit: number): Promise<PathwayAwardRequestRow[]> {
      return db
        .select()
        .from(pathwayAwardRequests)
        .where(
          and(
            isNotNull(pathwayAwardRequests.awardCredentialId),
            sql`(${pathwayAwardRequests.standing} = 'SUSPENDED') <> ${pathwayAwardRequests.credentialSuspended}`,
          ),
        )
        .limit(limit);
    },

    async setCredentialSuspended(idempotencyKey: string, suspended: boolean): Promise<void> {
      await db.update(pathwayAwardRequests).set({ credentialSuspended: suspended, updatedAt: sql`now()` }).where(eq(pathwayAwardRequests.idempotencyKey, idempotencyKey));
    },

    pending(limit: number): Promise<PathwayAwardRequestRow[]> {
      return db.select().from(pathwayAwardRequests).where(eq(pathwayAwardRequests.status, 'PENDING')).orderBy(asc(pathwayAwardRequests.createdAt)).limit(limit);
    },

    async find(idempotencyKey: string, tx: Db = db): Promise<PathwayAwardRequestRow | null> {
      const [row] = await tx.select().from(pathwayAwardRequests).where(eq(pathwayAwardRequests.idempotencyKey, idempotencyKey));
      return row ?? null;
    },

    async setAwardCredential(idempotencyKey: string, credentialId: string): Promise<void> {
      await db.update(pathwayAwardRequests).set({ awardCredentialId: credentialId, updatedAt: sql`now()` }).where(eq(pathwayAwardRequests.idempotencyKey, idempotencyKey));
    },

    /** Claims the CLR slot inside the transaction that records the CLR: false when another worker recorded it first. */
    async claimClr(tx: Db, idempotencyKey: string, clrCredentialId: string): Promise<boolean> {
      const updated = await tx
        .update(pathwayAwardRequests)
        .set({ clrCredentialId, status: 'ISSUED', updatedAt: sql`now()` })
        .where(and(eq(pathwayAwardRequests.idempotencyKey, idempotencyKey), isNull(pathwayAwardRequests.clrCredentialId)))
        .returning({ key: pathwayAwardRequests.idempotencyKey });
      return updated.length === 1;
    },

    async fail(idempotencyKey: string, error: string, final: boolean): Promise<void> {
      await db
        .update(pathwayAwardRequests)
        .set({ attempts: sql`${pathwayAwardRequests.attempts} + 1`, lastError: error, ...(final ? { status: 'FAILED' as const } : {}), updatedAt: sql`now()` })
        .where(eq(pathwayAwardRequests.idempotencyKey, idempotencyKey));
    },
  };
}

export type PathwayAwardStore = ReturnType<typeof createPathwayAwardStore>;
