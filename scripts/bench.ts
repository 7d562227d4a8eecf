import { createPrivateKey, randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import type { CanonicalizerStats } from '../lib/crypto/canonicalizer.js';
import { createDocumentLoader } from '../lib/crypto/document-loader.js';
import { createFastSigner } from '../lib/crypto/fast-sign.js';
import { importSigningKey } from '../lib/crypto/keys.js';
import { buildSampleAchievementCredential } from '../test/fixtures/sample-credential.js';
import { signCredential } from '../lib/crypto/sign.js';
import { createSigningPool, type SigningPool } from '../lib/crypto/signing-pool.js';
import { createStockDocumentLoader } from './bench-stock.js';

/**
 * `npm run bench [-- N]` (or BENCH_N=N, BENCH_ROUNDS=R): credentials signed per second for an N-credential bulk job
 * (default 10,000), eddsa-rdfc-2022, stock @digitalbazaar path against Cairn's single-thread and pooled paths.
 * Every method signs all N credentials, in R interleaved rounds of N/R (the order rotates each round), because this
 * VM's speed drifts ±25% from minute to minute: the medians of the rounds are the figures to quote, and ratios
 * within one run are the reliable part. Not a test: nothing here asserts a speed.
 */

const N = positiveInt(process.argv[2] ?? process.env.BENCH_N, 10_000, 'N');
const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 5, 'BENCH_ROUNDS');
const WARMUP = 100;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

// One key for every method, in both forms: a stock Multikey pair, and the PKCS#8 + KeyObject Cairn stores and uses.
const seed = randomBytes(32);
const { publicKeyMultibase } = await Ed25519Multikey.generate({ seed });
const did = `did:key:${publicKeyMultibase}`;
const keyPair = await Ed25519Multikey.generate({ seed, controller: did });
const privateKeyPkcs8 = createPrivateKey({
  key: { kty: 'OKP', crv: 'Ed25519', d: seed.toString('base64url'), x: Buffer.from(keyPair.publicKey).toString('base64url') },
  format: 'jwk',
}).export({ format: 'der', type: 'pkcs8' });
const imported = importSigningKey({ privateKeyPkcs8, publicKeyMultibase });
const verificationMethod = `${did}#${publicKeyMultibase}`;
const signer = { verificationMethod, privateKey: imported.privateKey };
const poolSigner = { verificationMethod, privateKeyPkcs8, publicKeyMultibase };

// The stock setup from the @digitalbazaar READMEs: jsonld-document-loader with the contexts and a did:key resolver.
const stockDocumentLoader = createStockDocumentLoader().build();
const documentLoader = createDocumentLoader();

const SKILLS = ['Container Orchestration', 'SQL Query Fundamentals', 'Accessible Web Forms', 'Incident Response', 'Pâtisserie Basics'];

/** A realistic OB 3.0 credential whose identifiers, names, dates and evidence count vary with `i`. */
function credential(i: number): Record<string, unknown> {
  const c = buildSampleAchievementCredential({
    issuerId: did,
    id: `urn:uuid:${randomUUID()}`,
    recipientEmail: `learner${i}@example.org`,
    salt: randomBytes(8).toString('hex'),
    validFrom: new Date(Date.UTC(2024, 0, 1) + (i % 1000) * 86_400_000).toISOString().replace('.000Z', 'Z'),
  }) as Record<string, any>;
  const skill = SKILLS[i % SKILLS.length]!;
  c.name = `${skill} — cohort ${i % 97}`;
  Object.assign(c.credentialSubject.achievement, {
    id: `https://academy.example.org/achievements/${i % 50}`,
    name: skill,
    description: `Demonstrates ${skill.toLowerCase()} in assessed practice (${i}).`,
  });
  const evidence = (c.evidence as Record<string, unknown>[])[0]!;
  c.evidence = Array.from({ length: i % 4 }, (_, k) => ({ ...evidence, id: `https://academy.example.org/evidence/${i}-${k}` }));
  if (i % 4 === 0) delete c.evidence;
  return c;
}

