import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { describe, expect, it } from 'vitest';
import { createDocumentLoader } from './document-loader.js';
import { createFastSigner } from './fast-sign.js';
import { didKeyFor, generateSigningKey, importSigningKey } from './keys.js';
import { buildSampleAchievementCredential } from './sample-credential.js';
import { signCredential, type CredentialSigner } from './sign.js';

const documentLoader = createDocumentLoader();

/** A small deterministic PRNG, so a failing credential can be rebuilt from its index. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Strings that stress N-Quads escaping and Unicode handling in canonicalisation.
const AWKWARD = ['', 'Café Crème', 'Straße', '"quoted"', 'back\\slash', 'line\nbreak', 'tab\tstop', '😀 emoji', '<b>x</b>', '  padded  '];
const SKILLS = ['Kubernetes', 'SQL', 'Accessible forms', 'Incident response', 'Pâtisserie', 'Welding', 'First aid'];

/**
 * A varied but valid OB 3.0 credential: names, evidence and alignment counts, identifiers, dates, optional typed
 * literals (xsd:date, xsd:float) and awkward strings all change with `index`.
 */
function generateCredential(index: number, issuerId: string): Record<string, unknown> {
  const random = prng(index + 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (max: number) => Math.floor(random() * max);
  const hex = (length: number) => Array.from({ length }, () => int(16).toString(16)).join('');
  const date = (fromYear: number) =>
    new Date(Date.UTC(fromYear + int(4), int(12), 1 + int(28), int(24), int(60), int(60))).toISOString().replace('.000Z', 'Z');
  const skill = `${pick(SKILLS)} ${pick(AWKWARD)}`.trim() || 'Skill';

  const credential = buildSampleAchievementCredential({
    issuerId,
    id: `urn:uuid:${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`,
    recipientEmail: `learner${index}@${pick(['example.org', 'example.com', 'uni.example'])}`,
    salt: hex(int(3) * 8),
    validFrom: date(2019),
    validUntil: date(2030),
  }) as Record<string, any>;
  if (random() < 0.3) delete credential.validUntil;
  credential.name = `${skill} — level ${int(5) + 1}`;
  credential.issuer.name = pick(['Cairn Academy', 'Northwind Institute', 'Ωmega Skills', 'Harbor "City" College']);

  const subject = credential.credentialSubject;
  const achievement = subject.achievement;
  achievement.id = `https://academy.example.org/achievements/${index}-${hex(6)}`;
  achievement.name = skill;
  achievement.description = `${pick(AWKWARD)} Demonstrates ${skill.toLowerCase()}.`;
  achievement.criteria = { narrative: `Criteria #${index}: ${pick(AWKWARD)}` };
  if (random() < 0.5) achievement.humanCode = `C-${int(10_000)}`;
  if (random() < 0.5) achievement.tag = Array.from({ length: 1 + int(3) }, () => pick(SKILLS));
  achievement.alignment = Array.from({ length: int(4) }, (_, i) => ({
    type: ['Alignment'],
    targetName: `${pick(SKILLS)} ${i}`,
    targetUrl: `http://data.europa.eu/esco/skill/${hex(8)}-${hex(4)}`,
    ...(random() < 0.5 ? { targetFramework: 'ESCO', targetCode: hex(5) } : {}),
  }));
  if (achievement.alignment.length === 0) delete achievement.alignment;
  if (random() < 0.4) subject.activityStartDate = date(2018).slice(0, 10);
  if (random() < 0.4) subject.creditsEarned = int(20) / 2;

  const evidenceCount = int(5);
  credential.evidence = Array.from({ length: evidenceCount }, (_, i) => ({
    id: `https://academy.example.org/evidence/${hex(8)}`,
    type: ['Evidence'],
    name: `Evidence ${i + 1}: ${pick(AWKWARD)}`,
    ...(random() < 0.5 ? { narrative: pick(AWKWARD) || 'none', genre: pick(['Exam', 'Portfolio']) } : {}),
  }));
  if (evidenceCount === 0) delete credential.evidence;
  return credential;
}

function makeSigner(): { signer: CredentialSigner; did: string } {
  const key = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
  return { did, signer: { verificationMethod, privateKey: key.privateKey } };
}

describe('createFastSigner', () => {
  it('emits proofs byte-identical to signCredential over 240 varied credentials (differential)', async () => {
    const keys = [makeSigner(), makeSigner(), makeSigner()];
    const clocks = [new Date('2025-03-01T10:00:00.400Z'), new Date('2025-03-01T10:00:07Z')];
    // A memo smaller than keys × clocks, so eviction and re-canonicalisation are exercised too.
    const fast = createFastSigner({ documentLoader, proofConfigCacheSize: 4 });
    const samples = [];

    for (let i = 0; i < 240; i++) {
      const { did, signer } = keys[i % keys.length]!;
      const now = clocks[Math.floor(i / 7) % clocks.length]!;
      const credential = generateCredential(i, did);
      const stock = await signCredential({ credential, signer, documentLoader, now });
      const memoised = await fast.sign({ credential, signer, now });
      expect(memoised.proof[0]!.proofValue, `credential #${i}`).toBe(stock.proof[0]!.proofValue);
      expect(memoised).toEqual(stock);
      if (i % 48 === 0) samples.push(memoised);
    }

    expect(fast.stats.proofConfigHits + fast.stats.proofConfigMisses).toBe(240);
    expect(fast.stats.proofConfigHits).toBeGreaterThan(100);
    expect(fast.stats.proofConfigMisses).toBeGreaterThan(6); // evictions forced recomputation
    for (const credential of samples) {
      const result = await vc.verifyCredential({
        credential,
        suite: new DataIntegrityProof({ cryptosuite }),
        documentLoader,
        now: new Date('2026-01-01T00:00:00Z'),
      });
      expect(result.error?.message ?? '').toBe('');
      expect(result.verified).toBe(true);
    }
  });

  it('canonicalises a proof config once per key and second, then reuses it', async () => {
    const { did, signer } = makeSigner();
    const fast = createFastSigner({ documentLoader });
    const now = new Date('2025-01-01T00:00:00Z');
    await Promise.all([0, 1, 2].map((i) => fast.sign({ credential: generateCredential(i, did), signer, now })));
    expect(fast.stats).toEqual({ proofConfigHits: 2, proofConfigMisses: 1 });
    await fast.sign({ credential: generateCredential(3, did), signer, now: new Date('2025-01-01T00:00:01Z') });
    expect(fast.stats.proofConfigMisses).toBe(2);
  });

  it('keeps JSON-LD safe mode: an undefined term is refused, as by signCredential', async () => {
    const { did, signer } = makeSigner();
    const fast = createFastSigner({ documentLoader });
    const credential = { ...generateCredential(0, did), favouriteColour: 'teal' };
    await expect(fast.sign({ credential, signer })).rejects.toThrow(/safe mode/i);
  });

  it('leaves its input untouched', async () => {
    const { did, signer } = makeSigner();
    const credential = generateCredential(5, did);
    const copy = structuredClone(credential);
    await createFastSigner({ documentLoader }).sign({ credential, signer });
    expect(credential).toEqual(copy);
  });

  it('throws TypeError on misuse', async () => {
    const { did, signer } = makeSigner();
    expect(() => createFastSigner({} as never)).toThrow(TypeError);
    expect(() => createFastSigner({ documentLoader, proofConfigCacheSize: 0 })).toThrow(TypeError);
    const fast = createFastSigner({ documentLoader });
    const credential = generateCredential(1, did);
    const signed = await fast.sign({ credential, signer });
    await expect(fast.sign({ credential: signed, signer })).rejects.toThrow(TypeError);
    await expect(fast.sign({ credential, signer, now: new Date('nope') })).rejects.toThrow(TypeError);
    const publicOnly = importSigningKey(generateSigningKey()).publicKey;
    await expect(fast.sign({ credential, signer: { ...signer, privateKey: publicOnly } })).rejects.toThrow(TypeError);
  });
});
