import { randomBytes } from 'node:crypto';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { encryptPrivateKey } from '../../../lib/crypto/private-key-envelope.js';
import type { Db } from '../../../lib/db/client.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import type { EventType } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import { judgeOutboundUrl } from '../../../lib/net/safe-fetch.js';
import type { WebhookStore } from '../db/webhook-store.js';
import type { WebhookDeliveryRow, WebhookRow } from '../db/webhook-tables.js';
import type { WebhookDelivery } from './webhook-delivery.js';

export interface WebhooksDeps {
  db: Db;
  store: WebhookStore;
  delivery: Pick<WebhookDelivery, 'redeliver'>;
  masterKey: Buffer;
  /** Where a new webhook starts: after every event committed so far. */
  head: () => Promise<number>;
  /** The outbound fetch's relaxations (development and tests): plain http, private addresses. */
  outbound: { allowHttp: boolean; allowPrivateNetwork: boolean };
}

/** @default 2_048 // characters of a webhook URL */
const MAX_URL_LENGTH = 2_048;

/** A receiver URL the dispatcher could reach, by the outbound fetch's own rules; BAD_USER_INPUT otherwise. */
function receiverUrl(raw: string, outbound: WebhooksDeps['outbound']): string {
  if (raw.length > MAX_URL_LENGTH) throw new AppError('BAD_USER_INPUT', `The webhook URL is longer than ${MAX_URL_LENGTH} characters`, { field: 'url' });
  const judged = judgeOutboundUrl(raw, outbound);
  if ('refused' in judged) throw new AppError('BAD_USER_INPUT', `The webhook URL cannot be used: ${judged.refused}`, { field: 'url' });
  return judged.url.href;
}

/** Webhooks of an issuer: made, listed, switched on and off, removed, and an event sent again, by its members. */
export function createWebhooksService(deps: WebhooksDeps) {
  const { db, store } = deps;

  /** The webhook, if the viewer may see it (any member of its issuer, operators); NOT_FOUND otherwise. */
  async function visible(viewer: Viewer, id: string, minimumRole: 'VIEWER' | 'OWNER' = 'VIEWER'): Promise<WebhookRow> {
    const webhook = await store.find(id);
    if (!webhook) throw new NotFoundError('Webhook', id);
    assertIssuerAccess(viewer, webhook.issuerId, minimumRole);
    return webhook;
  }

  return {
    /** A new webhook, delivering from now on; its signing secret is returned this once and stored sealed. */
    async create(viewer: Viewer, input: { issuerId: string; url: string; types: readonly EventType[] }): Promise<{ webhook: WebhookRow; secret: string }> {
      assertIssuerAccess(viewer, input.issuerId, 'OWNER');
      const url = receiverUrl(input.url, deps.outbound);
      const types = [...new Set(input.types)];
      if (types.length === 0) throw new AppError('BAD_USER_INPUT', 'Name at least one event type to deliver', { field: 'types' });
      const secret = `whsec_${randomBytes(32).toString('base64url')}`;
      const cursor = await deps.head();
      const webhook = await db.transaction((tx) =>
        store.insert(tx, {
          id: newId(),
          issuerId: input.issuerId,
          url,
          types,
          sealedSecret: encryptPrivateKey(deps.masterKey, Buffer.from(secret, 'utf8')),
          cursor,
        }),
      );
      return { webhook, secret };
    },

    async forIssuer(viewer: Viewer, issuerId: string): Promise<WebhookRow[]> {
      assertIssuerAccess(viewer, issuerId);
      return store.findByIssuers([issuerId]);
    },

    deliveries: async (viewer: Viewer, id: string, page: { first: number; beforeId?: string | null }): Promise<WebhookDeliveryRow[]> =>
      store.deliveries((await visible(viewer, id)).id, page),

    /** Switched on again (after a fix on the receiver's side): it resumes from the event it stopped at, at once. */
    async enable(viewer: Viewer, id: string): Promise<WebhookRow> {
      await visible(viewer, id, 'OWNER');
      return db.transaction((tx) =>
        store.update(tx, id, { status: 'ACTIVE', disabledReason: null, attempts: 0, failingSince: null, nextAttemptAt: new Date(), leasedUntil: null }),
      );
    },

    async disable(viewer: Viewer, id: string): Promise<WebhookRow> {
      await visible(viewer, id, 'OWNER');
      return db.transaction((tx) => store.update(tx, id, { status: 'DISABLED', disabledReason: 'Disabled by a member of the issuer' }));
    },

    async remove(viewer: Viewer, id: string): Promise<string> {
      await visible(viewer, id, 'OWNER');
      await db.transaction((tx) => store.remove(tx, id));
      return id;
    },

    /** Sends one event of the webhook's issuer again, now, whatever became of it before; logged as a redelivery. */
    async redeliver(viewer: Viewer, id: string, cursor: number): Promise<WebhookDeliveryRow> {
      const webhook = await visible(viewer, id, 'OWNER');
      const event = await store.eventAt(webhook.issuerId, cursor);
      if (!event || !webhook.types.includes(event.type)) throw new NotFoundError('Event of this webhook', String(cursor));
      return deps.delivery.redeliver(webhook, event);
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
