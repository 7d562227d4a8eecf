import { and, asc, count, eq, getTableColumns, gt, ilike, inArray, isNotNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../../lib/db/client.js';
import { pageOf } from '../../../lib/db/paging.js';
import type { Page, PageRequest } from '../../../lib/graphql/pagination.js';
import { isUuid, newId, queryableIds } from '../../../lib/ids.js';
import type { SkillFramework } from '../../../lib/ob/achievement.js';
import {
  achievementSkills,
  achievements,
  achievementVersions,
  alignments,
  resultDescriptions,
  skills,
  type AchievementRow,
  type AchievementVersionRow,
  type AchievementView,
  type AlignmentRow,
  type DefinitionChildren,
  type DefinitionRows,
  type NewAchievementRow,
  type ResultDescriptionRow,
  type SkillRow,
  type VersionKey,
} from './tables.js';
import type { VersionStatus } from '../domain/lifecycle.js';
import { versionStatusStamps } from './version-stamps.js';
import type { AchievementListFilter } from '../domain/visibility.js';

/** A skill of a version, with the key of the version it belongs to. */
export type VersionSkillRow = SkillRow & VersionKey;

/** A version row as the GraphQL `Achievement` reads it: `id` is the achievement's id. */
const view = (row: AchievementVersionRow): AchievementView => ({ ...row, id: row.achievementId });

/** The join from an achievement to the version `achievement(id)` shows. */
const currentVersionOf = and(eq(achievementVersions.achievementId, achievements.id), eq(achievementVersions.version, achievements.currentVersion));

/** Keys that can exist (a UUID and a positive int4), deduplicated: one bad key must not fail a whole batch. */
function queryableKeys(keys: readonly VersionKey[]): VersionKey[] {
  const unique = new Map<string, VersionKey>();
  for (const { achievementId, version } of keys) {
    if (!isUuid(achievementId) || !Number.isInteger(version) || version < 1 || version > 2_147_483_647) continue;
    const key = { achievementId: achievementId.toLowerCase(), version };
    unique.set(`${key.achievementId}#${version}`, key);
  }
  return [...unique.values()];
}

/** `(achievement_id, version) in ((…), (…))`: one statement for a batch of versions. */
function versionKeyIn(columns: { achievementId: PgColumn; version: PgColumn }, keys: readonly VersionKey[]): SQL {
  const tuples = keys.map((key) => sql`(${key.achievementId}::uuid, ${key.version}::integer)`);
  return sql`(${columns.achievementId}, ${columns.version}) in (${sql.join(tuples, sql`, `)})`;
}

async function selectVersions(conn: Db, keys: readonly VersionKey[]): Promise<AchievementView[]> {
  const queryable = queryableKeys(keys);
  if (queryable.length === 0) return [];
  return (await conn.select().from(achievementVersions).where(versionKeyIn(achievementVersions, queryable))).map(view);
}

function selectAlignments(conn: Db, keys: readonly VersionKey[]): Promise<AlignmentRow[]> {
  return conn.select().from(alignments).where(versionKeyIn(alignments, keys)).orderBy(asc(alignments.position));
}

function selectResultDescriptions(conn: Db, keys: readonly VersionKey[]): Promise<ResultDescriptionRow[]> {
  return conn.select().from(resultDescriptions).where(versionKeyIn(resultDescriptions, keys)).orderBy(asc(resultDescriptions.position));
}

function selectSkills(conn: Db, keys: readonly VersionKey[]): Promise<VersionSkillRow[]> {
  return conn
    .select({ ...getTableColumns(skills), achievementId: achievementSkills.achievementId, version: achievementSkills.version })
    .from(achievementSkills)
    .innerJoin(skills, eq(skills.id, achievementSkills.skillId))
    .where(versionKeyIn(achievementSkills, keys))
    .orderBy(asc(achievementSkills.position));
}

/** Runs a children query for the keys that can exist, or answers [] without a statement when none can. */
async function ofVersions<T>(conn: Db, keys: readonly VersionKey[], select: (conn: Db, keys: VersionKey[]) => Promise<T[]>): Promise<T[]> {
  const queryable = queryableKeys(keys);
  return queryable.length === 0 ? [] : select(conn, queryable);
}


/** The only place the achievements subgraph talks SQL. Writes take the caller's transaction. */
export function createAchievementStore(db: Db) {
  return {
    /** Each achievement at its current version (see `achievements.currentVersion`). */
    async findCurrentByIds(ids: readonly string[]): Promise<AchievementView[]> {
      const queryable = queryableIds(ids);
      if (queryable.length === 0) return [];
      const rows = await db
        .select(getTableColumns(achievementVersions))
        .from(achievementVersions)
        .innerJoin(achievements, currentVersionOf)
        .where(inArray(achievements.id, queryable));
      return rows.map(view);
    },

    findVersions(keys: readonly VersionKey[]): Promise<AchievementView[]> {
      return selectVersions(db, keys);
    },

    /** Every version of each achievement, oldest first. */
    async versionsOf(achievementIds: readonly string[]): Promise<AchievementView[]> {
      const queryable = queryableIds(achievementIds);
      if (queryable.length === 0) return [];
      const rows = await db
        .select()
        .from(achievementVersions)
        .where(inArray(achievementVersions.achievementId, queryable))
        .orderBy(asc(achievementVersions.achievementId), asc(achievementVersions.version));
      return rows.map(view);
    },

    alignmentsOf(keys: readonly VersionKey[]): Promise<AlignmentRow[]> {
      return ofVersions(db, keys, selectAlignments);
    },

    resultDescriptionsOf(keys: readonly VersionKey[]): Promise<ResultDescriptionRow[]> {
      return ofVersions(db, keys, selectResultDescriptions);
    },

    skillsOf(keys: readonly VersionKey[]): Promise<VersionSkillRow[]> {
      return ofVersions(db, keys, selectSkills);
    },

    /**
     * The same page of achievements (at their current versions) for each issuer, filtered, in two statements
     * however many issuers there are: a window function cuts each issuer's rows at the page size.
     */
    async pagesByIssuer(issuerIds: readonly string[], request: PageRequest, filter: AchievementListFilter): Promise<Map<string, Page<AchievementView>>> {
      const pages = new Map<string, Page<AchievementView>>(issuerIds.map((issuerId) => [issuerId.toLowerCase(), { rows: [], totalCount: 0 }]));
      const ids = queryableIds(issuerIds);
      if (ids.length === 0 || filter.statuses.length === 0) return pages;
      const where = and(
        inArray(achievements.issuerId, ids),
        inArray(achievements.status, filter.statuses),
        filter.publishedOnly ? isNotNull(achievementVersions.publishedAt) : undefined,
      );
      const ranked = db
        .select({
          ...getTableColumns(achievementVersions),
          rank: sql<number>`row_number() over (partition by ${achievements.issuerId} order by ${achievements.id})`.as('rank'),
        })
        .from(achievements)
        .innerJoin(achievementVersions, currentVersionOf)
        .where(and(where, request.afterId ? gt(achievements.id, request.afterId) : undefined))
        .as('ranked');
      const rows = await db.select().from(ranked).where(lte(ranked.rank, request.limit)).orderBy(asc(ranked.rank));
      const totals = await db
        .select({ issuerId: achievements.issuerId, value: count() })
        .from(achievements)
        .innerJoin(achievementVersions, currentVersionOf)
        .where(where)
        .groupBy(achievements.issuerId);
      for (const total of totals) pages.get(total.issuerId)!.totalCount = total.value;
      // Rows arrive in rank order, so each issuer's rows are already in id order.
      for (const { rank: _rank, ...row } of rows) pages.get(row.issuerId)?.rows.push(view(row));
      return pages;
    },

    async findSkillsByIds(ids: readonly string[]): Promise<SkillRow[]> {
      const queryable = queryableIds(ids);
      if (queryable.length === 0) return [];
      return db.select().from(skills).where(inArray(skills.id, queryable));
    },

    /** Skills of every framework or one, optionally those whose name or code contains `search` (any case). */
    pageSkills(request: PageRequest, options: { framework?: SkillFramework | null; search?: string | null }): Promise<Page<SkillRow>> {
      const search = options.search?.trim();
      const pattern = search ? `%${search.replace(/[\\%_]/g, '\\$&')}%` : null;
      const filter = and(
        options.framework ? eq(skills.framework, options.framework) : undefined,
        pattern ? or(ilike(skills.name, pattern), ilike(skills.code, pattern)) : undefined,
      );
      return pageOf(db, { table: skills, id: skills.id }, request, filter);
    },

    /** The achievement row, locked until the transaction ends: lifecycle changes to one achievement take turns. */
    async lockAchievement(tx: Db, id: string): Promise<AchievementRow | null> {
      if (!isUuid(id)) return null;
      const [row] = await tx.select().from(achievements).where(eq(achievements.id, id)).for('update');
      return row ?? null;
    },

    async insertAchievement(tx: Db, row: NewAchievementRow): Promise<AchievementRow> {
      const [inserted] = await tx.insert(achievements).values(row).returning();
      return inserted!;
    },

    async updateAchievement(tx: Db, id: string, changes: Partial<Pick<AchievementRow, 'status' | 'currentVersion' | 'latestVersion' | 'publishedVersion' | 'draftVersion'>>) {
      await tx.update(achievements).set({ ...changes, updatedAt: sql`now()` }).where(eq(achievements.id, id));
    },

    /**
     * Writes a DRAFT version (new, or replacing the draft's content) with its children. A version that is no
     * longer a draft is never overwritten, whatever the caller planned: credentials embed published versions.
     */
    async writeDraft(tx: Db, key: VersionKey & { issuerId: string }, rows: DefinitionRows): Promise<{ view: AchievementView; skills: SkillRow[] }> {
      const storedSkills = await upsertSkills(tx, rows.skills);
      const [row] = await tx
        .insert(achievementVersions)
        .values({ ...key, status: 'DRAFT', ...rows.columns })
        .onConflictDoUpdate({
          target: [achievementVersions.achievementId, achievementVersions.version],
          set: { ...rows.columns, updatedAt: sql`now()` },
          setWhere: eq(achievementVersions.status, 'DRAFT'),
        })
        .returning();
      if (!row) throw new Error(`achievement ${key.achievementId} version ${key.version} is not a draft and cannot be written`);
      const ofThisVersion = (table: { achievementId: PgColumn; version: PgColumn }) => versionKeyIn(table, [key]);
      await tx.delete(alignments).where(ofThisVersion(alignments));
      await tx.delete(resultDescriptions).where(ofThisVersion(resultDescriptions));
      await tx.delete(achievementSkills).where(ofThisVersion(achievementSkills));
      const version = { achievementId: key.achievementId, version: key.version };
      if (rows.alignments.length > 0) await tx.insert(alignments).values(rows.alignments.map((alignment) => ({ ...version, ...alignment })));
      if (rows.resultDescriptions.length > 0) {
        await tx.insert(resultDescriptions).values(rows.resultDescriptions.map((result) => ({ ...version, ...result })));
      }
      if (storedSkills.length > 0) {
        await tx.insert(achievementSkills).values(storedSkills.map((skill, position) => ({ ...version, skillId: skill.id, position })));
      }
      return { view: view(row), skills: storedSkills };
    },

    /** Sets version statuses, stamping when each was published, superseded or archived. */
    async setVersionStatuses(tx: Db, achievementId: string, changes: readonly { version: number; status: VersionStatus }[], at: Date): Promise<AchievementView[]> {
      const updated: AchievementView[] = [];
      for (const { version, status } of changes) {
        const [row] = await tx
          .update(achievementVersions)
          .set(versionStatusStamps(status, at))
          .where(and(eq(achievementVersions.achievementId, achievementId), eq(achievementVersions.version, version)))
          .returning();
        if (row) updated.push(view(row));
      }
      return updated;
    },

    /** One version and its children, read inside the caller's transaction (to copy or publish it). */
    async readVersion(tx: Db, key: VersionKey): Promise<{ row: AchievementView; children: DefinitionChildren } | null> {
      const [row] = await selectVersions(tx, [key]);
      if (!row) return null;
      const [alignmentRows, resultRows, skillRows] = await Promise.all([
        ofVersions(tx, [key], selectAlignments),
        ofVersions(tx, [key], selectResultDescriptions),
        ofVersions(tx, [key], selectSkills),
      ]);
      return { row, children: { alignments: alignmentRows, resultDescriptions: resultRows, skills: skillRows } };
    },
  };
}

/**
 * Finds or adds each skill by (framework, code), in the order given. A skill that exists keeps its name and URL:
 * skills are shared by every issuer, and one issuer must not rename another's.
 */
async function upsertSkills(tx: Db, wanted: DefinitionRows['skills']): Promise<SkillRow[]> {
  if (wanted.length === 0) return [];
  await tx
    .insert(skills)
    .values(wanted.map((skill) => ({ id: newId(), ...skill })))
    .onConflictDoNothing({ target: [skills.framework, skills.code] });
  const rows = await tx
    .select()
    .from(skills)
    .where(or(...wanted.map((skill) => and(eq(skills.framework, skill.framework), eq(skills.code, skill.code)))));
  const byKey = new Map(rows.map((row) => [`${row.framework}|${row.code}`, row]));
  return wanted.map((skill) => byKey.get(`${skill.framework}|${skill.code}`)!);
}

export type AchievementStore = ReturnType<typeof createAchievementStore>;
