import { randomInt } from 'node:crypto';
import type { Db } from '../../../lib/db/client.js';
import type { DocumentLoader } from '../../../lib/crypto/document-loader.js';
import { signCredential } from '../../../lib/crypto/sign.js';
import { NotFoundError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import { Bitstring, encodeList, MIN_STATUS_LIST_BITS, statusListCredential, statusListEntry, type StatusPurpose } from '../../../lib/status/bitstring.js';
import type { IssuanceStore } from '../db/issuance-store.js';
import type { IssuerStore } from '../db/store.js';
import type { StatusListRow } from '../db/tables.js';
import type { KeyRing } from './key-ring.js';

/** @default 64 // random probes before deciding a list is too full and starting a new one */
const MAX_PROBES = 64;

export interface StatusAllocation {
  listId: string;
  index: number;
  purpose: StatusPurpose;
  entry: Record<string, unknown>;
}

/**
 * Bitstring status lists, per issuer and purpose: revocation lists and suspension lists (131,072 entries each,
 * random indexes so a list never reveals issuance order). A credential has an index on one list only, of the purpose
 * chosen when it was issued. Served signed by the issuer's active key; a signed list is cached until its bits change.
 */
export class StatusLists {
  private readonly signed = new Map<string, { revision: number; document: Promise<Record<string, unknown>> }>();

  constructor(
    private readonly store: IssuanceStore,
    private readonly issuers: IssuerStore,
    private readonly keyRing: KeyRing,
    private readonly documentLoader: DocumentLoader,
    private readonly publicBaseUrl: string,
  ) {}

  urlOf(listId: string): string {
    return `${this.publicBaseUrl}/status-lists/${listId}`;
  }

  /**
   * Picks a random free index on the issuer's current list of this purpose (creating a list when there is none or
   * it is too full). Nothing is locked: the ledger's unique (list, index) index is the arbiter, and the caller
   * retries the rare collision with a concurrent issuance.
   */
  async allocate(db: Db, issuerId: string, purpose: StatusPurpose): Promise<StatusAllocation> {
    const list = (await this.store.newestStatusList(issuerId, purpose)) ?? (await this.createList(db, issuerId, purpose));
    for (let probe = 0; probe < MAX_PROBES; probe += 1) {
      const index = randomInt(list.length);
      if (!(await this.store.isIndexTaken(db, list.id, index))) {
        return { listId: list.id, index, purpose, entry: { ...statusListEntry({ listCredentialUrl: this.urlOf(list.id), index, purpose }) } };
      }
    }
    // Too full to find a free index quickly: start the issuer's next list (the newest list is the one being filled).
    await this.createList(db, issuerId, purpose);
    return this.allocate(db, issuerId, purpose);
  }

  /** Sets the credential's bit inside the caller's transaction (the list row is locked until it commits). */
  async setBit(tx: Db, listId: string, index: number, value: boolean): Promise<void> {
    const list = await this.store.lockStatusListById(tx, listId);
    if (!list) throw new NotFoundError('StatusList', listId);
    const bits = Bitstring.fromBytes(list.bits);
    bits.set(index, value);
    await this.store.saveStatusBits(tx, listId, bits.toBuffer());
  }

  /** The signed BitstringStatusListCredential, re-signed only when the list changed since the last request. */
  async signedList(listId: string): Promise<Record<string, unknown>> {
    const list = await this.store.findStatusList(listId);
    if (!list) throw new NotFoundError('StatusList', listId);
    const cached = this.signed.get(listId);
    if (cached && cached.revision === list.revision) return cached.document;
    const document = this.sign(list);
    this.signed.set(listId, { revision: list.revision, document });
    document.catch(() => this.signed.delete(listId));
    return document;
  }

  private async sign(list: StatusListRow): Promise<Record<string, unknown>> {
    const [issuer] = await this.issuers.findByIds([list.issuerId]);
    if (!issuer) throw new NotFoundError('Issuer', list.issuerId);
    const signer = await this.keyRing.signerFor(issuer);
    const unsigned = statusListCredential({
      id: this.urlOf(list.id),
      issuer: signer.did,
      purpose: list.purpose,
      encodedList: encodeList(Bitstring.fromBytes(list.bits)),
      validFrom: new Date(),
    });
    return signCredential({ credential: { ...unsigned }, signer, documentLoader: this.documentLoader });
  }

  /** Two issuances that find no list at once may each create one; the newer one is used and the other stays empty. */
  private createList(db: Db, issuerId: string, purpose: StatusPurpose): Promise<StatusListRow> {
    return this.store.insertStatusList(db, {
      id: newId(),
      issuerId,
      purpose,
      length: MIN_STATUS_LIST_BITS,
      bits: Bitstring.create(MIN_STATUS_LIST_BITS).toBuffer(),
    });
  }
}
