import type { KeyObject } from 'node:crypto';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { generateRsaSigningKey, importRsaSigningKey } from '../../../lib/crypto/jwt.js';
import { decryptPrivateKey, deriveMasterKey, didKeyFor, encryptPrivateKey, generateSigningKey, importSigningKey } from '../../../lib/crypto/keys.js';
import type { Db } from '../../../lib/db/client.js';
import { NotFoundError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { issuerKeysChangedEvent } from '../../../lib/events/contracts/issuer-keys-changed.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { KeyStore } from '../db/key-store.js';
import type { IssuerStore } from '../db/store.js';
import type { IssuerRow, SigningKeyRow } from '../db/tables.js';
import { didWebDocument, didWebFor, hubDidWebOf, verificationMethodId, verificationMethodNode } from '../domain/did.js';

/** What signing needs: the key, and the ids the proof and the issuer Profile carry. */
export interface IssuerSigner {
  did: string;
  verificationMethod: string;
  privateKey: KeyObject;
  keyId: string;
}

export interface KeysDeps {
  db: Db;
  keys: KeyStore;
  issuers: IssuerStore;
  masterKeySecret: string;
  publicBaseUrl: string;
  /** Earlier public base URLs (CAIRN_PUBLIC_BASE_URL_ALIASES): the issuers' DIDs under them stay this hub's. */
  publicBaseUrlAliases?: readonly string[];
}

type IssuerIdentity = Pick<IssuerRow, 'id' | 'didMethod'>;

/**
 * Issuers' signing keys (the key ring): creation, rotation, DIDs, and decrypted keys for signing. Decrypted keys are
 * cached per key id for the life of the process (a key row never changes; a rotation makes a new row), so each key
 * is decrypted and imported once rather than per signature: make one per process.
 */
export function createKeysService({ db, keys, issuers, masterKeySecret, publicBaseUrl, publicBaseUrlAliases = [] }: KeysDeps) {
  const masterKey = deriveMasterKey(masterKeySecret);
  const importedKeys = new Map<string, Promise<KeyObject>>();
  const publicBaseUrls = [publicBaseUrl, ...publicBaseUrlAliases];

  /** The issuer's DID: did:web under the hub, or the did:key of its active key. */
  function didOf(issuer: IssuerIdentity, activeKey: Pick<SigningKeyRow, 'publicKeyMultibase'> | null): string {
    if (issuer.didMethod === 'key') {
      if (!activeKey) throw new Error(`issuer ${issuer.id} has no active key`);
      return didKeyFor(activeKey.publicKeyMultibase).did;
    }
    return didWebFor(publicBaseUrl, issuer.id);
  }

  /** The issuer's active Ed25519 key with the DID and verification method that name it. */
  async function activeKeyOf(issuer: IssuerIdentity) {
    const key = await keys.activeKey(issuer.id);
    if (!key) throw new Error(`issuer ${issuer.id} has no active signing key`);
    const did = didOf(issuer, key);
    return { key, did, verificationMethod: verificationMethodId(did, key.publicKeyMultibase) };
  }

  /** Decrypts and imports a stored private key once per key row and process; the plaintext is zeroed at once. */
  function importedKey(keyId: string, encryptedPrivateKey: string, importKey: (pkcs8: Buffer) => KeyObject): Promise<KeyObject> {
    let privateKey = importedKeys.get(keyId);
    if (!privateKey) {
      privateKey = masterKey.then((secret) => {
        const pkcs8 = decryptPrivateKey(secret, encryptedPrivateKey);
        try {
          return importKey(pkcs8);
        } finally {
          pkcs8.fill(0);
        }
      });
      importedKeys.set(keyId, privateKey);
      privateKey.catch(() => importedKeys.delete(keyId));
    }
    return privateKey;
  }

  /** Generates a key, stores it encrypted and ACTIVE, retiring the previous one (inside the caller's transaction). */
  async function addActiveKey(tx: Db, issuerId: string): Promise<SigningKeyRow> {
    const generated = generateSigningKey();
    const encryptedPrivateKey = encryptPrivateKey(await masterKey, generated.privateKeyPkcs8);
    generated.privateKeyPkcs8.fill(0);
    await keys.retireActive(tx, issuerId);
    return keys.insert(tx, { id: newId(), issuerId, publicKeyMultibase: generated.publicKeyMultibase, encryptedPrivateKey, status: 'ACTIVE' });
  }

  /**
   * The IssuerKeysChanged event for the issuer's keys as they are inside `tx`: every DID it signs or signed with (a
   * did:web one under each of the hub's addresses), with the did:web document (public keys only). The verification
   * subgraph projects it to resolve this hub's DIDs without HTTP and to know its issuers.
   */
  async function keysChangedEvent(tx: Db, issuer: Pick<IssuerRow, 'id' | 'didMethod' | 'name'>): Promise<NewEvent> {
    const issuerKeys = await keys.keysByIssuerIds([issuer.id], tx);
    const dids =
      issuer.didMethod === 'key'
        ? issuerKeys.map((key) => ({ did: didKeyFor(key.publicKeyMultibase).did, document: null }))
        : publicBaseUrls.map((base) => ({ did: didWebFor(base, issuer.id), document: didWebDocument(didWebFor(base, issuer.id), issuerKeys) }));
    return issuerKeysChangedEvent.build({ issuerId: issuer.id, name: issuer.name, dids });
  }

  /**
   * The did:web document of an issuer (null for did:key issuers, whose DIDs resolve themselves), under the hub's
   * public base URL or one of its aliases.
   */
  async function didDocument(issuer: IssuerIdentity, underBaseUrl = publicBaseUrl): Promise<Record<string, unknown> | null> {
    if (issuer.didMethod !== 'web') return null;
    const issuerKeys = await keys.keysByIssuerIds([issuer.id]);
    return didWebDocument(didWebFor(underBaseUrl, issuer.id), issuerKeys);
  }

  /** The public JWK URL of an RS256 key: the `kid` of the JWTs it signs. */
  const jwkUrl = (issuerId: string, keyId: string): string => `${publicBaseUrl}/issuers/${issuerId}/jwks/${keyId}`;

  return {
    didOf,
    addActiveKey,
    keysChangedEvent,
    didDocument,
    jwkUrl,

    /**
     * The hub address a request came in on (its forwarded host), when that is an alias: a did:web resolver asking
     * for an old DID fetches from the old host and must get the document of that DID. Any other host: the current one.
     */
    publicBaseUrlOfHost(host: string | undefined): string {
      return publicBaseUrls.find((base) => host !== undefined && new URL(base).host === host.toLowerCase()) ?? publicBaseUrl;
    },

    /** The issuer's DID without touching private key material. */
    async didFor(issuer: IssuerIdentity): Promise<string> {
      return didOf(issuer, issuer.didMethod === 'key' ? await keys.activeKey(issuer.id) : null);
    },

    /**
     * Makes a new active signing key and announces the issuer's keys (IssuerKeysChanged) in one transaction. The
     * old key is retired but stays published, so earlier credentials still verify.
     */
    async rotateSigningKey(viewer: Viewer, issuerId: string): Promise<{ issuer: IssuerRow; key: SigningKeyRow }> {
      assertIssuerAccess(viewer, issuerId, 'OWNER');
      const [issuer] = await issuers.findByIds([issuerId]);
      if (!issuer) throw new NotFoundError('Issuer', issuerId);
      const key = await db.transaction(async (tx) => {
        const added = await addActiveKey(tx, issuer.id);
        await appendEvents(tx, [await keysChangedEvent(tx, issuer)]);
        return added;
      });
      return { issuer, key };
    },

    async signerFor(issuer: IssuerIdentity): Promise<IssuerSigner> {
      const { key, did, verificationMethod } = await activeKeyOf(issuer);
      const privateKey = await importedKey(key.id, key.encryptedPrivateKey, (pkcs8) =>
        importSigningKey({ privateKeyPkcs8: pkcs8, publicKeyMultibase: key.publicKeyMultibase }).privateKey,
      );
      return { did, verificationMethod, privateKey, keyId: key.id };
    },

    /**
     * Resolves this hub's own did:web DIDs (and their verification methods) from the database, for the offline
     * document loader: signing and verifying Cairn's credentials never needs HTTP. Other DIDs resolve to null.
     */
    async resolveDid(didUrl: string): Promise<Record<string, unknown> | null> {
      const [did, fragment] = didUrl.split('#');
      const own = hubDidWebOf(publicBaseUrls, did!);
      if (!own) return null;
      const [issuer] = await issuers.findByIds([own.issuerId]);
      const document = issuer ? await didDocument(issuer, own.publicBaseUrl) : null;
      if (!document) return null;
      return fragment === undefined ? document : verificationMethodNode(document, didUrl);
    },

    /**
     * The active key's material for the signing worker pool (which imports each key once per worker). The caller
     * must zero `privateKeyPkcs8` when the batch is done.
     */
    async poolSignerFor(issuer: IssuerIdentity): Promise<{ verificationMethod: string; publicKeyMultibase: string; privateKeyPkcs8: Buffer }> {
      const { key, verificationMethod } = await activeKeyOf(issuer);
      return {
        verificationMethod,
        publicKeyMultibase: key.publicKeyMultibase,
        privateKeyPkcs8: decryptPrivateKey(await masterKey, key.encryptedPrivateKey),
      };
    },

    /**
     * The issuer's RS256 signer, made on first use (RSA keys are slow to generate and most issuers never need one).
     * Two first uses at once may each make a key; the newer one wins and the other is simply never used.
     */
    async rsaSignerFor(issuerId: string): Promise<{ kid: string; privateKey: KeyObject }> {
      let key = (await keys.jwtKeysOf(issuerId)).filter((row) => row.status === 'ACTIVE').at(-1);
      if (!key) {
        const generated = await generateRsaSigningKey();
        const id = newId();
        key = await keys.insertJwtKey({
          id,
          issuerId,
          algorithm: 'RS256',
          publicKeyJwk: { ...generated.publicKeyJwk, kid: jwkUrl(issuerId, id) },
          encryptedPrivateKey: encryptPrivateKey(await masterKey, generated.privateKeyPkcs8),
          status: 'ACTIVE',
        });
        generated.privateKeyPkcs8.fill(0);
      }
      const privateKey = await importedKey(key.id, key.encryptedPrivateKey, (pkcs8) => importRsaSigningKey(pkcs8).privateKey);
      return { kid: jwkUrl(issuerId, key.id), privateKey };
    },

    /** Every RS256 public key the issuer has (active and retired), as a JWK Set. */
    async jwks(issuerId: string): Promise<{ keys: Record<string, unknown>[] }> {
      return { keys: (await keys.jwtKeysOf(issuerId)).map((row) => row.publicKeyJwk) };
    },
  };
}

export type KeysService = ReturnType<typeof createKeysService>;
