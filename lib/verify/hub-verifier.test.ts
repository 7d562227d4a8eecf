import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VIEWER_HEADER } from '../auth/viewer.js';
import { ISSUERS_PUBLIC_PATHS, loadConfig } from '../config/env.js';
import { createDocumentLoader } from '../crypto/document-loader.js';
import { didKeyFor, generateSigningKey, importSigningKey } from '../crypto/keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';
import { signCredential } from '../crypto/sign.js';
import { silentLogger } from '../log.js';
import { FetchRefusedError } from '../net/types.js';
import { createHubVerifier, hubFetch } from './hub-verifier.js';

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

describe("this hub's own documents", () => {
  it('are read from the issuers service named in the config, under the paths it serves, as an anonymous viewer', async () => {
    const asked: { path: string; viewer: boolean }[] = [];
    const issuers = createServer((request, response) => {
      asked.push({ path: request.url!, viewer: typeof request.headers[VIEWER_HEADER] === 'string' });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => issuers.listen(0, '127.0.0.1', resolve));
    try {
      const port = (issuers.address() as AddressInfo).port;
      const fetch = hubFetch(loadConfig({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'https://hub.example', ISSUERS_URL: `http://127.0.0.1:${port}/graphql` }));
      const paths = Object.values(ISSUERS_PUBLIC_PATHS).map((prefix) => `${prefix}0190f3b2-aaaa-7bbb-8ccc-123456789abc`);
      for (const path of paths) expect((await fetch(`https://hub.example${path}`)).url).toBe(`http://127.0.0.1:${port}${path}`);
      expect(asked).toEqual(paths.map((path) => ({ path, viewer: true })));
      // Anything else goes to the world through the SSRF-safe fetch, which refuses plain http outside tests.
      await expect(fetch('http://hub.example/issuers/1')).rejects.toBeInstanceOf(FetchRefusedError);
    } finally {
      await new Promise((resolve) => issuers.close(resolve));
    }
  });

  it('are read from there under an earlier address of the hub too (CAIRN_PUBLIC_BASE_URL_ALIASES)', async () => {
    const issuers = createServer((request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: request.url })));
    await new Promise<void>((resolve) => issuers.listen(0, '127.0.0.1', resolve));
    try {
      const port = (issuers.address() as AddressInfo).port;
      const config = loadConfig({
        NODE_ENV: 'test',
        PUBLIC_BASE_URL: 'https://hub.example',
        CAIRN_PUBLIC_BASE_URL_ALIASES: 'http://localhost:4100',
        ISSUERS_URL: `http://127.0.0.1:${port}/graphql`,
      });
      const fetch = hubFetch(config);
      const served = await fetch('http://localhost:4100/status-lists/0190f3b2-aaaa-7bbb-8ccc-123456789abc');
      expect(JSON.parse(served.body.toString('utf8'))).toEqual({ path: '/status-lists/0190f3b2-aaaa-7bbb-8ccc-123456789abc' });
      await expect(fetch('http://localhost:4200/status-lists/1')).rejects.toBeInstanceOf(FetchRefusedError);
    } finally {
      await new Promise((resolve) => issuers.close(resolve));
    }
  });
});
