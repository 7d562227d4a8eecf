import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, pgSchema, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { SkillFramework } from '../../../lib/ob/achievement.js';
import type { EuMicroCredentialProfile } from '../../../lib/ob/eu-microcredential.js';
import type { EvidenceRule } from '../../../lib/ob/evidence-rules.js';
import type { AchievementStatus, VersionStatus } from '../domain/lifecycle.js';

export const achievementsSchema = pgSchema('achievements');

/**
 * An achievement: the stable identity credentials point at, and which of its versions is which. The definition
 * itself lives in `achievementVersions`: published versions never change, because credentials embed them.
 */
/**
 * The columns of a versioned thing's identity row (an achievement, a pathway): which of its versions is which
 * (domain/lifecycle.ts). A function, because each table needs column builders of its own.
 */
export function lifecycleColumns() {
  return {
    id: uuid().primaryKey(),
    /** Owned by the issuers subgraph, in another schema: no foreign key, so each subgraph can move alone. */
    issuerId: uuid().notNull(),
    status: text().$type<AchievementStatus>().notNull(),
    /** The version `achievement(id)` shows: the newest published one, or the first draft before any is published. */
    currentVersion: integer().notNull(),
    latestVersion: integer().notNull(),
    /** The version new credentials get; null before the first publication and after archiving. */
    publishedVersion: integer(),
    /** The version being edited; null when there is no unpublished change. */
    draftVersion: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  };
}

export const achievements = achievementsSchema.table(
  'achievements',
  lifecycleColumns(),
  // (issuer, id) serves both the filter and the id order of an issuer's pages.
  (table) => [index().on(table.issuerId, table.id)],
);

/** One version of an achievement's OB 3.0 definition, plus Cairn's issuance rules for it. */
export const achievementVersions = achievementsSchema.table(
  'achievement_versions',
  {
    achievementId: uuid().notNull(),
    version: integer().notNull(),
    /** Copied from the achievement (it never changes), so a version row is enough to authorise a read. */
    issuerId: uuid().notNull(),
    status: text().$type<VersionStatus>().notNull(),
    name: text().notNull(),
    description: text().notNull(),
    /** OB 3.0 Criteria.narrative (Markdown). */
    criteriaNarrative: text(),
    /** OB 3.0 Criteria.id: a page that describes the criteria. */
    criteriaUrl: text(),
    imageUrl: text(),
    imageCaption: text(),
    /** An OB AchievementType or ext:Name. */
    achievementType: text(),
    tags: text().array().notNull().default(sql`'{}'::text[]`),
    /** BCP 47 (OB inLanguage). */
    language: text(),
    creditsAvailable: doublePrecision(),
    estimatedLearningHours: doublePrecision(),
    /** ISO 8601 duration, canonical spelling. */
    validity: text(),
    evidenceRules: jsonb().$type<EvidenceRule[]>().notNull().default([]),
    /** As the issuer set it; null = the default for the achievement type (`competencyBasedByDefault`). */
    competencyBased: boolean(),
    /** The Council Recommendation's micro-credential elements OB lacks; null when the issuer set none. */
    euProfile: jsonb().$type<EuMicroCredentialProfile>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set once, when the version is published; a version with it is public for ever. */
    publishedAt: timestamp({ withTimezone: true }),
    supersededAt: timestamp({ withTimezone: true }),
    archivedAt: timestamp({ withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.achievementId, table.version] })],
);

/** OB 3.0 Alignments of a version, in the issuer's order. */
export const alignments = achievementsSchema.table(
  'alignments',
  {
    achievementId: uuid().notNull(),
    version: integer().notNull(),
    position: integer().notNull(),
    targetName: text().notNull(),
    targetUrl: text().notNull(),
    targetCode: text(),
    targetDescription: text(),
    targetFramework: text(),
    /** An OB AlignmentTargetType or ext:Name. */
    targetType: text(),
  },
  (table) => [primaryKey({ columns: [table.achievementId, table.version, table.position] })],
);

/** OB 3.0 ResultDescriptions of a version, in the issuer's order. */
export const resultDescriptions = achievementsSchema.table(
  'result_descriptions',
  {
    achievementId: uuid().notNull(),
    version: integer().notNull(),
    position: integer().notNull(),
    /** The OB id (a URI), kept across versions so results keep pointing at the same description. */
    resultId: text().notNull(),
    name: text().notNull(),
    /** An OB ResultType or ext:Name. */
    resultType: text().notNull(),
    allowedValues: text().array().notNull().default(sql`'{}'::text[]`),
    requiredValue: text(),
    valueMin: text(),
    valueMax: text(),
  },
  (table) => [primaryKey({ columns: [table.achievementId, table.version, table.position] })],
);

/** A skill from a framework, shared by every issuer's achievements: one row per (framework, code). */
export const skills = achievementsSchema.table(
  'skills',
  {
    id: uuid().primaryKey(),
    framework: text().$type<SkillFramework>().notNull(),
    code: text().notNull(),
    name: text().notNull(),
    url: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [unique().on(table.framework, table.code)],
);

/** Which skills a version of an achievement develops, in the issuer's order. */
export const achievementSkills = achievementsSchema.table(
  'achievement_skills',
  {
    achievementId: uuid().notNull(),
    version: integer().notNull(),
    skillId: uuid().notNull(),
    position: integer().notNull(),
  },
  (table) => [primaryKey({ columns: [table.achievementId, table.version, table.skillId] }), index().on(table.skillId)],
);

export type AchievementRow = typeof achievements.$inferSelect;
export type NewAchievementRow = typeof achievements.$inferInsert;
export type AchievementVersionRow = typeof achievementVersions.$inferSelect;
export type NewAchievementVersionRow = typeof achievementVersions.$inferInsert;
export type AlignmentRow = typeof alignments.$inferSelect;
export type ResultDescriptionRow = typeof resultDescriptions.$inferSelect;
export type SkillRow = typeof skills.$inferSelect;
export type NewSkillRow = typeof skills.$inferInsert;

/** What the GraphQL `Achievement` resolves from: one version, with `id` = the achievement's id. */
export type AchievementView = AchievementVersionRow & { id: string };

/** One version of one achievement: how children (alignments, skills, results) and versions are looked up. */
export interface VersionKey {
  achievementId: string;
  version: number;
}

/** How one version's definition is stored: the version row's own columns, and its child rows in the issuer's order. */
export interface DefinitionRows {
  columns: Omit<NewAchievementVersionRow, 'achievementId' | 'version' | 'issuerId' | 'status'>;
  alignments: Omit<AlignmentRow, 'achievementId' | 'version'>[];
  resultDescriptions: Omit<ResultDescriptionRow, 'achievementId' | 'version'>[];
  /** Shared skills, found or added by (framework, code). */
  skills: Omit<NewSkillRow, 'id' | 'createdAt'>[];
}

/** A version's child rows, as read back. */
export interface DefinitionChildren {
  alignments: readonly AlignmentRow[];
  resultDescriptions: readonly ResultDescriptionRow[];
  skills: readonly SkillRow[];
}
