import { randomInt } from 'node:crypto';
import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import type { Db } from '../../../lib/db/client.js';
import { NotFoundError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { Bitstring, encodeList, MIN_STATUS_LIST_BITS, statusListCredential, statusListEntry, type StatusPurpose } from '../../../lib/status/bitstring.js';
import type { IssuanceStore } from '../db/issuance-store.js';
import type { IssuerStore } from '../db/store.js';
import type { StatusListRow } from '../db/tables.js';
import type { KeysService } from './keys.js';

/** @default 64 // random probes before deciding a list is too full and starting a new one */
const MAX_PROBES = 64;

export interface StatusAllocation {
  listId: string;
  index: number;
  purpose: StatusPurpose;
  entry: Record<string, unknown>;
}

export interface StatusListsDeps {
  store: IssuanceStore;
  issuers: IssuerStore;
  keyRing: KeysService;
  documentLoader: DocumentLoader;
  publicBaseUrl: string;
}

/**
 * Bitstring status lists, per issuer and purpose: revocation lists and suspension lists (131,072 entries each,
 * random indexes so a list never reveals issuance order). A credential has an index on one list only, of the purpose
 * chosen when it was issued. Served signed by the issuer's active key; a signed list is cached until its bits change,
 * so make one per process. Its writes run inside the issuance service's transactions.
 */
export function createStatusListsService({ store, issuers, keyRing, documentLoader, publicBaseUrl }: StatusListsDeps) {
  const signed = new Map<string, { revision: number; document: Promise<Record<string, unknown>> }>();
  const urlOf = (listId: string): string => `${publicBaseUrl}/status-lists/${listId}`;

  async function sign(list: StatusListRow): Promise<Record<string, unknown>> {
    const [issuer] = await issuers.findByIds([list.issuerId]);
    if (!issuer) throw new NotFoundError('Issuer', list.issuerId);
    const signer = await keyRing.signerFor(issuer);
    const unsigned = statusListCredential({
      id: urlOf(list.id),
      issuer: signer.did,
      purpose: list.purpose,
      encodedList: encodeList(Bitstring.fromBytes(list.bits)),
      validFrom: new Date(),
    });
    return signCredential({ credential: { ...unsigned }, signer, documentLoader });
  }

  /**
   * Opens the issuer's next list of this purpose (after `replacing`, or its first), unless a concurrent issuance has
   * just done so: then that list is the one to fill. One list fills before the next opens, because a sparsely used
   * list shrinks the crowd each credential's status hides in.
   */
  function openList(db: Db, issuerId: string, purpose: StatusPurpose, replacing: string | null): Promise<StatusListRow> {
    return db.transaction(async (tx) => {
      await store.lockStatusListsOf(tx, issuerId, purpose);
      const newest = await store.newestStatusList(issuerId, purpose, tx);
      if (newest && newest.id !== replacing) return newest;
      return store.insertStatusList(tx, {
        id: newId(),
        issuerId,
        purpose,
        length: MIN_STATUS_LIST_BITS,
        bits: Bitstring.create(MIN_STATUS_LIST_BITS).toBuffer(),
      });
    });
  }

  /**
   * Picks a random free index on the issuer's current list of this purpose (creating a list when there is none or
   * it is too full). Nothing is locked: the ledger's unique (list, index) index is the arbiter, and the caller
   * retries the rare collision with a concurrent issuance.
   */
  async function allocate(db: Db, issuerId: string, purpose: StatusPurpose): Promise<StatusAllocation> {
    const list = (await store.newestStatusList(issuerId, purpose)) ?? (await openList(db, issuerId, purpose, null));
    for (let probe = 0; probe < MAX_PROBES; probe += 1) {
      const index = randomInt(list.length);
      if (!(await store.isIndexTaken(db, list.id, index))) {
        return { listId: list.id, index, purpose, entry: { ...statusListEntry({ listCredentialUrl: urlOf(list.id), index, purpose }) } };
      }
    }
    // Too full to find a free index quickly: start the issuer's next list (the newest list is the one being filled).
    await openList(db, issuerId, purpose, list.id);
    return allocate(db, issuerId, purpose);
  }

  return {
    urlOf,
    allocate,

    /** Sets the credential's bit inside the caller's transaction (the list row is locked until it commits). */
    async setBit(tx: Db, listId: string, index: number, value: boolean): Promise<void> {
      const list = await store.lockStatusListById(tx, listId);
      if (!list) throw new NotFoundError('StatusList', listId);
      const bits = Bitstring.fromBytes(list.bits);
      bits.set(index, value);
      await store.saveStatusBits(tx, listId, bits.toBuffer());
    },

    /** The signed BitstringStatusListCredential, re-signed only when the list changed since the last request. */
    async signedList(listId: string): Promise<Record<string, unknown>> {
      const list = await store.findStatusList(listId);
      if (!list) throw new NotFoundError('StatusList', listId);
      const cached = signed.get(listId);
      if (cached && cached.revision === list.revision) return cached.document;
      const document = sign(list);
      signed.set(listId, { revision: list.revision, document });
      document.catch(() => signed.delete(listId));
      return document;
    },
  };
}

export type StatusListsService = ReturnType<typeof createStatusListsService>;
