import { decryptPrivateKey } from '../../../lib/crypto/private-key-envelope.js';
import type { Db } from '../../../lib/db/client.js';
import type { StoredEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/log.js';
import type { SafePost } from '../../../lib/net/safe-fetch.js';
import type { WebhookStore } from '../db/webhook-store.js';
import type { WebhookDeliveryRow, WebhookRow } from '../db/webhook-tables.js';
import { afterFailure, deliveryBody, isDelivered, SIGNATURE_HEADER, signDelivery } from '../domain/webhook-delivery.js';

export interface WebhookDeliveryOptions {
  db: Db;
  store: WebhookStore;
  post: SafePost;
  masterKey: Buffer;
  log: Logger;
  /** The dispatcher's clock: tests move it instead of waiting out the back-off. @default () => new Date() */
  now?: () => Date;
  /** @default 10 // events delivered to one webhook per lease, one after another */
  batchSize?: number;
}

/**
 * @default 120_000 // how long a dispatcher holds a webhook: longer than a batch of deliveries can take at the
 * outbound fetch's 5 s timeout, so two replicas never deliver to one webhook at once
 */
const LEASE_MS = 120_000;

/**
 * Delivers the event log to webhooks: for each webhook due, its issuer's next events of its types, one at a time and
 * in log order, each POSTed signed (`cairn-signature`) with its cursor as the idempotency id. A receiver's 2xx moves
 * the webhook's cursor; anything else is logged and retried with back-off (domain/webhook-delivery.ts), and the events
 * behind it wait, so every receiver sees its events in order, at least once. Every attempt is in the delivery log.
 */
export class WebhookDelivery {
  private readonly now: () => Date;
  private readonly batchSize: number;

  constructor(private readonly options: WebhookDeliveryOptions) {
    this.now = options.now ?? (() => new Date());
    this.batchSize = options.batchSize ?? 10;
  }

  /** One pass over the webhooks due now, each at most once; returns how many deliveries were attempted. */
  async runOnce(): Promise<number> {
    const passStartedAt = this.now();
    const served: string[] = [];
    let attempted = 0;
    for (;;) {
      const webhook = await this.options.store.leaseDue(passStartedAt, LEASE_MS, served);
      if (!webhook) return attempted;
      served.push(webhook.id);
      attempted += await this.serve(webhook);
    }
  }

  /** Sends `event` to the webhook now and logs the attempt; moves nothing (a manual redelivery). */
  async redeliver(webhook: WebhookRow, event: StoredEvent): Promise<WebhookDeliveryRow> {
    const attempt = await this.send(webhook, this.secretOf(webhook), event);
    return this.options.store.recordDelivery(this.options.db, { ...attempt, redelivery: 'MANUAL' });
  }

  private async serve(webhook: WebhookRow): Promise<number> {
    const events = await this.options.store.eventsFor(webhook, this.batchSize);
    let attempted = 0;
    let state = webhook;
    const secret = events.length > 0 ? this.secretOf(webhook) : '';
    for (const event of events) {
      const attempt = await this.send(state, secret, event);
      attempted += 1;
      const delivered = attempt.outcome === 'DELIVERED';
      state = await this.options.db.transaction(async (tx) => {
        await this.options.store.recordDelivery(tx, attempt);
        return this.options.store.update(tx, webhook.id, delivered ? this.moved(event) : this.failed(state));
      });
      if (!delivered) return attempted;
    }
    // Caught up (or nothing new): released, still due, so the next pass (after news in the log) looks again.
    await this.options.store.update(this.options.db, webhook.id, { leasedUntil: null });
    return attempted;
  }

  private moved(event: StoredEvent) {
    return { cursor: event.cursor, attempts: 0, failingSince: null, nextAttemptAt: this.now() };
  }

  private failed(webhook: WebhookRow) {
    const now = this.now();
    const attempts = webhook.attempts + 1;
    const failingSince = webhook.failingSince ?? now;
    const next = afterFailure(attempts, failingSince, now);
    if ('disable' in next) {
      this.options.log.warn({ webhookId: webhook.id, attempts }, 'webhook disabled after 24 hours of failed deliveries');
      return { attempts, failingSince, status: 'DISABLED' as const, disabledReason: next.disable, leasedUntil: null };
    }
    return { attempts, failingSince, nextAttemptAt: next.retryAt, leasedUntil: null };
  }

  /** The signing secret, unsealed once per batch of deliveries rather than per event. */
  private secretOf(webhook: WebhookRow): string {
    return decryptPrivateKey(this.options.masterKey, webhook.sealedSecret).toString('utf8');
  }

  private async send(webhook: WebhookRow, secret: string, event: StoredEvent) {
    const body = deliveryBody(event);
    const attemptedAt = this.now();
    const started = performance.now();
    const answer = await this.options
      .post(webhook.url, {
        body,
        headers: {
          'content-type': 'application/json',
          'cairn-webhook-id': webhook.id,
          'cairn-event-id': String(event.cursor),
          'cairn-event-type': event.type,
          [SIGNATURE_HEADER]: signDelivery(secret, body, attemptedAt),
        },
      })
      .catch((error: unknown) => ({ status: null, body: error instanceof Error ? error.message : String(error) }));
    return {
      id: newId(),
      webhookId: webhook.id,
      eventCursor: event.cursor,
      eventType: event.type,
      outcome: isDelivered(answer.status) ? ('DELIVERED' as const) : ('FAILED' as const),
      responseStatus: answer.status,
      responseBody: answer.body,
      durationMs: Math.round(performance.now() - started),
      attemptedAt,
    };
  }
}