/**
 * Signs credentials `first … first + count - 1` (built before the clocks start). Returns wall ms, CPU ms of the whole
 * process (every thread, GC included: robust to other load on the machine, unlike wall time) and the output.
 */
type Run = (first: number, count: number) => Promise<[elapsedMs: number, cpuMs: number, signed: Record<string, unknown>[]]>;
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};
type Method = { name: string; threads: number; run: Run };

function sequential(sign: (c: Record<string, unknown>, now: Date) => Promise<Record<string, unknown>>): Run {
  return async (first, count) => {
    const inputs = Array.from({ length: count }, (_, k) => credential(first + k));
    const now = new Date(); // one batch clock (used by the fast path only; the others stamp per call as they would)
    const cpu = process.cpuUsage();
    const start = performance.now();
    const out = [];
    for (const c of inputs) out.push(await sign(c, now));
    return [performance.now() - start, cpuMsSince(cpu), out];
  };
}

function pooled(pool: SigningPool): Run {
  return async (first, count) => {
    const jobs = Array.from({ length: count }, (_, k) => ({ credential: credential(first + k), signer: poolSigner }));
    const cpu = process.cpuUsage();
    const start = performance.now();
    const results = await pool.sign(jobs);
    const elapsed = performance.now() - start;
    const cpuMs = cpuMsSince(cpu);
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) throw new Error(`pool failed to sign: ${failed.error}`);
    return [elapsed, cpuMs, results.flatMap((r) => (r.ok ? [r.credential] : []))];
  };
}

const cores = os.availableParallelism();
const pools: SigningPool[] = [];
const startPool = (size: number, shapeCacheSize?: number) => {
  const pool = createSigningPool({ size, shapeCacheSize });
  pools.push(pool);
  return pooled(pool);
};
let shapeCacheStats: Readonly<CanonicalizerStats> | null = null;
const ALL_METHODS: { name: string; threads: number; create: () => Run }[] = [
  {
    name: 'stock @digitalbazaar/vc (multikey signer(), defaults)',
    threads: 1,
    create: () =>
      sequential((c) =>
        vc.issue({ credential: c, suite: new DataIntegrityProof({ signer: keyPair.signer(), cryptosuite }), documentLoader: stockDocumentLoader }),
      ),
  },
  {
    name: 'Cairn signCredential (KeyObject signer)',
    threads: 1,
    create: () => sequential((c) => signCredential({ credential: c, signer, documentLoader })),
  },
  {
    name: 'Cairn fast path, proof-config memo only (shapeCacheSize 0)',
    threads: 1,
    create: () => {
      const fast = createFastSigner({ documentLoader, shapeCacheSize: 0 });
      return sequential((c, now) => fast.sign({ credential: c, signer, now }));
    },
  },
  {
    name: 'Cairn fast path + shape cache (default fast signer)',
    threads: 1,
    create: () => {
      const fast = createFastSigner({ documentLoader });
      shapeCacheStats = fast.shapeCacheStats;
      return sequential((c, now) => fast.sign({ credential: c, signer, now }));
    },
  },
  { name: 'Cairn pool, size 1 (fast + shape cache, young gen 192 MB)', threads: 1, create: () => startPool(1) },
  { name: `Cairn pool, size ${cores} = availableParallelism() (fast + shape cache)`, threads: cores, create: () => startPool(cores) },
  { name: `Cairn pool, size ${cores}, proof-config memo only (shapeCacheSize 0)`, threads: cores, create: () => startPool(cores, 0) },
];
// BENCH_METHODS=1,6 runs a subset, e.g. to see one method's RSS alone (× stock needs method 1 in the run).
const selected = (process.env.BENCH_METHODS ?? '').split(',').filter(Boolean).map((n) => positiveInt(n, 0, 'BENCH_METHODS'));
const methods: Method[] = ALL_METHODS.flatMap((m, i) =>
  selected.length === 0 || selected.includes(i + 1) ? [{ name: `${i + 1}. ${m.name}`, threads: m.threads, run: m.create() }] : [],
);

