import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import type { Db } from '../../../lib/db/client.js';
import { NotFoundError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { Bitstring, encodeList, MIN_STATUS_LIST_BITS, statusListCredential, statusListEntry, type StatusPurpose } from '../../../lib/status/bitstring.js';
import { permutedIndexes } from '../../../lib/status/index-permutation.js';
import type { CounterRange, IssuanceStore } from '../db/issuance-store.js';
import type { IssuerStore } from '../db/store.js';
import type { StatusListRow } from '../db/tables.js';
import type { KeysService } from './keys.js';

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
 * indexes in a keyed pseudorandom order so a list never reveals issuance order). A credential has an index on one
 * list only, of the purpose chosen when it was issued. Served signed by the issuer's active key; a signed list is
 * cached until its bits change, so make one per process. Its writes run inside the issuance service's transactions.
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
  function openList(db: Db, issuerId: string, purpose: StatusPurpose, replacing: string | null): Promise<void> {
    return db.transaction(async (tx) => {
      await store.lockStatusListsOf(tx, issuerId, purpose);
      const newest = await store.newestStatusListFill(issuerId, purpose, tx);
      if (newest && newest.id !== replacing) return;
      await store.insertStatusList(tx, {
        id: newId(),
        issuerId,
        purpose,
        length: MIN_STATUS_LIST_BITS,
        bits: Bitstring.create(MIN_STATUS_LIST_BITS).toBuffer(),
      });
    });
  }

  /**
   * The indexes of a range, less those a random pick of an older release holds already (only on lists opened
   * before ranges: a list opened since holds only permuted counters, which never repeat).
   */
  async function indexesOf(range: CounterRange): Promise<number[]> {
    const indexes = permutedIndexes(range.key, range.length, range.first, range.count);
    if (!range.holdsRandomPicks) return indexes;
    const taken = await store.takenIndexes(range.listId, indexes);
    return indexes.filter((index) => !taken.has(index));
  }

  /**
   * Hands out `count` distinct indexes on the issuer's current list of this purpose, going on to a new list when it
   * fills. One statement takes a range of the list's counter for this caller alone, so no two issuances, in this
   * process or another, ever get the same index, and nobody waits for anybody (no lock outlives that statement).
   */
  async function allocate(db: Db, issuerId: string, purpose: StatusPurpose, count: number): Promise<StatusAllocation[]> {
    const allocations: StatusAllocation[] = [];
    let wanted = count;
    while (allocations.length < count) {
      const range = await store.takeCounterRange(issuerId, purpose, wanted);
      if (!range) {
        // No list yet, or fewer counters left than wanted: take what is left, or open the next list.
        const newest = await store.newestStatusListFill(issuerId, purpose);
        const left = newest ? newest.length - newest.allocated : 0;
        if (left > 0) wanted = Math.min(wanted, left);
        else await openList(db, issuerId, purpose, newest?.id ?? null);
        continue;
      }
      for (const index of await indexesOf(range)) {
        allocations.push({ listId: range.listId, index, purpose, entry: { ...statusListEntry({ listCredentialUrl: urlOf(range.listId), index, purpose }) } });
      }
      wanted = count - allocations.length;
    }
    return allocations;
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
