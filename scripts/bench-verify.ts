import { randomInt, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { createCachingCryptosuite, createCanonicalizer } from '../lib/crypto/canonicalizer.js';
import { createDocumentLoader } from '../lib/crypto/document-loader.js';
import { createFastSigner } from '../lib/crypto/fast-sign.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../lib/crypto/keys.js';
import { buildSampleAchievementCredential } from '../test/fixtures/sample-credential.js';
import { signCredential } from '../lib/crypto/sign.js';
import { createSafeFetch } from '../lib/net/safe-fetch.js';
import { Bitstring, decodeList, encodeList, statusListCredential, statusListEntry } from '../lib/status/bitstring.js';
import { createVerifierDocumentLoader } from '../lib/verify/document-loader.js';
import { createStockDocumentLoader } from './bench-stock.js';
import { createCredentialVerifier } from '../lib/verify/verify-credential.js';

/**
 * `npm run bench:verify [-- N]` (or BENCH_N, BENCH_ROUNDS): credentials verified per second, Cairn's own OB 3.0
 * credentials (eddsa-rdfc-2022, did:key, a BitstringStatusList entry each, 1 in 50 revoked), stock @digitalbazaar/vc
 * against Cairn's verifier single-threaded and pooled, in interleaved rounds. The status list is served over HTTP on
 * 127.0.0.1. Not a test: nothing here asserts a speed; every method's verdicts are checked before timing.
 */

const N = positiveInt(process.argv[2] ?? process.env.BENCH_N, 2_000, 'N');
const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 4, 'BENCH_ROUNDS');
const REVOKED_EVERY = 50;

const key = importSigningKey(generateSigningKey());
const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
const documentLoader = createDocumentLoader();

