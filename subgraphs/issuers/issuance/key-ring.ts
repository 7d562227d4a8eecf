import type { KeyObject } from 'node:crypto';
import type { Db } from '../../../lib/db/client.js';
import { generateRsaSigningKey, importRsaSigningKey } from '../../../lib/crypto/jwt.js';
import { decryptPrivateKey, deriveMasterKey, didKeyFor, encryptPrivateKey, generateSigningKey, importSigningKey } from '../../../lib/crypto/keys.js';
import { EventType, type NewEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { KeyStore } from '../db/key-store.js';
import type { IssuerRow, SigningKeyRow } from '../db/tables.js';
import { didWebDocument, didWebFor, issuerIdOfDidWeb, verificationMethodId, verificationMethodNode } from '../domain/did.js';
import type { IssuerStore } from '../db/store.js';

/** What signing needs: the key, and the ids the proof and the issuer Profile carry. */
export interface IssuerSigner {
  did: string;
  verificationMethod: string;
  privateKey: KeyObject;
  keyId: string;
}

/**
 * Issuers' signing keys: creation, rotation, DIDs, and decrypted keys for signing. Decrypted keys are cached per
 * key id for the life of the process (a key row never changes; a rotation makes a new row), so each key is
 * decrypted and imported once rather than per signature.
 */
export class KeyRing {
  private readonly masterKey: Promise<Buffer>;
  private readonly signers = new Map<string, Promise<KeyObject>>();

  constructor(
    private readonly keys: KeyStore,
    private readonly issuers: IssuerStore,
    masterKeySecret: string,
    private readonly publicBaseUrl: string,
  ) {
    this.masterKey = deriveMasterKey(masterKeySecret);
  }

  /** The issuer's DID: did:web under the hub, or the did:key of its active key. */
  didOf(issuer: Pick<IssuerRow, 'id' | 'didMethod'>, activeKey: Pick<SigningKeyRow, 'publicKeyMultibase'> | null): string {
    if (issuer.didMethod === 'key') {
      if (!activeKey) throw new Error(`issuer ${issuer.id} has no active key`);
      return didKeyFor(activeKey.publicKeyMultibase).did;
    }
    return didWebFor(this.publicBaseUrl, issuer.id);
  }

  /** The issuer's DID without touching private key material. */
  async didFor(issuer: Pick<IssuerRow, 'id' | 'didMethod'>): Promise<string> {
    return this.didOf(issuer, issuer.didMethod === 'key' ? await this.keys.activeKey(issuer.id) : null);
  }

  /** Generates a key, stores it encrypted and ACTIVE, retiring the previous one (inside the caller's transaction). */
  async addActiveKey(tx: Db, issuerId: string): Promise<SigningKeyRow> {
    const generated = generateSigningKey();
    const encryptedPrivateKey = encryptPrivateKey(await this.masterKey, generated.privateKeyPkcs8);
    generated.privateKeyPkcs8.fill(0);
    await this.keys.retireActive(tx, issuerId);
    return this.keys.insert(tx, {
      id: newId(),
      issuerId,
      publicKeyMultibase: generated.publicKeyMultibase,
      encryptedPrivateKey,
      status: 'ACTIVE',
    });
  }

  /**
   * The IssuerKeysChanged event for the issuer's keys as they are inside `tx`: every DID it signs or signed with,
   * with the did:web document (public keys only). The verification subgraph projects it to resolve this hub's DIDs
   * without HTTP and to know its issuers.
   */
  async keysChangedEvent(tx: Db, issuer: Pick<IssuerRow, 'id' | 'didMethod' | 'name'>): Promise<NewEvent> {
    const keys = await this.keys.keysByIssuerIds([issuer.id], tx);
    const dids =
      issuer.didMethod === 'key'
        ? keys.map((key) => ({ did: didKeyFor(key.publicKeyMultibase).did, document: null }))
        : [{ did: didWebFor(this.publicBaseUrl, issuer.id), document: didWebDocument(didWebFor(this.publicBaseUrl, issuer.id), keys) }];
    return { type: EventType.ISSUER_KEYS_CHANGED, issuerId: issuer.id, payload: { issuerId: issuer.id, name: issuer.name, dids } };
  }

  /** The issuer's active Ed25519 key with the DID and verification method that name it. */
  private async activeKeyOf(issuer: Pick<IssuerRow, 'id' | 'didMethod'>) {
    const key = await this.keys.activeKey(issuer.id);
    if (!key) throw new Error(`issuer ${issuer.id} has no active signing key`);
    const did = this.didOf(issuer, key);
    return { key, did, verificationMethod: verificationMethodId(did, key.publicKeyMultibase) };
  }

  /** Decrypts and imports a stored private key once per key row and process; the plaintext is zeroed at once. */
  private importedKey(keyId: string, encryptedPrivateKey: string, importKey: (pkcs8: Buffer) => KeyObject): Promise<KeyObject> {
    let privateKey = this.signers.get(keyId);
    if (!privateKey) {
      privateKey = this.masterKey.then((masterKey) => {
        const pkcs8 = decryptPrivateKey(masterKey, encryptedPrivateKey);
        try {
          return importKey(pkcs8);
        } finally {
          pkcs8.fill(0);
        }
      });
      this.signers.set(keyId, privateKey);
      privateKey.catch(() => this.signers.delete(keyId));
    }
    return privateKey;
  }

  async signerFor(issuer: Pick<IssuerRow, 'id' | 'didMethod'>): Promise<IssuerSigner> {
    const { key, did, verificationMethod } = await this.activeKeyOf(issuer);
    const privateKey = await this.importedKey(key.id, key.encryptedPrivateKey, (pkcs8) =>
      importSigningKey({ privateKeyPkcs8: pkcs8, publicKeyMultibase: key.publicKeyMultibase }).privateKey,
    );
    return { did, verificationMethod, privateKey, keyId: key.id };
  }

  /**
   * Resolves this hub's own did:web DIDs (and their verification methods) from the database, for the offline
   * document loader: signing and verifying Cairn's credentials never needs HTTP. Other DIDs resolve to null.
   */
  async resolveDid(didUrl: string): Promise<Record<string, unknown> | null> {
    const [did, fragment] = didUrl.split('#');
    const issuerId = issuerIdOfDidWeb(this.publicBaseUrl, did!);
    if (!issuerId) return null;
    const [issuer] = await this.issuers.findByIds([issuerId]);
    const document = issuer ? await this.didDocument(issuer) : null;
    if (!document) return null;
    return fragment === undefined ? document : verificationMethodNode(document, didUrl);
  }

  /**
   * The active key's material for the signing worker pool (which imports each key once per worker). The caller
   * must zero `privateKeyPkcs8` when the batch is done.
   */
  async poolSignerFor(issuer: Pick<IssuerRow, 'id' | 'didMethod'>): Promise<{ verificationMethod: string; publicKeyMultibase: string; privateKeyPkcs8: Buffer }> {
    const { key, verificationMethod } = await this.activeKeyOf(issuer);
    return {
      verificationMethod,
      publicKeyMultibase: key.publicKeyMultibase,
      privateKeyPkcs8: decryptPrivateKey(await this.masterKey, key.encryptedPrivateKey),
    };
  }

  /** The public JWK URL of an RS256 key: the `kid` of the JWTs it signs. */
  jwkUrl(issuerId: string, keyId: string): string {
    return `${this.publicBaseUrl}/issuers/${issuerId}/jwks/${keyId}`;
  }

  /**
   * The issuer's RS256 signer, made on first use (RSA keys are slow to generate and most issuers never need one).
   * Two first uses at once may each make a key; the newer one wins and the other is simply never used.
   */
  async rsaSignerFor(issuerId: string): Promise<{ kid: string; privateKey: KeyObject }> {
    let key = (await this.keys.jwtKeysOf(issuerId)).filter((row) => row.status === 'ACTIVE').at(-1);
    if (!key) {
      const generated = await generateRsaSigningKey();
      const id = newId();
      key = await this.keys.insertJwtKey({
        id,
        issuerId,
        algorithm: 'RS256',
        publicKeyJwk: { ...generated.publicKeyJwk, kid: this.jwkUrl(issuerId, id) },
        encryptedPrivateKey: encryptPrivateKey(await this.masterKey, generated.privateKeyPkcs8),
        status: 'ACTIVE',
      });
      generated.privateKeyPkcs8.fill(0);
    }
    const privateKey = await this.importedKey(key.id, key.encryptedPrivateKey, (pkcs8) => importRsaSigningKey(pkcs8).privateKey);
    return { kid: this.jwkUrl(issuerId, key.id), privateKey };
  }

  /** Every RS256 public key the issuer has (active and retired), as a JWK Set. */
  async jwks(issuerId: string): Promise<{ keys: Record<string, unknown>[] }> {
    return { keys: (await this.keys.jwtKeysOf(issuerId)).map((row) => row.publicKeyJwk) };
  }

  /** The did:web document of an issuer (null for did:key issuers, whose DIDs resolve themselves). */
  async didDocument(issuer: Pick<IssuerRow, 'id' | 'didMethod'>): Promise<Record<string, unknown> | null> {
    if (issuer.didMethod !== 'web') return null;
    const keys = await this.keys.keysByIssuerIds([issuer.id]);
    return didWebDocument(didWebFor(this.publicBaseUrl, issuer.id), keys);
  }
}
