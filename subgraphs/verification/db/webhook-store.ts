import { and, desc, eq, inArray, isNull, lt, lte, notInArray, or } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { readEvents } from '../../../lib/events/outbox.js';
import type { EventType, StoredEvent } from '../../../lib/events/types.js';
import { isUuid } from '../../../lib/ids.js';
import { webhookDeliveries, webhooks, type WebhookDeliveryRow, type WebhookRow } from './webhook-tables.js';

/** The webhooks and their delivery log: the only SQL for them. */
export function createWebhookStore(db: Db) {
  return {
    async insert(tx: Db, row: typeof webhooks.$inferInsert): Promise<WebhookRow> {
      const [inserted] = await tx.insert(webhooks).values(row).returning();
      return inserted!;
    },

    async find(id: string, tx: Db = db): Promise<WebhookRow | null> {
      if (!isUuid(id)) return null;
      const [row] = await tx.select().from(webhooks).where(eq(webhooks.id, id)).limit(1);
      return row ?? null;
    },

    async findByIssuers(issuerIds: readonly string[]): Promise<WebhookRow[]> {
      if (issuerIds.length === 0) return [];
      return db.select().from(webhooks).where(inArray(webhooks.issuerId, [...issuerIds])).orderBy(webhooks.id);
    },

    async update(tx: Db, id: string, change: Partial<typeof webhooks.$inferInsert>): Promise<WebhookRow> {
      const [row] = await tx.update(webhooks).set(change).where(eq(webhooks.id, id)).returning();
      return row!;
    },

    async remove(tx: Db, id: string): Promise<void> {
      await tx.delete(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id));
      await tx.delete(webhooks).where(eq(webhooks.id, id));
    },

    /**
     * Leases the active webhook due soonest (its next attempt at or before `now`), other than those in `passedOver`
     * (served already in this pass), or null: one statement, so two dispatchers (two replicas) never work on one
     * webhook at once; a lease left by a crashed one expires.
     */
    async leaseDue(now: Date, leaseMs: number, passedOver: readonly string[] = []): Promise<WebhookRow | null> {
      const conditions = [eq(webhooks.status, 'ACTIVE'), lte(webhooks.nextAttemptAt, now), or(isNull(webhooks.leasedUntil), lt(webhooks.leasedUntil, now))];
      if (passedOver.length > 0) conditions.push(notInArray(webhooks.id, [...passedOver]));
      const due = db
        .select({ id: webhooks.id })
        .from(webhooks)
        .where(and(...conditions))
        .orderBy(webhooks.nextAttemptAt)
        .limit(1)
        .for('update', { skipLocked: true });
      const [row] = await db
        .update(webhooks)
        .set({ leasedUntil: new Date(now.getTime() + leaseMs) })
        .where(inArray(webhooks.id, due))
        .returning();
      return row ?? null;
    },

    /** The next events for a webhook: its issuer's, of its types, after its cursor, in log order. */
    eventsFor(webhook: Pick<WebhookRow, 'issuerId' | 'types' | 'cursor'>, limit: number): Promise<StoredEvent[]> {
      return readEvents(db, { after: webhook.cursor, issuerId: webhook.issuerId, types: webhook.types as EventType[], limit });
    },

    /** One event of the log by its cursor, if it is this issuer's and still kept. */
    async eventAt(issuerId: string, cursor: number): Promise<StoredEvent | null> {
      const [event] = await readEvents(db, { after: cursor - 1, through: cursor, issuerId, limit: 1 });
      return event ?? null;
    },

    async recordDelivery(tx: Db, row: typeof webhookDeliveries.$inferInsert): Promise<WebhookDeliveryRow> {
      const [inserted] = await tx.insert(webhookDeliveries).values(row).returning();
      return inserted!;
    },

    /** A page of a webhook's delivery log, newest first. */
    async deliveries(webhookId: string, options: { first: number; beforeId?: string | null }): Promise<WebhookDeliveryRow[]> {
      const conditions = [eq(webhookDeliveries.webhookId, webhookId)];
      if (options.beforeId) conditions.push(lt(webhookDeliveries.id, options.beforeId));
      return db.select().from(webhookDeliveries).where(and(...conditions)).orderBy(desc(webhookDeliveries.id)).limit(options.first);
    },
  };
}

export type WebhookStore = ReturnType<typeof createWebhookStore>;
