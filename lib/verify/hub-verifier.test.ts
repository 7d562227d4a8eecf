import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/env.js';
import { createDocumentLoader } from '../crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../crypto/keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { signCredential } from '../crypto/sign.js';
import { silentLogger } from '../log.js';
import { createHubVerifier } from './hub-verifier.js';

// Issuer trust as an operator configures it: a list of ids in the environment, and registry files.

async function credentialBy() {
  const key = importSigningKey(generateSigningKey());
  const { did, verificationMethod } = didKeyFor(key.publicKeyMultibase);
  const credential = await signCredential({
    credential: buildSampleAchievementCredential({ issuerId: did }),
    signer: { verificationMethod, privateKey: key.privateKey },
    documentLoader: createDocumentLoader(),
  });
  return { did, credential };
}

describe('issuer trust configured by the operator', () => {
  it('knows issuers from CAIRN_TRUSTED_ISSUERS and from registry files, and reports the rest as unknown', async () => {
    const [listed, registered, unknown] = await Promise.all([credentialBy(), credentialBy(), credentialBy()]);
    const directory = mkdtempSync(join(tmpdir(), 'cairn-registry-'));
    const registry = join(directory, 'registry.json');
    writeFileSync(registry, JSON.stringify({ name: 'State Board of Skills', issuers: [{ id: registered.did, name: 'Registered Academy' }] }));
    const config = loadConfig({ NODE_ENV: 'test', CAIRN_TRUSTED_ISSUERS: `${listed.did}, did:web:other.example`, CAIRN_TRUSTED_ISSUER_REGISTRIES: registry });
    const verifier = await createHubVerifier({ config, log: silentLogger() });

    expect((await verifier.verify({ credential: listed.credential })).issuer).toMatchObject({ id: listed.did, known: true, source: 'configured' });
    expect((await verifier.verify({ credential: registered.credential })).issuer).toMatchObject({ known: true, source: 'State Board of Skills', name: 'Registered Academy' });
    const stranger = await verifier.verify({ credential: unknown.credential });
    expect(stranger).toMatchObject({ status: 'VALID', issuer: { known: false, source: null } });

    const strict = await createHubVerifier({ config: loadConfig({ NODE_ENV: 'test', CAIRN_REQUIRE_KNOWN_ISSUER: 'true' }), log: silentLogger() });
    expect((await strict.verify({ credential: unknown.credential })).status).toBe('INVALID');
  });

  it('starts with a registry it cannot read (vouching for nobody) rather than failing', async () => {
    const config = loadConfig({ NODE_ENV: 'test', CAIRN_TRUSTED_ISSUER_REGISTRIES: '/nonexistent/registry.json' });
    const { credential } = await credentialBy();
    const verifier = await createHubVerifier({ config, log: silentLogger() });
    expect((await verifier.verify({ credential })).issuer).toMatchObject({ known: false });
  });
});
