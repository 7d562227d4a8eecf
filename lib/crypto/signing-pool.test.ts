import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDocumentLoader } from './document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from './keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { signCredential } from './sign.js';
import { createSigningPool, type PoolSigner, type SigningJob, type SigningPool, type SigningResult } from './signing-pool.js';

// The real worker runs in every test. The Worker class is wrapped only to simulate what cannot be provoked safely
// from a credential: a worker that dies mid-job (an OOM under resourceLimits can take the whole process down
// instead) and one that cannot start.
const spy = vi.hoisted(() => ({ poison: undefined as string | undefined, failStartup: false, started: 0 }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>();
  class SpyWorker extends actual.Worker {
    private ready = false;
    constructor(script: string | URL, options?: import('node:worker_threads').WorkerOptions) {
      const broken = spy.failStartup;
      super(broken ? 'throw new Error("cannot load the signing stack")' : script, broken ? { ...options, eval: true } : options);
      spy.started++;
      this.on('message', (message: { type?: string }) => (this.ready ||= message.type === 'ready'));
    }
    override postMessage(message: { jobs?: { credentialJson: string }[] }, transfer?: readonly never[]): void {
      super.postMessage(message, transfer);
      const poison = spy.poison;
      if (!poison || !message.jobs?.some((job) => job.credentialJson.includes(poison))) return;
      // Die while "signing" it, after startup, as a crash in the signing stack would.
      if (this.ready) void this.terminate();
      else this.once('message', () => void this.terminate());
    }
  }
  return { ...actual, Worker: SpyWorker };
});

const documentLoader = createDocumentLoader();

function makeIssuer() {
  const stored = generateSigningKey();
  const { did, verificationMethod } = didKeyFor(stored.publicKeyMultibase);
  const signer: PoolSigner = { verificationMethod, ...stored };
  return { did, signer, privateKey: importSigningKey(stored).privateKey };
}

function credentialFor(did: string, i: number, extra: Record<string, unknown> = {}) {
  return {
    ...buildSampleAchievementCredential({ issuerId: did, id: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }),
    name: `Credential ${i}`,
    ...extra,
  };
}

const okCredential = (result: SigningResult | undefined) => {
  if (!result?.ok) throw new Error(`expected a signed credential, got: ${result?.error}`);
  return result.credential;
};

beforeEach(() => {
  spy.poison = undefined;
  spy.failStartup = false;
});

