import DataLoader from 'dataloader';
import { createByIdLoader, createGroupedLoader } from '../../lib/graphql/loaders.js';
import { createPagedByParentLoader, type ParentPageKey } from '../../lib/graphql/paged-loader.js';
import type { Page } from '../../lib/graphql/pagination.js';
import type { AchievementStore, VersionSkillRow } from './db/store.js';
import type { PathwayStore } from './db/pathway-store.js';
import type { ProgressStore } from './db/progress-store.js';
import type { AchievementListFilter } from './domain/visibility.js';
import type { AchievementView, AlignmentRow, ResultDescriptionRow, VersionKey } from './db/tables.js';

const versionCacheKey = (key: VersionKey) => `${key.achievementId.toLowerCase()}#${key.version}`;

/** A loader of each version's children: one store call per batch, each key's rows in the store's order. */
function childrenByVersion<Row extends VersionKey>(load: (keys: readonly VersionKey[]) => Promise<Row[]>) {
  return new DataLoader<VersionKey, Row[], string>(
    async (keys) => {
      const byVersion = new Map<string, Row[]>();
      for (const row of await load(keys)) {
        const list = byVersion.get(versionCacheKey(row)) ?? [];
        list.push(row);
        byVersion.set(versionCacheKey(row), list);
      }
      return keys.map((key) => byVersion.get(versionCacheKey(key)) ?? []);
    },
    { cacheKeyFn: versionCacheKey },
  );
}

/** Per-request loaders: every entity reference and list-by-parent lookup in this subgraph goes through one. */
export function createAchievementLoaders(store: AchievementStore) {
  const pageLoaders = new Map<string, DataLoader<ParentPageKey, Page<AchievementView>, string>>();

  return {
    /** Each achievement at its current version. */
    achievementById: createByIdLoader((ids) => store.findCurrentByIds(ids), (row) => row.id),

    achievementVersion: new DataLoader<VersionKey, AchievementView | null, string>(
      async (keys) => {
        const byKey = new Map((await store.findVersions(keys)).map((row) => [versionCacheKey(row), row]));
        return keys.map((key) => byKey.get(versionCacheKey(key)) ?? null);
      },
      { cacheKeyFn: versionCacheKey },
    ),

    /** Every version of each achievement, oldest first. */
    versionsByAchievementId: createGroupedLoader((ids) => store.versionsOf(ids), (row) => row.id),

    alignmentsByVersion: childrenByVersion<AlignmentRow>((keys) => store.alignmentsOf(keys)),
    resultDescriptionsByVersion: childrenByVersion<ResultDescriptionRow>((keys) => store.resultDescriptionsOf(keys)),
    skillsByVersion: childrenByVersion<VersionSkillRow>((keys) => store.skillsOf(keys)),

    skillById: createByIdLoader((ids) => store.findSkillsByIds(ids), (row) => row.id),

    /**
     * Pages of each issuer's achievements under one filter. What a viewer may see differs per issuer (members see
     * drafts), so each distinct filter gets its own batching loader; a gateway batch costs one call per filter.
     */
    achievementsByIssuerId(filter: AchievementListFilter) {
      const key = `${[...filter.statuses].sort().join(',')}|${filter.publishedOnly}`;
      let loader = pageLoaders.get(key);
      if (!loader) {
        loader = createPagedByParentLoader((issuerIds, request) => store.pagesByIssuer(issuerIds, request, filter));
        pageLoaders.set(key, loader);
      }
      return loader;
    },
  };
}

export type AchievementLoaders = ReturnType<typeof createAchievementLoaders>;

/** Per-request loaders of pathways and of recipients' progress on them. */
export function createPathwayLoaders(pathways: PathwayStore, progress: ProgressStore) {
  return {
    /** Each pathway at its current version. */
    pathwayById: createByIdLoader((ids) => pathways.findCurrentByIds(ids), (row) => row.id),
    /** Every version of each pathway, oldest first. */
    versionsByPathwayId: createGroupedLoader((ids) => pathways.versionsOf(ids), (row) => row.id),
    /** Each issuer's pathways, at their current versions; drafts included (the resolver filters what the viewer may see). */
    pathwaysByIssuerId: createGroupedLoader((ids) => pathways.listByIssuers(ids, false), (row) => row.issuerId),
    /** The published pathways naming each achievement as a leaf: what it stacks into. */
    publishedPathwaysByAchievementId: createGroupedLoader((ids) => pathways.publishedNaming(ids), (row) => row.namedAchievementId),
    /** Each recipient's progress rows, each with its awards (one snapshot). */
    progressByRecipientId: createGroupedLoader((ids) => progress.progressForRecipients(ids), (row) => row.recipientId),
  };
}

export type PathwayLoaders = ReturnType<typeof createPathwayLoaders>;
