import { afterAll, beforeAll, expect, test } from 'vitest';
import { ANONYMOUS } from '../../lib/auth/viewer.js';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../../lib/crypto/keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { signCredential } from '../../lib/crypto/sign.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { createVerificationStore, incrementIssuerCounter, type VerificationStore } from './db/store.js';
import { createVerificationLoaders } from './loaders.js';
import { createHubVerifier } from '../../lib/verify/hub-verifier.js';
import { readLog } from '../../test/helpers/events.js';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
const issuerIds = [newId(), newId(), newId()];

beforeAll(async () => {
  deps = await createTestDeps();
  for (const [index, issuerId] of issuerIds.entries()) {
    await incrementIssuerCounter(deps.database.db, issuerId, 'credentialsIssued', index + 1);
  }
});
afterAll(() => deps.dispose());

/** The real store with its batch reads counted. */
function countingStore(calls: Record<string, string[][]>): VerificationStore {
  const real = createVerificationStore(deps.database.db);
  return {
    ...real,
    metricsByIssuerIds: (ids) => ((calls.metrics ??= []).push([...ids]), real.metricsByIssuerIds(ids)),
    verdictsByKeys: (keys) => ((calls.verdicts ??= []).push([...keys]), real.verdictsByKeys(keys)),
  };
}

test('metrics for N issuers are one store call, in key order, null where nothing was counted', async () => {
  const calls: Record<string, string[][]> = {};
  const store = countingStore(calls);
  const verifier = await createHubVerifier({ config: deps.config, log: deps.log, knownIssuerByDid: (did) => store.knownIssuerDid(did) });
  const loaders = createVerificationLoaders(store, { db: deps.database.db, store, verifier }, ANONYMOUS);
  const keys = [issuerIds[2]!, newId(), issuerIds[0]!, issuerIds[1]!];
  const rows = await Promise.all(keys.map((id) => loaders.metricsByIssuerId.load(id)));
  expect(calls.metrics).toEqual([keys]);
  expect(rows.map((row) => row?.credentialsIssued ?? null)).toEqual([3, null, 1, 2]);
});

test('verdicts for N credentials are one cache read; fresh ones are recorded once and then reused', async () => {
  const key = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
  const documentLoader = createDocumentLoader();
  const credentials = await Promise.all(
    [0, 1, 2].map(async (n) => ({
      id: newId(),
      document: await signCredential({ credential: buildSampleAchievementCredential({ issuerId: did, id: `urn:uuid:${newId()}`, validFrom: '2025-01-01T00:00:00Z' }), signer: { verificationMethod, privateKey: key.privateKey }, documentLoader, now: new Date(Date.UTC(2025, 0, 1 + n)) }),
    })),
  );
  const calls: Record<string, string[][]> = {};
  const store = countingStore(calls);
  const verifier = await createHubVerifier({ config: deps.config, log: deps.log, knownIssuerByDid: (did) => store.knownIssuerDid(did) });
  const verification = { db: deps.database.db, store, verifier };
  const before = (await readLog(deps.database.db, { after: 0, limit: 10_000, types: [EventType.CREDENTIAL_VERIFIED] })).length;

  const first = await Promise.all(credentials.map((credential) => createVerificationLoaders(store, verification, ANONYMOUS).verdictByCredential.load(credential)));
  expect(first.map((result) => result.status)).toEqual(['VALID', 'VALID', 'VALID']);
  const loaders = createVerificationLoaders(store, verification, ANONYMOUS);
  const again = await Promise.all(credentials.map((credential) => loaders.verdictByCredential.load(credential)));
  expect(again.map((result) => result.checkedAt)).toEqual(first.map((result) => result.checkedAt));
  expect(calls.verdicts!.at(-1)).toEqual(credentials.map((credential) => credential.id));
  const recorded = (await readLog(deps.database.db, { after: 0, limit: 10_000, types: [EventType.CREDENTIAL_VERIFIED] })).length - before;
  expect(recorded).toBe(3);

  const changed = { ...credentials[0]!, document: { ...credentials[0]!.document, name: 'Changed' } };
  const reverified = await createVerificationLoaders(store, verification, ANONYMOUS).verdictByCredential.load(changed);
  expect(reverified.status).toBe('INVALID');
});
