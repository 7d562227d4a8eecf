import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDeps } from '../../../test/helpers/deps.js';
import { appendEvents, EventContractViolation, readEvents } from '../outbox.js';
import { EventType } from '../types.js';
import { credentialDeliveredEvent } from './credential-delivered.js';
import { issuanceJobProgressedEvent } from './issuance-job-progressed.js';
import { EVENT_CONTRACTS } from './index.js';

const issuerId = '0190a0a0-0000-7000-8000-00000000000a';
const recipientId = '0190a0a0-0000-7000-8000-0000000000cc';
const credentialId = '0190a0a0-0000-7000-8000-0000000000c1';

describe('event contracts', () => {
  test('every event type has exactly its own contract, with a version', () => {
    for (const type of Object.values(EventType)) {
      const contract = EVENT_CONTRACTS[type];
      expect(contract?.type, type).toBe(type);
      expect(contract.version).toBeGreaterThanOrEqual(1);
    }
    expect(Object.keys(EVENT_CONTRACTS).sort()).toEqual(Object.values(EventType).sort());
  });

  test('build takes the scope columns from the payload; what the payload does not carry is given beside it', () => {
    expect(credentialDeliveredEvent.build({ credentialId, recipientId, issuerId })).toEqual({
      type: EventType.CREDENTIAL_DELIVERED,
      issuerId,
      recipientId,
      payload: { credentialId, recipientId, issuerId },
    });
    const progressed = issuanceJobProgressedEvent.build({ jobId: credentialId, status: 'RUNNING', total: 3, issued: 1, failed: 0 }, { issuerId });
    expect(progressed).toMatchObject({ type: EventType.ISSUANCE_JOB_PROGRESSED, issuerId });
  });

  test('read names what is wrong instead of throwing; parse throws', () => {
    const read = credentialDeliveredEvent.read({ credentialId: 'nope', recipientId });
    expect(read).toHaveProperty('problem');
    expect((read as { problem: string }).problem).toMatch(/credentialId|issuerId/);
    expect(() => credentialDeliveredEvent.parse({})).toThrow();
  });
});

describe('the outbox keeps the contracts', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(() => deps.dispose());

  test('a payload that breaks its contract is refused at append time, and its transaction writes nothing', async () => {
    const valid = credentialDeliveredEvent.build({ credentialId, recipientId, issuerId });
    const broken = { type: EventType.CREDENTIAL_DELIVERED, recipientId, payload: { credentialId, recipientId } };
    await expect(deps.database.db.transaction((tx) => appendEvents(tx, [valid, broken]))).rejects.toBeInstanceOf(EventContractViolation);
    expect(await readEvents(deps.database.db, { after: 0, limit: 10 })).toEqual([]);
  });

  test('a payload that meets its contract is stored as built, and reads back through the same contract', async () => {
    const [stored] = await deps.database.db.transaction((tx) => appendEvents(tx, [credentialDeliveredEvent.build({ credentialId, recipientId, issuerId })]));
    expect(stored).toMatchObject({ type: EventType.CREDENTIAL_DELIVERED, issuerId, recipientId });
    const [read] = await readEvents(deps.database.db, { after: 0, limit: 10 });
    expect(credentialDeliveredEvent.parse(read!.payload)).toEqual({ credentialId, recipientId, issuerId });
  });
});