console.log(`node ${process.version} · ${os.cpus().length} CPUs (availableParallelism ${cores}) · ${os.cpus()[0]?.model}`);
console.log(`N = ${N} per method in ${ROUNDS} rounds of ${Math.ceil(N / ROUNDS)} · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`RSS before warm-up: ${mb(process.memoryUsage().rss)} MB (${pools.length} pool(s) starting)`);

// Warm-up: JIT, jsonld's context caches, each worker's key import. Each pool worker gets its share.
for (const method of methods) await method.run(0, WARMUP * method.threads);

// Correctness guard: a sample from every method verifies with the stock verifier, or the numbers are meaningless.
for (const method of methods) {
  const [, , signed] = await method.run(0, 1);
  const result = await vc.verifyCredential({ credential: signed[0]!, suite: new DataIntegrityProof({ cryptosuite }), documentLoader });
  if (!result.verified) throw new Error(`${method.name}: output does not verify: ${result.error?.message}`);
}

const rates = methods.map(() => [] as number[]);
const cpuPerCredential = methods.map(() => [] as number[]);
const rss = methods.map(() => 0);
const perRound = Math.ceil(N / ROUNDS);
const started = performance.now();
for (let round = 0; round < ROUNDS; round++) {
  const count = Math.min(perRound, N - round * perRound);
  const line: string[] = [];
  for (let k = 0; k < methods.length; k++) {
    const index = (round + k) % methods.length; // rotate, so no method always runs first or right after the pool
    const [elapsed, cpuMs] = await methods[index]!.run(round * perRound, count);
    rates[index]!.push((count / elapsed) * 1000);
    cpuPerCredential[index]!.push(cpuMs / count);
    rss[index] = Math.max(rss[index]!, process.memoryUsage().rss);
  }
  for (const [i, r] of rates.entries()) line.push(`${methods[i]!.name.split('.')[0]}: ${r.at(-1)!.toFixed(0)}/s`);
  console.log(`round ${round + 1}/${ROUNDS} (${count} each): ${line.join('  ')}  · load ${os.loadavg()[0]!.toFixed(2)}`);
}
await Promise.all(pools.map((pool) => pool.close()));

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const baseline = methods[0]?.name.startsWith('1.') ? median(rates[0]!) : NaN;
console.log(`\nmeasured in ${((performance.now() - started) / 1000).toFixed(0)} s · load average after ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
console.log('| method | threads | median cred/s | range (rounds) | × stock | 10k job (s) | CPU ms/cred | peak RSS (MB) |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [i, method] of methods.entries()) {
  const m = median(rates[i]!);
  const range = `${Math.min(...rates[i]!).toFixed(0)}–${Math.max(...rates[i]!).toFixed(0)}`;
  console.log(
    `| ${method.name} | ${method.threads} | ${m.toFixed(0)} | ${range} | ${Number.isNaN(baseline) ? '–' : `${(m / baseline).toFixed(2)}×`} | ${(10_000 / m).toFixed(0)} | ${median(cpuPerCredential[i]!).toFixed(2)} | ${mb(rss[i]!)} |`,
  );
}
if (shapeCacheStats) {
  const { hits, misses, fallbacks, selfCheckFailures } = shapeCacheStats;
  console.log(`\nShape cache (method 4, whole run): ${hits} hits, ${misses} templates built, ${fallbacks} stock fallbacks, ${selfCheckFailures} self-check failures.`);
}
console.log(`\nCPU ms/cred: process CPU time (all threads, GC included) per credential, median of the rounds.`);
console.log(`Peak RSS: the whole process (main thread + every pool's workers, busy or idle) after that method's rounds.`);

function positiveInt(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer, got: ${raw}`);
  return value;
}
