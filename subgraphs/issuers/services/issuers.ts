import type { Db } from '../../../lib/db/client.js';
import { AppError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { issuerCreatedEvent } from '../../../lib/events/contracts/issuer-created.js';
import { newId } from '../../../lib/ids.js';
import type { IssuerStore } from '../db/store.js';
import type { IssuerRow } from '../db/tables.js';
import { normaliseIssuerProfile, type IssuerProfileInput } from '../domain/issuer-profile.js';
import type { KeysService } from './keys.js';

export interface IssuersDeps {
  db: Db;
  store: IssuerStore;
  keyRing: KeysService;
}

export interface NewIssuerRequest extends IssuerProfileInput {
  /** The parent organisation, an issuer on this hub. */
  parentIssuerId?: string | null;
  /** @default 'web' */
  didMethod?: 'web' | 'key' | null;
}

/** Issuer profiles: registering an issuer on the hub. */
export function createIssuersService({ db, store, keyRing }: IssuersDeps) {
  return {
    /**
     * Registers an issuer with its first signing key, and announces both (IssuerCreated, IssuerKeysChanged) in the
     * same transaction. Who may do it is the resolver's `@Authorized('ADMIN')`.
     */
    async createIssuer(input: NewIssuerRequest): Promise<IssuerRow> {
      const profile = normaliseIssuerProfile(input);
      if (input.parentIssuerId && (await store.findByIds([input.parentIssuerId])).length === 0) {
        throw new AppError('BAD_USER_INPUT', `parentIssuerId ${input.parentIssuerId} is not an issuer on this hub`, { field: 'parentIssuerId' });
      }
      return db.transaction(async (tx) => {
        const row = await store.insert(tx, { id: newId(), ...profile, parentIssuerId: input.parentIssuerId ?? null, didMethod: input.didMethod ?? 'web' });
        await keyRing.addActiveKey(tx, row.id);
        await appendEvents(tx, [issuerCreatedEvent.build({ issuerId: row.id, name: row.name, url: row.url }), await keyRing.keysChangedEvent(tx, row)]);
        return row;
      });
    },
  };
}

export type IssuersService = ReturnType<typeof createIssuersService>;