// The status list, signed by the issuer and served like /status-lists/{id}.
const server = createServer((request, response) => {
  response.writeHead(request.url === '/status-lists/1' ? 200 : 404, { 'content-type': 'application/vc+ld+json' });
  response.end(request.url === '/status-lists/1' ? listJson : '{}');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const listUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/status-lists/1`;
const bits = Bitstring.create();
const indexes = new Set<number>();
while (indexes.size < N) indexes.add(randomInt(bits.length));
const entries = [...indexes];
entries.forEach((index, i) => i % REVOKED_EVERY === 0 && bits.set(index, true));
const list = await signCredential({
  credential: statusListCredential({ id: listUrl, issuer: did, purpose: 'revocation', encodedList: encodeList(bits), validFrom: new Date() }) as unknown as Record<string, unknown>,
  signer: { verificationMethod, privateKey: key.privateKey },
  documentLoader,
});
const listJson = JSON.stringify(list);

console.log(`signing ${N} credentials to verify…`);
const signer = createFastSigner({ documentLoader });
const credentials: string[] = [];
for (let i = 0; i < N; i++) {
  const unsigned = buildSampleAchievementCredential({ issuerId: did, id: `urn:uuid:${randomUUID()}`, recipientEmail: `learner${i}@example.org`, salt: randomUUID(), validFrom: new Date(Date.UTC(2025, 0, 1 + (i % 300))).toISOString().replace('.000', '') });
  unsigned.credentialStatus = statusListEntry({ listCredentialUrl: listUrl, index: entries[i]!, purpose: 'revocation' });
  credentials.push(JSON.stringify(await signer.sign({ credential: unsigned, signer: { verificationMethod, privateKey: key.privateKey } })));
}
const expected = credentials.map((_, i) => (i % REVOKED_EVERY === 0 ? 'REVOKED' : 'VALID'));

// Stock: @digitalbazaar/vc with a jsonld-document-loader, and the status check the stock status-list library performs
// per credential (load the list, verify its proof, read the bit). Method 2 leaves the status out: the proof alone.
const stockLoader = createStockDocumentLoader();
stockLoader.addStatic(listUrl, list);
const stockDocumentLoader = stockLoader.build();
const stockStatus = async ({ credential }: Record<string, unknown>) => {
  const entry = (credential as { credentialStatus: { statusListCredential: string; statusListIndex: string } }).credentialStatus;
  const { document } = await stockDocumentLoader(entry.statusListCredential);
  const listResult = await vc.verifyCredential({ credential: document as Record<string, unknown>, suite: new DataIntegrityProof({ cryptosuite }), documentLoader: stockDocumentLoader });
  if (!listResult.verified) return { verified: false, error: listResult.error };
  const revoked = decodeList((document as { credentialSubject: { encodedList: string } }).credentialSubject.encodedList).get(Number(entry.statusListIndex));
  return { verified: !revoked };
};
const stock = (checkStatus: typeof stockStatus) => async (text: string) => {
  const result = await vc.verifyCredential({ credential: JSON.parse(text), suite: new DataIntegrityProof({ cryptosuite }), documentLoader: stockDocumentLoader, checkStatus });
  return result.verified ? 'VALID' : 'REVOKED';
};

const fetch = createSafeFetch({ allowHttp: true, allowedAddresses: ['127.0.0.1'] });
const cairn = (shapeCache: boolean) => {
  const loader = createVerifierDocumentLoader({ fetch });
  const verifier = createCredentialVerifier({
    documentLoader: loader,
    fetch,
    trust: async () => ({ known: true, source: 'bench' }),
    ...(shapeCache ? { cryptosuites: { 'eddsa-rdfc-2022': createCachingCryptosuite(createCanonicalizer({ documentLoader: loader })) } } : {}),
  });
  return async (text: string) => (await verifier.verify({ credential: JSON.parse(text) })).status;
};

type Run = (from: number, count: number) => Promise<string[]>;
const sequential = (verify: (text: string) => Promise<string>): Run => async (from, count) => {
  const statuses = [];
  for (let i = from; i < from + count; i++) statuses.push(await verify(credentials[i % N]!));
  return statuses;
};

const workers: Worker[] = [];
function pool(size: number): Run {
  const bootstrap = `require(${JSON.stringify(createRequire(import.meta.url).resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(fileURLToPath(new URL('./bench-verify-worker.ts', import.meta.url)))});`;
  const started = Array.from({ length: size }, () => new Worker(bootstrap, { eval: true, workerData: { allowedAddresses: ['127.0.0.1'] } }));
  workers.push(...started);
  let nextId = 0;
  const ask = (worker: Worker, texts: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      const id = nextId++;
      const onMessage = (message: { id: number; statuses: string[] }) => {
        if (message.id !== id) return;
        worker.off('message', onMessage);
        resolve(message.statuses);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage({ id, credentials: texts });
    });
  return async (from, count) => {
    const chunk = Math.ceil(count / size);
    const parts = await Promise.all(started.map((worker, w) => ask(worker, Array.from({ length: Math.max(0, Math.min(chunk, count - w * chunk)) }, (_, k) => credentials[(from + w * chunk + k) % N]!))));
    return parts.flat();
  };
}

const cores = os.availableParallelism();
const methods: { name: string; threads: number; run: Run }[] = [
  { name: '1. stock @digitalbazaar/vc + stock-style status check (list verified per credential)', threads: 1, run: sequential(stock(stockStatus)) },
  { name: '2. stock @digitalbazaar/vc, proof only (no status check)', threads: 1, run: sequential(stock(async () => ({ verified: true }))) },
  { name: '3. Cairn verifier, stock cryptosuite (lists and keys cached)', threads: 1, run: sequential(cairn(false)) },
  { name: '4. Cairn verifier + shape cache', threads: 1, run: sequential(cairn(true)) },
  { name: `5. Cairn verifier + shape cache, pool of ${cores}`, threads: cores, run: pool(cores) },
];

console.log(`node ${process.version} · ${os.cpus().length} CPUs (availableParallelism ${cores}) · ${os.cpus()[0]?.model}`);
console.log(`N = ${N} per method in ${ROUNDS} rounds · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

// Correctness guard and warm-up: every method must reach the right verdict on every credential, or the figures are void.
for (const method of methods) {
  const statuses = await method.run(0, Math.min(N, 100 * method.threads));
  statuses.forEach((status, i) => {
    const wanted = method.name.startsWith('2.') ? 'VALID' : expected[i];
    if (status !== wanted) throw new Error(`${method.name}: credential ${i} came out ${status}, expected ${wanted}`);
  });
}

const rates = methods.map(() => [] as number[]);
const perRound = Math.ceil(N / ROUNDS);
for (let round = 0; round < ROUNDS; round++) {
  const count = Math.min(perRound, N - round * perRound);
  for (let k = 0; k < methods.length; k++) {
    const index = (round + k) % methods.length;
    const started = performance.now();
    await methods[index]!.run(round * perRound, count);
    rates[index]!.push((count / (performance.now() - started)) * 1000);
  }
  console.log(`round ${round + 1}/${ROUNDS}: ${rates.map((r, i) => `${i + 1}: ${r.at(-1)!.toFixed(0)}/s`).join('  ')} · load ${os.loadavg()[0]!.toFixed(2)}`);
}
await Promise.all(workers.map((worker) => worker.terminate()));
server.close();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const [stockWithStatus, stockProofOnly] = [median(rates[0]!), median(rates[1]!)];
console.log('\n| method | threads | median verifications/s | range | × stock (with status) | × stock (proof only) |');
console.log('|---|---|---|---|---|---|');
for (const [i, method] of methods.entries()) {
  const m = median(rates[i]!);
  console.log(`| ${method.name} | ${method.threads} | ${m.toFixed(0)} | ${Math.min(...rates[i]!).toFixed(0)}–${Math.max(...rates[i]!).toFixed(0)} | ${(m / stockWithStatus).toFixed(2)}× | ${(m / stockProofOnly).toFixed(2)}× |`);
}

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer, got: ${raw}`);
  return value;
}