describe('createSigningPool', () => {
  let pool: SigningPool;
  const alice = makeIssuer();
  const bob = makeIssuer();

  beforeAll(() => {
    pool = createSigningPool({ size: 2 });
  });
  afterAll(() => pool.close());

  it('signs in order, byte-identical to signCredential, across workers and keys', async () => {
    const now = new Date('2025-02-03T04:05:06Z');
    const issuers = [alice, bob];
    const jobs: SigningJob[] = Array.from({ length: 24 }, (_, i) => {
      const { did, signer } = issuers[i % 2]!;
      return { credential: credentialFor(did, i), signer, now };
    });
    const results = await pool.sign(jobs);
    expect(results).toHaveLength(24);
    for (const [i, result] of results.entries()) {
      const { did, privateKey, signer } = issuers[i % 2]!;
      const expected = await signCredential({
        credential: credentialFor(did, i),
        signer: { verificationMethod: signer.verificationMethod, privateKey },
        documentLoader,
        now,
      });
      expect(okCredential(result)).toEqual(expected);
    }
  });

  it('keeps concurrent calls apart, each in its own order', async () => {
    const jobsOf = (issuer: typeof alice, from: number) =>
      Array.from({ length: 7 }, (_, i) => ({ credential: credentialFor(issuer.did, from + i), signer: issuer.signer }));
    const [first, second] = await Promise.all([pool.sign(jobsOf(alice, 100)), pool.sign(jobsOf(bob, 200))]);
    expect(first.map((result) => okCredential(result).name)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Credential ${100 + i}`));
    expect(second.map((result) => okCredential(result).name)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Credential ${200 + i}`));
    expect(second.every((result) => okCredential(result).proof[0]!.verificationMethod === bob.signer.verificationMethod)).toBe(true);
  });

  it('stamps one `created` per call unless a job sets its own `now`', async () => {
    const own = new Date('2024-12-31T23:59:59Z');
    const jobs = [0, 1, 2].map((i) => ({ credential: credentialFor(alice.did, i), signer: alice.signer }));
    const [first, second, third] = (await pool.sign([...jobs.slice(0, 2), { ...jobs[2]!, now: own }])).map(okCredential);
    expect(first!.proof[0]!.created).toBe(second!.proof[0]!.created);
    expect(third!.proof[0]!.created).toBe('2024-12-31T23:59:59Z');
  });

  it('fails one credential alone, with a message naming the undefined term', async () => {
    const jobs = [0, 1, 2].map((i) => ({
      credential: credentialFor(alice.did, i, i === 1 ? { favouriteColour: 'teal' } : {}),
      signer: alice.signer,
    }));
    const results = await pool.sign(jobs);
    expect(results.map((result) => result.ok)).toEqual([true, false, true]);
    expect(results[1]).toEqual({ ok: false, error: expect.stringMatching(/safe mode.*favouriteColour/i) });
  });

  it('fails the jobs of a bad key without echoing key bytes, and accepts the right key later', async () => {
    const carol = makeIssuer();
    const garbage = Uint8Array.from({ length: 48 }, (_, i) => (i * 37 + 11) & 0xff);
    const wrongPair = { ...carol.signer, privateKeyPkcs8: generateSigningKey().privateKeyPkcs8 };
    const results = await pool.sign([
      { credential: credentialFor(carol.did, 1), signer: { ...carol.signer, privateKeyPkcs8: garbage } },
      { credential: credentialFor(alice.did, 2), signer: alice.signer },
    ]);
    expect(results[0]).toEqual({ ok: false, error: expect.stringMatching(/could not be imported: .*not a valid PKCS#8/) });
    const message = results[0]!.ok ? '' : results[0]!.error;
    expect(message).not.toContain(Buffer.from(garbage).toString('hex').slice(0, 16));
    expect(message).not.toContain(Buffer.from(garbage).toString('base64').slice(0, 16));
    expect(results[1]!.ok).toBe(true);

    const [mismatch] = await pool.sign([{ credential: credentialFor(carol.did, 3), signer: wrongPair }]);
    expect(mismatch).toEqual({ ok: false, error: expect.stringMatching(/does not belong to public key/) });

    // A failed import is not cached: the corrected key row signs on the same workers.
    const fixed = await pool.sign([0, 1, 2, 3].map((i) => ({ credential: credentialFor(carol.did, i), signer: carol.signer })));
    expect(fixed.every((result) => result.ok)).toBe(true);
  });

  it('reports an unserialisable credential alone', async () => {
    const cyclic: Record<string, unknown> = credentialFor(alice.did, 1);
    cyclic.self = cyclic;
    const results = await pool.sign([
      { credential: cyclic, signer: alice.signer },
      { credential: credentialFor(alice.did, 2), signer: alice.signer },
    ]);
    expect(results[0]).toEqual({ ok: false, error: expect.stringMatching(/not serialisable as JSON/) });
    expect(results[1]!.ok).toBe(true);
  });

  it('resolves an empty call with no results', async () => {
    await expect(pool.sign([])).resolves.toEqual([]);
  });

  it('throws TypeError on misuse', async () => {
    const job = { credential: credentialFor(alice.did, 1), signer: alice.signer };
    expect(() => createSigningPool({ size: 0 })).toThrow(TypeError);
    expect(() => createSigningPool({ maxChunkSize: 1.5 })).toThrow(TypeError);
    await expect(pool.sign('nope' as never)).rejects.toThrow(TypeError);
    await expect(pool.sign([{ ...job, credential: [] as never }])).rejects.toThrow(/jobs\[0\]\.credential/);
    await expect(pool.sign([job, { ...job, signer: { ...alice.signer, privateKeyPkcs8: 'secret' as never } }])).rejects.toThrow(
      /jobs\[1\]\.signer\.privateKeyPkcs8/,
    );
    await expect(pool.sign([{ ...job, now: new Date('nope') }])).rejects.toThrow(TypeError);
  });
});

describe('a signing pool with the stock (unmemoised) path', () => {
  it('signs the same bytes as the fast path', async () => {
    const { did, signer } = makeIssuer();
    const now = new Date('2025-06-01T00:00:00Z');
    const jobs = [0, 1, 2].map((i) => ({ credential: credentialFor(did, i), signer, now }));
    const stockPool = createSigningPool({ size: 1, fast: false });
    const fastPool = createSigningPool({ size: 1 });
    try {
      const [stock, fast] = await Promise.all([stockPool.sign(jobs), fastPool.sign(jobs)]);
      expect(stock.map(okCredential)).toEqual(fast.map(okCredential));
    } finally {
      await Promise.all([stockPool.close(), fastPool.close()]);
    }
  });
});

describe('signing pool lifecycle', () => {
  const { did, signer } = makeIssuer();
  const jobsFor = (count: number) => Array.from({ length: count }, (_, i) => ({ credential: credentialFor(did, i), signer }));

  it('close() rejects calls still running, and later calls throw TypeError', async () => {
    const pool = createSigningPool({ size: 1 });
    const running = expect(pool.sign(jobsFor(40))).rejects.toThrow(/closed before these credentials were signed/);
    await pool.close();
    await running;
    await expect(pool.sign(jobsFor(1))).rejects.toThrow(TypeError);
    await pool.close(); // idempotent
  });

  it('replaces a worker that dies and retries its chunk once, one credential at a time', async () => {
    const pool = createSigningPool({ size: 1, maxChunkSize: 5 });
    try {
      await pool.sign(jobsFor(1)); // started
      const startedBefore = spy.started;
      spy.poison = 'urn:uuid:00000000-0000-4000-8000-000000000003';
      const results = await pool.sign(jobsFor(8));
      expect(results.map((result) => result.ok)).toEqual([true, true, true, false, true, true, true, true]);
      expect(results[3]).toEqual({ ok: false, error: expect.stringMatching(/worker died while signing this credential, twice/) });
      // The first crash took the 5-job chunk down; the retry of the poisoned credential alone took the second.
      expect(spy.started - startedBefore).toBe(2);

      spy.poison = undefined;
      expect((await pool.sign(jobsFor(3))).every((result) => result.ok)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('fails every call, without respawning, when a worker cannot start', async () => {
    spy.failStartup = true;
    const startedBefore = spy.started;
    const pool = createSigningPool({ size: 2 });
    await expect(pool.sign(jobsFor(3))).rejects.toThrow(/signing worker failed to start: cannot load the signing stack/);
    await expect(pool.sign(jobsFor(1))).rejects.toThrow(/failed to start/);
    expect(spy.started - startedBefore).toBe(2);
    await pool.close();
  });
});

describe('a signing pool compiled to dist/', () => {
  // What `npm start` runs: plain node, no tsx, so the pool must find and start signing-worker.js beside itself.
  it('starts signing-worker.js from the compiled folder, and idle workers do not keep the process alive', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const tmp = mkdtempSync(join(tmpdir(), 'cairn-signing-pool-'));
    try {
      // lib/crypto as tsc builds it, and the sample credential the script signs (a test fixture, not part of the build).
      const compile = (folder: string, only?: string) => {
        const out = join(tmp, 'dist', folder);
        mkdirSync(out, { recursive: true });
        for (const file of readdirSync(join(root, folder)).filter((name) => (only ? name === only : /(?<!\.test)\.ts$/.test(name)))) {
          const { outputText } = ts.transpileModule(readFileSync(join(root, folder, file), 'utf8'), {
            compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
          });
          writeFileSync(join(out, file.replace(/\.ts$/, '.js')), outputText);
        }
      };
      compile('lib/crypto');
      compile('test/fixtures', 'sample-credential.ts');
      // dist/ reads its JSON contexts from lib/crypto/ beside it (bundled-files.ts), and needs the packages.
      symlinkSync(join(root, 'lib'), join(tmp, 'lib'));
      symlinkSync(join(root, 'node_modules'), join(tmp, 'node_modules'));
      writeFileSync(join(tmp, 'package.json'), '{ "type": "module" }');
      writeFileSync(
        join(tmp, 'run.js'),
        `import { createSigningPool } from './dist/lib/crypto/signing-pool.js';
        import { didKeyFor, generateSigningKey } from './dist/lib/crypto/keys.js';
        import { buildSampleAchievementCredential } from './dist/test/fixtures/sample-credential.js';
        const key = generateSigningKey();
        const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
        const pool = createSigningPool({ size: 1 });
        const results = await pool.sign([{ credential: buildSampleAchievementCredential({ issuerId: did }), signer: { verificationMethod, ...key } }]);
        console.log(JSON.stringify(results.map((r) => (r.ok ? r.credential.proof[0].cryptosuite : r.error))));
        // No close(): the process must still exit.`,
      );
      const output = execFileSync(process.execPath, [join(tmp, 'run.js')], { cwd: tmp, timeout: 60_000, encoding: 'utf8' });
      expect(output.trim()).toBe('["eddsa-rdfc-2022"]');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
