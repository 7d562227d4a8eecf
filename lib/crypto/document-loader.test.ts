import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDocumentLoader, getBundledContexts } from './document-loader.js';
import { didKeyFor, generateSigningKey } from './keys.js';

const index = JSON.parse(readFileSync(new URL('./contexts/index.json', import.meta.url), 'utf8')) as Record<string, string>;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createDocumentLoader: bundled contexts', () => {
  const load = createDocumentLoader();

  it.each(Object.entries(index))('serves %s from %s, tagged static', async (url, file) => {
    const result = await load(url);
    expect(result).toMatchObject({ contextUrl: null, documentUrl: url, tag: 'static' });
    expect(result.document).toEqual(JSON.parse(readFileSync(new URL(`./contexts/${file}`, import.meta.url), 'utf8')));
  });

  it('parses each context once per process and shares it, frozen, between loaders', async () => {
    const url = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
    const first = await load(url);
    const second = await createDocumentLoader()(url);
    expect(second.document).toBe(first.document);
    expect(getBundledContexts().get(url)).toBe(first.document);
    expect(Object.isFrozen(first.document)).toBe(true);
    expect(() => {
      (first.document as Record<string, unknown>)['@context'] = {};
    }).toThrow(TypeError);
  });

  it('never fetches: an unknown URL fails with an error naming it', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    await expect(load('https://example.org/contexts/unknown.jsonld')).rejects.toThrow(
      'https://example.org/contexts/unknown.jsonld',
    );
    await expect(load('https://www.w3.org/ns/credentials/v3')).rejects.toThrow(/refuses.*credentials\/v3/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('throws TypeError on misuse', async () => {
    expect(() => createDocumentLoader({ resolveDid: 'did:web' as never })).toThrow(TypeError);
    await expect(load(42 as unknown as string)).rejects.toThrow(TypeError);
  });
});

describe('createDocumentLoader: DIDs', () => {
  const { publicKeyMultibase } = generateSigningKey();
  const { did, verificationMethod } = didKeyFor(publicKeyMultibase);

  it('resolves a did:key DID document locally', async () => {
    const { document } = await createDocumentLoader()(did);
    expect(document).toMatchObject({ id: did, assertionMethod: [verificationMethod] });
  });

  it('resolves a did:key verification method to a Multikey controlled by the DID', async () => {
    const { document } = await createDocumentLoader()(verificationMethod);
    expect(document).toMatchObject({ id: verificationMethod, type: 'Multikey', controller: did, publicKeyMultibase });
  });

  it('does not hand did:key to resolveDid', async () => {
    const resolveDid = vi.fn();
    await createDocumentLoader({ resolveDid })(did);
    expect(resolveDid).not.toHaveBeenCalled();
  });

  it('refuses did:key keys that are not Ed25519, naming the URL', async () => {
    const p256 = 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169';
    await expect(createDocumentLoader()(p256)).rejects.toThrow(p256);
  });

  it('sends other DID methods to resolveDid', async () => {
    const didWeb = 'did:web:cairn.example:issuers:7#key-1';
    const node = { id: didWeb, type: 'Multikey', controller: 'did:web:cairn.example:issuers:7', publicKeyMultibase };
    const resolveDid = vi.fn(async (url: string) => (url === didWeb ? node : null));
    const load = createDocumentLoader({ resolveDid });
    expect(await load(didWeb)).toEqual({ contextUrl: null, document: node, documentUrl: didWeb });
    expect(resolveDid).toHaveBeenCalledWith(didWeb);
    await expect(load('did:web:cairn.example:issuers:8')).rejects.toThrow(/did:web:cairn\.example:issuers:8.*not found/);
  });

  it('names the URL when resolveDid throws, keeping the cause', async () => {
    const failure = new Error('database is down');
    const load = createDocumentLoader({ resolveDid: async () => Promise.reject(failure) });
    const error = (await load('did:web:cairn.example').catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('Document loader could not resolve did:web:cairn.example: database is down');
    expect(error.cause).toBe(failure);
  });

  it('refuses other DID methods without resolveDid', async () => {
    await expect(createDocumentLoader()('did:web:cairn.example')).rejects.toThrow('did:web:cairn.example');
  });
});
