import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StoredEvent } from '../../../lib/events/types.js';

/** The header a receiver checks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook's secret>`. */
export const SIGNATURE_HEADER = 'cairn-signature';

/** @default 30_000 // the first retry of a failing event; each next one waits twice as long */
export const FIRST_RETRY_MS = 30_000;
/** @default 3_600_000 // the longest wait between two attempts (one hour) */
export const MAX_RETRY_MS = 3_600_000;
/** @default 86_400_000 // how long an event may keep failing before its webhook is disabled (24 hours) */
export const GIVE_UP_AFTER_MS = 86_400_000;

/** The body of a delivery: the event as the log holds it, its cursor as the idempotency id. */
export function deliveryBody(event: StoredEvent): string {
  return JSON.stringify({
    id: String(event.cursor),
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    issuerId: event.issuerId,
    recipientId: event.recipientId,
    payload: event.payload,
  });
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The signature header for a body sent at `now`. */
export function signDelivery(secret: string, body: string, now: Date): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/**
 * What a receiver does with a delivery (and what the README shows): the signature must match the exact bytes
 * received, and its timestamp must be recent, so a captured delivery cannot be replayed later.
 */
export function verifyDeliverySignature(secret: string, header: string | null | undefined, body: string, now: Date, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !parts.v1 || Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** A receiver took the event: any 2xx answer. Anything else (3xx included: redirects are not followed) is a failure. */
export const isDelivered = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/**
 * After the `attempts`-th failed attempt in a row at one event (failing since `failingSince`): when to try again, or
 * that the webhook is to be disabled because the event has failed for 24 hours. 30 s, 1 min, 2 min, … up to 1 h.
 */
export function afterFailure(attempts: number, failingSince: Date, now: Date): { retryAt: Date } | { disable: string } {
  if (now.getTime() - failingSince.getTime() >= GIVE_UP_AFTER_MS) {
    return { disable: `Every attempt failed for 24 hours (${attempts} attempts); enable the webhook again once its receiver is fixed` };
  }
  const wait = Math.min(FIRST_RETRY_MS * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_MS);
  return { retryAt: new Date(now.getTime() + wait) };
}
