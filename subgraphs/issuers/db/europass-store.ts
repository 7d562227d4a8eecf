import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { isUuid } from '../../../lib/ids.js';
import { issuanceJobRows, issuanceJobs, issuedCredentials, sealedEdcs, type IssuedCredentialRow, type SealedEdcRow } from './tables.js';

/** Queries behind the Europass hand-off: the credentials of an export, and the sealed EDCs handed back. */
export function createEuropassStore(db: Db) {
  return {
    /** An issuer's credentials of one achievement (every version), oldest first, at most `limit`. */
    async credentialsOfAchievement(issuerId: string, achievementId: string, limit: number): Promise<IssuedCredentialRow[]> {
      if (!isUuid(achievementId)) return [];
      return db
        .select()
        .from(issuedCredentials)
        .where(and(eq(issuedCredentials.issuerId, issuerId), eq(issuedCredentials.achievementId, achievementId)))
        .orderBy(asc(issuedCredentials.issuedAt), asc(issuedCredentials.id))
        .limit(limit);
    },

    /** The credentials one of the issuer's bulk jobs issued, in row order, at most `limit`. */
    async credentialsOfJob(issuerId: string, jobId: string, limit: number): Promise<IssuedCredentialRow[]> {
      if (!isUuid(jobId)) return [];
      const rows = await db
        .select({ credential: issuedCredentials })
        .from(issuanceJobRows)
        .innerJoin(issuanceJobs, eq(issuanceJobs.id, issuanceJobRows.jobId))
        .innerJoin(issuedCredentials, eq(issuedCredentials.id, issuanceJobRows.credentialId))
        .where(and(eq(issuanceJobRows.jobId, jobId), eq(issuanceJobs.issuerId, issuerId), isNotNull(issuanceJobRows.credentialId)))
        .orderBy(asc(issuanceJobRows.rowNumber))
        .limit(limit);
      return rows.map((row) => row.credential);
    },

    async findSealed(credentialId: string): Promise<SealedEdcRow | null> {
      if (!isUuid(credentialId)) return null;
      const [row] = await db.select().from(sealedEdcs).where(eq(sealedEdcs.credentialId, credentialId)).limit(1);
      return row ?? null;
    },

    /** The latest seal handed back for a credential replaces an earlier one (a re-sealed credential). */
    async saveSealed(tx: Db, row: Omit<SealedEdcRow, 'importedAt'>): Promise<SealedEdcRow> {
      const [saved] = await tx
        .insert(sealedEdcs)
        .values(row)
        .onConflictDoUpdate({ target: sealedEdcs.credentialId, set: { sealed: row.sealed, sealedBy: row.sealedBy, signingTime: row.signingTime, importedAt: sql`now()` } })
        .returning();
      return saved!;
    },
  };
}

export type EuropassStore = ReturnType<typeof createEuropassStore>;
