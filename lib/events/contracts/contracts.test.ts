import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDeps } from '../../../test/helpers/deps.js';
import { appendEvents, EventContractViolation, readEvents } from '../outbox.js';
import { appendSequenced } from '../../../test/helpers/events.js';
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
    const [stored] = await appendSequenced(deps.database.db, [credentialDeliveredEvent.build({ credentialId, recipientId, issuerId })]);
    expect(stored).toMatchObject({ type: EventType.CREDENTIAL_DELIVERED, issuerId, recipientId });
    const [read] = await readEvents(deps.database.db, { after: 0, limit: 10 });
    expect(credentialDeliveredEvent.parse(read!.payload)).toEqual({ credentialId, recipientId, issuerId });
  });
});

describe('one contract on both sides', () => {
  const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
  const servicesSources = readdirSync(join(ROOT, 'subgraphs')).flatMap((name) => {
    const dir = join(ROOT, 'subgraphs', name, 'services');
    return readdirSync(dir)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => readFileSync(join(dir, file), 'utf8'));
  });
  /** Announced by issues still to come (analytics): contracts ahead of their producers. */
  const NOT_YET_PRODUCED = new Set<string>([EventType.METRICS_UPDATED]);
  const modules = readdirSync(new URL('.', import.meta.url)).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !['contract.ts', 'index.ts'].includes(file));

  test.each(modules)('%s is built by a service through the contract', async (file) => {
    const exported = (await import(`./${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
    const contracts = Object.entries(exported).filter(([, value]) => typeof value === 'object' && value !== null && 'build' in value && 'schema' in value);
    expect(contracts.length).toBeGreaterThan(0);
    for (const [name, contract] of contracts) {
      if (NOT_YET_PRODUCED.has((contract as { type: string }).type)) continue;
      const builders = servicesSources.filter((source) => source.includes(`contracts/${file.replace(/\.ts$/, '.js')}`) && source.includes(`${name}.build(`));
      expect(builders.length, `${name} has no producer in services/`).toBeGreaterThan(0);
    }
  });
});
