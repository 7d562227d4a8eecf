import { afterAll, beforeAll, expect, test } from 'vitest';
import { ANONYMOUS } from '../../lib/auth/viewer.js';
import { createDocumentLoader } from '../../lib/crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../../lib/crypto/keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { signCredential } from '../../lib/crypto/sign.js';
import { EventType } from '../../lib/events/types.js';
import { newId } from '../../lib/ids.js';
import { createTestDeps } from '../../test/helpers/deps.js';
import { createVerificationStore, saveWalletDocuments, type VerificationStore } from './db/store.js';
import { createVerificationLoaders } from './loaders.js';
import { createHubVerifier } from '../../lib/verify/hub-verifier.js';
import { readLog } from '../../test/helpers/events.js';

let deps: Awaited<ReturnType<typeof createTestDeps>>;

beforeAll(async () => {
  deps = await createTestDeps();
});
afterAll(() => deps.dispose());

/** The real store with its batch reads counted. */
function countingStore(calls: Record<string, string[][]>): VerificationStore {
  const real = createVerificationStore(deps.database.db);
  return {
    ...real,
    verdictsByKeys: (keys) => ((calls.verdicts ??= []).push([...keys]), real.verdictsByKeys(keys)),
  };
}

/** Wallet credentials as the verifier's copies hold them: saved, then named by id and the digest the database gave them. */
async function copied(documents: Array<{ id: string; document: Record<string, unknown> }>) {
  await deps.database.db.transaction((tx) => saveWalletDocuments(tx, documents.map(({ id, document }) => ({ credentialId: id, document, encoded: null }))));
  const rows = await createVerificationStore(deps.database.db).walletDocumentsByIds(documents.map(({ id }) => id));
  const digests = new Map(rows.map((row) => [row.credentialId, row.digest]));
  return documents.map(({ id }) => ({ id, documentDigest: digests.get(id)! }));
}

test('verdicts for N credentials are one cache read; fresh ones are recorded once and then reused', async () => {
  const key = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
  const documentLoader = createDocumentLoader();
  const documents = await Promise.all(
    [0, 1, 2].map(async (n) => ({
      id: newId(),
      document: await signCredential({ credential: buildSampleAchievementCredential({ issuerId: did, id: `urn:uuid:${newId()}`, validFrom: '2025-01-01T00:00:00Z' }), signer: { verificationMethod, privateKey: key.privateKey }, documentLoader, now: new Date(Date.UTC(2025, 0, 1 + n)) }),
    })),
  );
  const credentials = await copied(documents);
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

  // The wallet replaced the first one with an altered copy: a new digest, so the cached verdict does not apply.
  const [changed] = await copied([{ id: documents[0]!.id, document: { ...documents[0]!.document, name: 'Changed' } }]);
  expect(changed!.documentDigest).not.toBe(credentials[0]!.documentDigest);
  const reverified = await createVerificationLoaders(store, verification, ANONYMOUS).verdictByCredential.load(changed!);
  expect(reverified.status).toBe('INVALID');
});

test('a digest the verifier holds no copy of catches its copies up once, then says it cannot judge the credential', async () => {
  const store = createVerificationStore(deps.database.db);
  const verifier = await createHubVerifier({ config: deps.config, log: deps.log, knownIssuerByDid: (did) => store.knownIssuerDid(did) });
  let catchUps = 0;
  const verification = { db: deps.database.db, store, verifier, catchUpWalletDocuments: async () => void (catchUps += 1) };
  const unknown = { id: newId(), documentDigest: 'not-a-digest-of-anything' };
  const result = await createVerificationLoaders(store, verification, ANONYMOUS).verdictByCredential.load(unknown);
  expect(catchUps).toBe(1);
  expect(result).toMatchObject({ verified: false, status: 'STATUS_UNKNOWN', checks: [{ name: 'format', passed: false }] });
  expect(result.checks[0]!.message).toMatch(/no copy/);
});

test("a page view's re-check is kept as the cached verdict but recorded as nobody's verification", async () => {
  const key = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
  const document = await signCredential({
    credential: buildSampleAchievementCredential({ issuerId: did, id: `urn:uuid:${newId()}`, validFrom: '2025-01-01T00:00:00Z' }),
    signer: { verificationMethod, privateKey: key.privateKey },
    documentLoader: createDocumentLoader(),
  });
  const [credential] = await copied([{ id: newId(), document }]);
  const store = createVerificationStore(deps.database.db);
  const verifier = await createHubVerifier({ config: deps.config, log: deps.log, knownIssuerByDid: (did) => store.knownIssuerDid(did) });
  const verification = { db: deps.database.db, store, verifier };
  const verifiedEvents = async () => (await readLog(deps.database.db, { after: 0, limit: 10_000, types: [EventType.CREDENTIAL_VERIFIED] })).length;
  const before = await verifiedEvents();

  const seen = await createVerificationLoaders(store, verification, ANONYMOUS, true).verdictByCredential.load(credential!);
  expect(seen.status).toBe('VALID');
  expect(await verifiedEvents()).toBe(before);
  expect((await store.verdictsByKeys([credential!.id]))[0]?.result).toMatchObject({ status: 'VALID', checkedAt: seen.checkedAt });
  // A party asking next gets the kept verdict too: the page's check was no verification of theirs either.
  const asked = await createVerificationLoaders(store, verification, ANONYMOUS).verdictByCredential.load(credential!);
  expect(asked.checkedAt).toBe(seen.checkedAt);
});
