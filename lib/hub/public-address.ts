import { sql } from 'drizzle-orm';
import type { HubConfig } from '../config/env.js';
import type { Db } from '../db/client.js';
import { publicAddresses } from './tables.js';

/** Any number; only hub starts take this lock, one at a time while each compares and records its address. */
const PUBLIC_ADDRESS_LOCK_KEY = 0x63616972;

/**
 * The hub was started under a public base URL that drops one it answered under before: every credential issued
 * then names that address (its id, its issuer's did:web DID, its status list), so they would stop resolving and
 * verifying, and new credentials would name DIDs the old ones do not.
 */
export class PublicAddressChangedError extends Error {
  constructor(
    readonly current: string,
    readonly dropped: string[],
  ) {
    const earlier = dropped.join(', ');
    super(
      [
        `The hub's public address changed: it was ${earlier} and is now ${current} (PUBLIC_BASE_URL, or http://localhost:<GATEWAY_PORT> when unset).`,
        `Every credential issued under ${earlier} names it: its id, its issuer's did:web DID and its status list. Under the new address alone they would stop resolving and verifying.`,
        `Either start the hub with its old address again (PUBLIC_BASE_URL=${dropped[0]}, or the GATEWAY_PORT it had), or keep the old address working alongside the new one: CAIRN_PUBLIC_BASE_URL_ALIASES=${earlier}`,
      ].join('\n'),
    );
    this.name = 'PublicAddressChangedError';
  }
}

/**
 * Binds the hub's identity to its public base URL: records it at the first start, and refuses (PublicAddressChangedError)
 * a start whose PUBLIC_BASE_URL and aliases leave out an address recorded before. Each process checks it, so a
 * service configured with another address than its peers does not start either.
 */
export async function bindPublicAddress(db: Db, config: Pick<HubConfig, 'publicBaseUrl' | 'publicBaseUrlAliases'>): Promise<void> {
  const kept = new Set([config.publicBaseUrl, ...config.publicBaseUrlAliases]);
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${PUBLIC_ADDRESS_LOCK_KEY})`);
    const recorded = await tx.select({ url: publicAddresses.url }).from(publicAddresses).orderBy(publicAddresses.firstUsedAt);
    const dropped = recorded.map((row) => row.url).filter((url) => !kept.has(url));
    if (dropped.length > 0) throw new PublicAddressChangedError(config.publicBaseUrl, dropped);
    await tx.insert(publicAddresses).values({ url: config.publicBaseUrl }).onConflictDoNothing();
  });
}
