import { generateKeyPairSync } from 'node:crypto';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateRsaSigningKey, importRsaSigningKey, signCredentialJwt, type RsaSigningKey } from './jwt.js';
import { didKeyFor, generateSigningKey, importSigningKey } from './keys.js';
import { buildSampleAchievementCredential } from '../../test/fixtures/sample-credential.js';

const ed25519 = importSigningKey(generateSigningKey());
const issuer = didKeyFor(ed25519.publicKeyMultibase);
const credential = buildSampleAchievementCredential({
  issuerId: issuer.did,
  validFrom: '2024-01-01T00:00:00Z',
  validUntil: '2030-01-01T00:00:00Z',
});
const now = new Date('2024-06-01T08:30:00.900Z');
/** A moment inside the credential's validity, so jose's nbf/exp checks pass regardless of the real clock. */
const currentDate = new Date('2025-01-01T00:00:00Z');

describe('signCredentialJwt', () => {
  let rsa: RsaSigningKey;

  beforeAll(async () => {
    rsa = await generateRsaSigningKey();
  });

  it('round-trips EdDSA with the OB 3.0 claims and header', async () => {
    const jwt = await signCredentialJwt({ credential, kid: issuer.verificationMethod, privateKey: ed25519.privateKey, alg: 'EdDSA', now });
    const { payload, protectedHeader } = await jwtVerify(jwt, ed25519.publicKey, { currentDate, issuer: issuer.did });
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: issuer.verificationMethod, typ: 'JWT' });
    expect(payload).toEqual({
      iss: issuer.did,
      jti: credential.id,
      nbf: Date.parse('2024-01-01T00:00:00Z') / 1000,
      exp: Date.parse('2030-01-01T00:00:00Z') / 1000,
      iat: Math.floor(now.getTime() / 1000),
      vc: credential,
    });
    expect(payload).not.toHaveProperty('sub'); // the sample subject is identified by a hashed e-mail, not an id
  });

  it('round-trips RS256 with a published JWK', async () => {
    const kid = 'https://cairn.example/issuers/7/keys/rs256-1';
    const subject = { ...(credential.credentialSubject as object), id: 'did:example:ebfeb1f712ebc6f1c276e12ec21' };
    const jwt = await signCredentialJwt({
      credential: { ...credential, credentialSubject: subject },
      kid,
      privateKey: rsa.privateKey,
      alg: 'RS256',
      now,
    });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'RS256', kid, typ: 'JWT' });
    const publicKey = await importJWK(rsa.publicKeyJwk, 'RS256');
    const { payload } = await jwtVerify(jwt, publicKey, { currentDate, algorithms: ['RS256'] });
    expect(payload.sub).toBe('did:example:ebfeb1f712ebc6f1c276e12ec21');
    expect(payload.vc).toMatchObject({ id: credential.id });
  });

  it('omits exp when the credential has no validUntil', async () => {
    const { validUntil: _validUntil, ...openEnded } = credential;
    const jwt = await signCredentialJwt({ credential: openEnded, kid: 'k', privateKey: ed25519.privateKey, alg: 'EdDSA', now });
    const { payload } = await jwtVerify(jwt, ed25519.publicKey, { currentDate });
    expect(payload).not.toHaveProperty('exp');
  });

  it('fails verification when the payload is changed', async () => {
    const jwt = await signCredentialJwt({ credential, kid: 'k', privateKey: ed25519.privateKey, alg: 'EdDSA', now });
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { vc: { name: string } };
    claims.vc.name = 'Something Else';
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    await expect(jwtVerify(forged, ed25519.publicKey, { currentDate })).rejects.toThrow(/signature/);
  });

  it('exports the RSA key so it can be stored and imported again', () => {
    const again = importRsaSigningKey(rsa.privateKeyPkcs8);
    expect(again.publicKeyJwk).toEqual(rsa.publicKeyJwk);
    expect(rsa.publicKeyJwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(rsa.publicKeyJwk).not.toHaveProperty('d');
  });

  it('throws TypeError when the key does not fit the algorithm or the credential lacks a claim', async () => {
    const sign = (overrides: Partial<Parameters<typeof signCredentialJwt>[0]>) =>
      signCredentialJwt({ credential, kid: 'k', privateKey: ed25519.privateKey, alg: 'EdDSA', now, ...overrides });
    await expect(sign({ alg: 'RS256' })).rejects.toThrow(/RS256 needs an RSA key/);
    await expect(sign({ privateKey: rsa.privateKey })).rejects.toThrow(/EdDSA needs an Ed25519 key/);
    await expect(sign({ privateKey: ed25519.publicKey })).rejects.toThrow(TypeError);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    await expect(sign({ alg: 'RS256', privateKey: small })).rejects.toThrow(/2048/);
    await expect(sign({ credential: { ...credential, validFrom: undefined } })).rejects.toThrow(/validFrom/);
    await expect(sign({ credential: { ...credential, issuer: { name: 'x' } } })).rejects.toThrow(/issuer/);
    await expect(sign({ credential: { ...credential, id: undefined } })).rejects.toThrow(/credential\.id/);
  });
});
