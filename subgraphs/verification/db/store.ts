import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { jsonRecordset } from '../../../lib/db/json-rows.js';
import { queryableIds } from '../../../lib/ids.js';
import {
  credentialVerdicts,
  knownIssuerDids,
  verifications,
  walletDocuments,
  type CredentialVerdictRow,
  type KnownIssuerDidRow,
  type WalletDocumentRow,
} from './tables.js';

/** A verification to record (the row the CredentialVerified event points at). */
export type NewVerification = typeof verifications.$inferInsert;

/** The only place the verification subgraph talks SQL. */
export function createVerificationStore(db: Db) {
  return {
    async knownIssuerDid(did: string): Promise<KnownIssuerDidRow | null> {
      const [row] = await db.select().from(knownIssuerDids).where(eq(knownIssuerDids.did, did)).limit(1);
      return row ?? null;
    },

    /** The verifier's copies of wallet credentials, by wallet id (ids that are not UUIDs have none). */
    async walletDocumentsByIds(ids: readonly string[]): Promise<Pick<WalletDocumentRow, 'credentialId' | 'document' | 'encoded' | 'digest'>[]> {
      const queryable = queryableIds(ids);
      if (queryable.length === 0) return [];
      return db
        .select({ credentialId: walletDocuments.credentialId, document: walletDocuments.document, encoded: walletDocuments.encoded, digest: walletDocuments.digest })
        .from(walletDocuments)
        .where(inArray(walletDocuments.credentialId, queryable));
    },

    async recordVerifications(tx: Db, rows: readonly NewVerification[]): Promise<void> {
      if (rows.length === 0) return;
      await tx.insert(verifications).values([...rows]);
    },

    async verdictsByKeys(keys: readonly string[]): Promise<CredentialVerdictRow[]> {
      if (keys.length === 0) return [];
      return db.select().from(credentialVerdicts).where(inArray(credentialVerdicts.credentialKey, [...keys]));
    },

    /** Many verdicts in one statement; a key given twice keeps the last (PostgreSQL refuses one upsert touching a row twice). */
    async saveVerdicts(tx: Db, verdicts: ReadonlyArray<typeof credentialVerdicts.$inferInsert>): Promise<void> {
      const unique = [...new Map(verdicts.map((verdict) => [verdict.credentialKey, verdict])).values()];
      if (unique.length === 0) return;
      await tx
        .insert(credentialVerdicts)
        .values(unique)
        .onConflictDoUpdate({
          target: credentialVerdicts.credentialKey,
          set: {
            documentHash: sql`excluded.document_hash`,
            result: sql`excluded.result`,
            recheckAfter: sql`excluded.recheck_after`,
            checkedAt: sql`now()`,
          },
        });
    },
  };
}

/** Replaces everything known about one hub issuer's DIDs (inside the projecting consumer's transaction). */
export async function replaceIssuerDids(tx: Db, issuerId: string, issuerName: string, dids: Array<{ did: string; document: Record<string, unknown> | null }>): Promise<void> {
  await tx.delete(knownIssuerDids).where(eq(knownIssuerDids.issuerId, issuerId));
  if (dids.length === 0) return;
  await tx
    .insert(knownIssuerDids)
    .values(dids.map(({ did, document }) => ({ did, issuerId, issuerName, document })))
    .onConflictDoUpdate({ target: knownIssuerDids.did, set: { issuerId, issuerName, document: sql`excluded.document`, updatedAt: sql`now()` } });
}

/**
 * Copies of wallet credentials, many in one statement; a later copy of the same id (an import that replaced an older
 * one) wins, and a key given twice keeps the last (PostgreSQL refuses one upsert touching a row twice).
 */
export async function saveWalletDocuments(tx: Db, rows: ReadonlyArray<{ credentialId: string; document: Record<string, unknown>; encoded: string | null }>): Promise<void> {
  const unique = [...new Map(rows.map((row) => [row.credentialId, row])).values()];
  if (unique.length === 0) return;
  // One JSON parameter for the batch (a bulk job's chunk is hundreds of documents; see lib/db/json-rows.ts).
  const { columns, select } = jsonRecordset(walletDocuments, unique);
  await tx.execute(sql`
    insert into ${walletDocuments} (${columns}) ${select}
    on conflict (${sql.identifier('credential_id')}) do update set document = excluded.document, encoded = excluded.encoded, updated_at = now()`);
}

/** A status change makes the cached verdict of that credential stale at once. */
export async function dropVerdict(tx: Db, credentialKey: string): Promise<void> {
  await tx.delete(credentialVerdicts).where(eq(credentialVerdicts.credentialKey, credentialKey));
}

export type VerificationStore = ReturnType<typeof createVerificationStore>;
