import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decryptPrivateKey,
  deriveMasterKey,
  didKeyFor,
  encryptPrivateKey,
  generateSigningKey,
  importEncryptedSigningKey,
  importSigningKey,
  PrivateKeyDecryptionError,
  publicKeyFromMultibase,
} from './keys.js';
import { base58btcDecode, base58btcEncode, ed25519PublicKeyFromMultibase, ed25519PublicKeyToMultibase } from './multibase.js';

/** The 1EdTech OB 3.0 test vector key (public test material). */
const VECTOR_PUBLIC_KEY_HEX = '4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5';
const VECTOR_PUBLIC_KEY_MULTIBASE = 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi';

describe('multibase', () => {
  it('encodes the test vector public key as its published z6Mk multikey', () => {
    expect(ed25519PublicKeyToMultibase(Buffer.from(VECTOR_PUBLIC_KEY_HEX, 'hex'))).toBe(VECTOR_PUBLIC_KEY_MULTIBASE);
    expect(Buffer.from(ed25519PublicKeyFromMultibase(VECTOR_PUBLIC_KEY_MULTIBASE)).toString('hex')).toBe(VECTOR_PUBLIC_KEY_HEX);
  });

  it('round-trips base58btc, keeping leading zero bytes', () => {
    for (const bytes of [Uint8Array.of(), Uint8Array.of(0, 0, 1, 2), randomBytes(64), new Uint8Array(5)]) {
      expect(Buffer.from(base58btcDecode(base58btcEncode(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
    expect(base58btcEncode(Buffer.from('hello world'))).toBe('StV1DL6CwTryKyV');
  });

  it('rejects anything but an Ed25519 multikey', () => {
    expect(() => ed25519PublicKeyFromMultibase('zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169')).toThrow(TypeError);
    expect(() => ed25519PublicKeyFromMultibase('z6Mk0OIl')).toThrow(/base58btc/);
    expect(() => ed25519PublicKeyFromMultibase('z6Mkj')).toThrow(/0xed01/);
  });
});

describe('signing keys', () => {
  it('generates an Ed25519 key whose multibase and PKCS#8 belong together', () => {
    const generated = generateSigningKey();
    expect(generated.publicKeyMultibase).toMatch(/^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/);
    const imported = importSigningKey(generated);
    expect(imported.publicKeyMultibase).toBe(generated.publicKeyMultibase);
    expect(imported.privateKey.asymmetricKeyType).toBe('ed25519');
    const signature = sign(null, Buffer.from('data'), imported.privateKey);
    expect(verify(null, Buffer.from('data'), publicKeyFromMultibase(generated.publicKeyMultibase), signature)).toBe(true);
  });

  it('generates a different key every time', () => {
    expect(generateSigningKey().publicKeyMultibase).not.toBe(generateSigningKey().publicKeyMultibase);
  });

  it('refuses a private key stored next to the wrong public key', () => {
    const a = generateSigningKey();
    const b = generateSigningKey();
    expect(() => importSigningKey({ privateKeyPkcs8: a.privateKeyPkcs8, publicKeyMultibase: b.publicKeyMultibase })).toThrow(
      /does not belong/,
    );
  });

  it('refuses non-Ed25519 and malformed keys without echoing the bytes', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(() => importSigningKey({ privateKeyPkcs8: rsa })).toThrow(/Ed25519/);
    const garbage = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const error = (() => {
      try {
        importSigningKey({ privateKeyPkcs8: garbage });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect(error?.message).not.toMatch(/0011|ABEiM/i);
  });

  it('makes did:key DIDs and verification method ids', () => {
    expect(didKeyFor(VECTOR_PUBLIC_KEY_MULTIBASE)).toEqual({
      did: `did:key:${VECTOR_PUBLIC_KEY_MULTIBASE}`,
      verificationMethod: `did:key:${VECTOR_PUBLIC_KEY_MULTIBASE}#${VECTOR_PUBLIC_KEY_MULTIBASE}`,
    });
    expect(() => didKeyFor('did:key:z6Mk')).toThrow(TypeError);
  });
});

describe('private key envelope', () => {
  const masterKey = randomBytes(32);
  const { privateKeyPkcs8 } = generateSigningKey();

  it('round-trips, with fresh randomness every time', () => {
    const first = encryptPrivateKey(masterKey, privateKeyPkcs8);
    const second = encryptPrivateKey(masterKey, privateKeyPkcs8);
    expect(first).toMatch(/^cairn-pk1\.[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){6}$/);
    expect(first).not.toBe(second);
    expect(decryptPrivateKey(masterKey, first).equals(privateKeyPkcs8)).toBe(true);
    expect(decryptPrivateKey(masterKey, second).equals(privateKeyPkcs8)).toBe(true);
  });

  it('never contains the plaintext', () => {
    const envelope = encryptPrivateKey(masterKey, privateKeyPkcs8);
    const seed = privateKeyPkcs8.subarray(-32);
    for (const encoding of ['base64url', 'base64', 'hex'] as const) expect(envelope).not.toContain(seed.toString(encoding));
  });

  it('detects a change in any segment', () => {
    const segments = encryptPrivateKey(masterKey, privateKeyPkcs8).split('.');
    for (let i = 2; i < segments.length; i++) {
      const changed = [...segments];
      const segment = changed[i]!;
      changed[i] = (segment[0] === 'A' ? 'B' : 'A') + segment.slice(1);
      const error = (() => {
        try {
          decryptPrivateKey(masterKey, changed.join('.'));
        } catch (e) {
          return e;
        }
      })();
      expect(error, `segment ${i}`).toBeInstanceOf(PrivateKeyDecryptionError);
      expect((error as PrivateKeyDecryptionError).reason, `segment ${i}`).toMatch(/tampered|malformed/);
    }
  });

  it('says so when the master key is a different one', () => {
    const envelope = encryptPrivateKey(masterKey, privateKeyPkcs8);
    expect(() => decryptPrivateKey(randomBytes(32), envelope)).toThrow(/another master key/);
  });

  it('tells malformed text and unknown versions apart', () => {
    const envelope = encryptPrivateKey(masterKey, privateKeyPkcs8);
    const reasonFor = (text: string) => {
      try {
        decryptPrivateKey(masterKey, text);
      } catch (e) {
        return (e as PrivateKeyDecryptionError).reason;
      }
    };
    expect(reasonFor('not an envelope')).toBe('malformed');
    expect(reasonFor(envelope.split('.').slice(0, 5).join('.'))).toBe('malformed');
    expect(reasonFor(envelope.replace('cairn-pk1.', 'cairn-pk2.'))).toBe('unsupported-version');
  });

  it('throws TypeError on misuse', () => {
    expect(() => encryptPrivateKey(randomBytes(16), privateKeyPkcs8)).toThrow(TypeError);
    expect(() => encryptPrivateKey(masterKey, new Uint8Array())).toThrow(TypeError);
    expect(() => decryptPrivateKey(masterKey, 42 as unknown as string)).toThrow(TypeError);
  });
});

describe('deriveMasterKey', () => {
  const secret = 'correct horse battery staple, but much longer';

  it('derives the same 32 bytes from the same secret, different ones from another', async () => {
    const [a, b, c] = await Promise.all([deriveMasterKey(secret), deriveMasterKey(secret), deriveMasterKey(`${secret}!`)]);
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    const envelope = encryptPrivateKey(a, Buffer.from('secret'));
    expect(decryptPrivateKey(b, envelope).toString()).toBe('secret');
  });

  it('refuses short secrets', async () => {
    await expect(deriveMasterKey('too short')).rejects.toThrow(TypeError);
  });
});

describe('importEncryptedSigningKey', () => {
  it('decrypts and imports a stored key, checking it against its public key', () => {
    const masterKey = randomBytes(32);
    const generated = generateSigningKey();
    const encryptedPrivateKey = encryptPrivateKey(masterKey, generated.privateKeyPkcs8);
    const imported = importEncryptedSigningKey({ masterKey, encryptedPrivateKey, publicKeyMultibase: generated.publicKeyMultibase });
    expect(imported.publicKeyMultibase).toBe(generated.publicKeyMultibase);
    expect(() =>
      importEncryptedSigningKey({ masterKey, encryptedPrivateKey, publicKeyMultibase: generateSigningKey().publicKeyMultibase }),
    ).toThrow(/does not belong/);
    expect(() => importEncryptedSigningKey({ masterKey: randomBytes(32), encryptedPrivateKey })).toThrow(PrivateKeyDecryptionError);
  });
});
