import { and, asc, eq, getTableColumns, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../../lib/db/client.js';
import { isUuid, queryableIds } from '../../../lib/ids.js';
import type { VersionStatus } from '../domain/lifecycle.js';
import { versionStatusStamps } from './version-stamps.js';
import type { AchievementFacts, PathwayEdge } from '../domain/pathway-requirement.js';
import {
  pathwayLeafKeys,
  pathways,
  pathwayVersions,
  type PathwayDefinitionColumns,
  type PathwayRow,
  type PathwayVersionRow,
  type PathwayView,
} from './pathway-tables.js';
import { achievements, achievementVersions } from './tables.js';

const view = (row: PathwayVersionRow): PathwayView => ({ ...row, id: row.pathwayId });

const currentVersionOf = and(eq(pathwayVersions.pathwayId, pathways.id), eq(pathwayVersions.version, pathways.currentVersion));

/** The pathway definitions: versions, their lifecycle, and what validation needs to know. Writes take the caller's transaction. */
export function createPathwayStore(db: Db) {
  return {
    /** Each pathway at its current version (the newest published one; before any, the draft). */
    async findCurrentByIds(ids: readonly string[]): Promise<PathwayView[]> {
      const queryable = queryableIds(ids);
      if (queryable.length === 0) return [];
      const rows = await db.select(getTableColumns(pathwayVersions)).from(pathwayVersions).innerJoin(pathways, currentVersionOf).where(inArray(pathways.id, queryable));
      return rows.map(view);
    },

    async findVersion(conn: Db, pathwayId: string, version: number): Promise<PathwayView | null> {
      if (!isUuid(pathwayId) || !Number.isSafeInteger(version) || version < 1 || version > 2_147_483_647) return null;
      const [row] = await conn
        .select()
        .from(pathwayVersions)
        .where(and(eq(pathwayVersions.pathwayId, pathwayId), eq(pathwayVersions.version, version)));
      return row ? view(row) : null;
    },

    /** Every version of each pathway, oldest first. */
    async versionsOf(ids: readonly string[]): Promise<PathwayView[]> {
      const queryable = queryableIds(ids);
      if (queryable.length === 0) return [];
      const rows = await db.select().from(pathwayVersions).where(inArray(pathwayVersions.pathwayId, queryable)).orderBy(asc(pathwayVersions.pathwayId), asc(pathwayVersions.version));
      return rows.map(view);
    },

    /** Each issuer's pathways at their current versions, oldest first (`publishedOnly`: those ever published). */
    async listByIssuers(issuerIds: readonly string[], publishedOnly: boolean): Promise<PathwayView[]> {
      const queryable = queryableIds(issuerIds);
      if (queryable.length === 0) return [];
      const rows = await db
        .select(getTableColumns(pathwayVersions))
        .from(pathwayVersions)
        .innerJoin(pathways, currentVersionOf)
        .where(and(inArray(pathways.issuerId, queryable), publishedOnly ? isNotNull(pathwayVersions.publishedAt) : undefined))
        .orderBy(asc(pathways.id));
      return rows.map(view);
    },

    /**
     * The published pathways (current versions, not archived) that name any of these achievements as a leaf, each with
     * the achievement it names: what an achievement stacks into.
     */
    async publishedNaming(achievementIds: readonly string[]): Promise<(PathwayView & { namedAchievementId: string })[]> {
      const queryable = queryableIds(achievementIds);
      if (queryable.length === 0) return [];
      const rows = await db
        .select({ ...getTableColumns(pathwayVersions), key: pathwayLeafKeys.key })
        .from(pathwayVersions)
        .innerJoin(pathways, currentVersionOf)
        .innerJoin(pathwayLeafKeys, and(eq(pathwayLeafKeys.pathwayId, pathwayVersions.pathwayId), eq(pathwayLeafKeys.version, pathwayVersions.version)))
        .where(and(inArray(pathwayLeafKeys.key, queryable.map((id) => `A|${id}`)), eq(pathwayVersions.status, 'PUBLISHED')))
        .orderBy(asc(pathways.id));
      return rows.map(({ key, ...row }) => ({ ...view(row), namedAchievementId: key.slice(2) }));
    },

    /** Whether each achievement exists, whose it is and whether it was ever published: read in the writer's transaction. */
    async achievementFacts(tx: Db, ids: readonly string[]): Promise<Map<string, AchievementFacts>> {
      const queryable = queryableIds(ids);
      if (queryable.length === 0) return new Map();
      const rows = await tx
        .select({
          id: achievements.id,
          issuerId: achievements.issuerId,
          published: sql<boolean>`bool_or(${achievementVersions.publishedAt} is not null)`,
        })
        .from(achievements)
        .innerJoin(achievementVersions, eq(achievementVersions.achievementId, achievements.id))
        .where(inArray(achievements.id, queryable))
        .groupBy(achievements.id, achievements.issuerId);
      return new Map(rows.map((row) => [row.id, { issuerId: row.issuerId, published: Boolean(row.published) }]));
    },

    /** Every published pathway but one, as award → required achievements, for the cycle check. */
    async publishedEdges(tx: Db, exceptPathwayId: string): Promise<PathwayEdge[]> {
      const rows = await tx
        .select({ pathwayId: pathwayVersions.pathwayId, awardAchievementId: pathwayVersions.awardAchievementId, keys: sql<string[]>`array_agg(${pathwayLeafKeys.key})` })
        .from(pathwayVersions)
        .innerJoin(pathwayLeafKeys, and(eq(pathwayLeafKeys.pathwayId, pathwayVersions.pathwayId), eq(pathwayLeafKeys.version, pathwayVersions.version)))
        .where(and(eq(pathwayVersions.status, 'PUBLISHED'), ne(pathwayVersions.pathwayId, exceptPathwayId)))
        .groupBy(pathwayVersions.pathwayId, pathwayVersions.version, pathwayVersions.awardAchievementId);
      return rows.map((row) => ({
        pathwayId: row.pathwayId,
        awardAchievementId: row.awardAchievementId,
        requiredAchievementIds: row.keys.filter((key) => key.startsWith('A|')).map((key) => key.slice(2)),
      }));
    },

    /** The pathway row, locked until the transaction ends: lifecycle changes to one pathway take turns. */
    async lockPathway(tx: Db, id: string): Promise<PathwayRow | null> {
      if (!isUuid(id)) return null;
      const [row] = await tx.select().from(pathways).where(eq(pathways.id, id)).for('update');
      return row ?? null;
    },

    async insertPathway(tx: Db, row: typeof pathways.$inferInsert): Promise<void> {
      await tx.insert(pathways).values(row);
    },

    async updatePathway(tx: Db, id: string, changes: Partial<Pick<PathwayRow, 'status' | 'currentVersion' | 'latestVersion' | 'publishedVersion' | 'draftVersion'>>) {
      await tx.update(pathways).set({ ...changes, updatedAt: sql`now()` }).where(eq(pathways.id, id));
    },

    /** Writes a DRAFT version (new, or replacing the draft); a version no longer a draft is never overwritten. */
    async writeDraft(tx: Db, key: { pathwayId: string; version: number; issuerId: string }, columns: PathwayDefinitionColumns): Promise<PathwayView> {
      const [row] = await tx
        .insert(pathwayVersions)
        .values({ ...key, status: 'DRAFT', ...columns })
        .onConflictDoUpdate({
          target: [pathwayVersions.pathwayId, pathwayVersions.version],
          set: { ...columns, updatedAt: sql`now()` },
          setWhere: eq(pathwayVersions.status, 'DRAFT'),
        })
        .returning();
      if (!row) throw new Error(`pathway ${key.pathwayId} version ${key.version} is not a draft and cannot be written`);
      return view(row);
    },

    async setVersionStatuses(tx: Db, pathwayId: string, changes: readonly { version: number; status: VersionStatus }[], at: Date): Promise<PathwayView[]> {
      const updated: PathwayView[] = [];
      for (const { version, status } of changes) {
        const [row] = await tx
          .update(pathwayVersions)
          .set(versionStatusStamps(status, at))
          .where(and(eq(pathwayVersions.pathwayId, pathwayId), eq(pathwayVersions.version, version)))
          .returning();
        if (row) updated.push(view(row));
      }
      return updated;
    },

    /** The leaf keys of a version being published (see `pathwayLeafKeys`). */
    async writeLeafKeys(tx: Db, pathwayId: string, version: number, keys: readonly string[]): Promise<void> {
      await tx.delete(pathwayLeafKeys).where(and(eq(pathwayLeafKeys.pathwayId, pathwayId), eq(pathwayLeafKeys.version, version)));
      if (keys.length > 0) await tx.insert(pathwayLeafKeys).values([...new Set(keys)].map((key) => ({ pathwayId, version, key })));
    },
  };
}

export type PathwayStore = ReturnType<typeof createPathwayStore>;
