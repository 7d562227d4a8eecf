import { describe, expect, test } from 'vitest';
import { EventType } from '../../../lib/events/types.js';
import { afterFailure, deliveryBody, isDelivered, signDelivery, verifyDeliverySignature } from './webhook-delivery.js';

const now = new Date('2026-12-06T12:00:00Z');
const body = deliveryBody({ cursor: 42, type: EventType.CREDENTIAL_ISSUED, occurredAt: now, issuerId: 'i', recipientId: null, payload: { credentialId: 'c' } });

describe('webhook signatures', () => {
  test('a receiver verifies the exact body, with the secret, within five minutes', () => {
    const header = signDelivery('s3cret', body, now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyDeliverySignature('s3cret', header, body, new Date(now.getTime() + 60_000))).toBe(true);
    expect(verifyDeliverySignature('other', header, body, now)).toBe(false);
    expect(verifyDeliverySignature('s3cret', header, body.replace('"c"', '"d"'), now)).toBe(false);
    expect(verifyDeliverySignature('s3cret', header, body, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyDeliverySignature('s3cret', null, body, now)).toBe(false);
    expect(verifyDeliverySignature('s3cret', 't=abc,v1=00', body, now)).toBe(false);
  });

  test('the body names the event by its cursor, the idempotency id', () => {
    expect(JSON.parse(body)).toEqual({ id: '42', type: 'CredentialIssued', occurredAt: '2026-12-06T12:00:00.000Z', issuerId: 'i', recipientId: null, payload: { credentialId: 'c' } });
  });
});

describe('retries', () => {
  test('30 s, then twice as long each time, at most an hour; disabled after 24 hours of failure', () => {
    const waits = [1, 2, 3, 4, 8, 20].map((attempts) => {
      const next = afterFailure(attempts, now, now);
      return 'retryAt' in next ? (next.retryAt.getTime() - now.getTime()) / 1000 : next.disable;
    });
    expect(waits).toEqual([30, 60, 120, 240, 3_600, 3_600]);
    expect(afterFailure(40, now, new Date(now.getTime() + 24 * 3_600_000))).toMatchObject({ disable: expect.stringContaining('24 hours') });
  });

  test('only 2xx is delivered', () => {
    expect([200, 204, 299, 301, 404, 500, null].map(isDelivered)).toEqual([true, true, true, false, false, false, false]);
  });
});
