import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, integer, jsonb, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { VersionStatus } from '../domain/lifecycle.js';
import type { AwardStanding, RevocationPolicy } from '../domain/pathway-awards.js';
import type { AcceptExternal, HoldingStatus, PathwayProgress } from '../domain/pathway-progress.js';
import type { RequirementNode } from '../domain/pathway-requirement.js';
import { achievementsSchema, lifecycleColumns } from './tables.js';

/** A pathway: its stable identity and which version is which (the same lifecycle as an achievement's). */
export const pathways = achievementsSchema.table('pathways', lifecycleColumns(), (table) => [index().on(table.issuerId, table.id)]);

/** One version of a pathway's definition; a published version never changes (awards and progress name it). */
export const pathwayVersions = achievementsSchema.table(
  'pathway_versions',
  {
    pathwayId: uuid().notNull(),
    version: integer().notNull(),
    issuerId: uuid().notNull(),
    status: text().$type<VersionStatus>().notNull(),
    name: text().notNull(),
    description: text().notNull(),
    imageUrl: text(),
    /** The normalised tree (domain/pathway-requirement.ts), node ids included. */
    requirement: jsonb().$type<RequirementNode>().notNull(),
    awardAchievementId: uuid().notNull(),
    acceptExternal: jsonb().$type<AcceptExternal>().notNull(),
    revocationPolicy: text().$type<RevocationPolicy>().notNull(),
    /** All earned within this many months; null = no window. */
    windowMonths: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp({ withTimezone: true }),
    supersededAt: timestamp({ withTimezone: true }),
    archivedAt: timestamp({ withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.pathwayId, table.version] })],
);

/**
 * What each published version's leaves match (`A|<achievement id>`, `U|<Achievement.id URL>`, `S|<framework>|<code>`):
 * an event about one credential finds the pathways it can move with one indexed lookup, never a scan of all pathways.
 */
export const pathwayLeafKeys = achievementsSchema.table(
  'pathway_leaf_keys',
  {
    pathwayId: uuid().notNull(),
    version: integer().notNull(),
    key: text().notNull(),
  },
  (table) => [primaryKey({ columns: [table.pathwayId, table.version, table.key] }), index().on(table.key)],
);

/**
 * The achievements subgraph's own copy of what recipients hold, as far as pathways care, projected from
 * CredentialIssued/Delivered/Imported and the status events: progress never reads another subgraph's tables.
 */
export const heldCredentials = achievementsSchema.table(
  'held_credentials',
  {
    credentialId: uuid().primaryKey(),
    /** Null for a credential this hub issued that is not delivered yet: it counts from its delivery. */
    recipientId: uuid(),
    /** This hub's issuer, for a credential this hub issued. */
    issuerId: uuid(),
    /** The issuer as the document names it (DID or URL). */
    issuerRef: text(),
    local: boolean().notNull(),
    achievementId: uuid(),
    achievementUrl: text(),
    skills: text().array().notNull().default(sql`'{}'::text[]`),
    results: doublePrecision().array().notNull().default(sql`'{}'::float8[]`),
    earnedAt: timestamp({ withTimezone: true }).notNull(),
    validUntil: timestamp({ withTimezone: true }),
    status: text().$type<HoldingStatus>().notNull(),
    /** When the expiry sweep re-evaluated the holder's pathways after `validUntil` passed (null: not yet, or no expiry). */
    expiryAppliedAt: timestamp({ withTimezone: true }),
    /** For imports: the wallet's verification said it verifies. This hub's own credentials are true. */
    verified: boolean().notNull(),
    /** For imports: the verifier knew and trusted the issuer. */
    trusted: boolean().notNull().default(false),
    /** The identity the issuer named, for this hub's credentials: where an award can be issued to. */
    recipientIdentity: jsonb().$type<{ type: string; value: string }>(),
    /** The signed document as the event carried it: an award's CLR bundles the member credentials whole. */
    document: jsonb().$type<Record<string, unknown>>(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.recipientId), index('held_credentials_expiry_pending').on(table.validUntil).where(sql`${table.expiryAppliedAt} is null`)],
);

/** A recipient's progress on one published pathway version, recomputed whenever one of their credentials moves. */
export const pathwayProgress = achievementsSchema.table(
  'pathway_progress',
  {
    recipientId: uuid().notNull(),
    pathwayId: uuid().notNull(),
    version: integer().notNull(),
    percent: integer().notNull(),
    satisfied: boolean().notNull(),
    completedAt: timestamp({ withTimezone: true }),
    /** "Started": when the first credential of theirs that belongs to it was earned (PathwayStarted says the same). */
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Which element of the top SEQUENCE they are on, or how many top-level groups are done: the drop-off statistic. */
    step: integer(),
    detail: jsonb().$type<PathwayProgress>().notNull(),
    /**
     * PathwayStarted was appended for this row. Set in the statement that decides to append it, so it is appended
     * once however many writers race; false for rows written before that event existed, which the start
     * announcer (services/pathway-jobs.ts) announces.
     */
    startAnnounced: boolean().notNull().default(false),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.recipientId, table.pathwayId, table.version] }),
    index().on(table.pathwayId, table.version),
    index('pathway_progress_start_unannounced').on(table.recipientId).where(sql`not ${table.startAnnounced}`),
  ],
);

/**
 * The back-fill of a published version: every recipient who already held one of its member credentials gets their
 * progress. Written in the publish transaction; the back-fill worker takes holders in recipient-id order, a chunk per
 * transaction, and `afterRecipientId` (the checkpoint) commits with the chunk, so a crash resumes after the last chunk.
 */
export const pathwayBackfills = achievementsSchema.table(
  'pathway_backfills',
  {
    pathwayId: uuid().notNull(),
    version: integer().notNull(),
    state: text().$type<'PENDING' | 'DONE'>().notNull().default('PENDING'),
    afterRecipientId: uuid(),
    holdersProcessed: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.pathwayId, table.version] }), index('pathway_backfills_pending').on(table.createdAt).where(sql`${table.state} = 'PENDING'`)],
);

/**
 * Awards made (node `r`: the pathway's award; another node: a milestone). The primary key is the idempotency key of
 * the award: pathway version + recipient (+ node), so a replayed or concurrent completion appends no second event.
 */
export const pathwayAwards = achievementsSchema.table(
  'pathway_awards',
  {
    pathwayId: uuid().notNull(),
    version: integer().notNull(),
    recipientId: uuid().notNull(),
    nodeId: text().notNull(),
    achievementId: uuid().notNull(),
    standing: text().$type<AwardStanding>().notNull(),
    credentialIds: uuid().array().notNull(),
    awardedAt: timestamp({ withTimezone: true }).notNull(),
    changedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.pathwayId, table.version, table.recipientId, table.nodeId] }), index().on(table.recipientId)],
);

/** Recipients following a pathway (themselves, or enrolled by the issuer with a cohort). */
export const pathwayFollowers = achievementsSchema.table(
  'pathway_followers',
  {
    pathwayId: uuid().notNull(),
    recipientId: uuid().notNull(),
    /** RECIPIENT (followed it) or ISSUER (enrolled). */
    enrolledBy: text().$type<'RECIPIENT' | 'ISSUER'>().notNull(),
    followedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.pathwayId, table.recipientId] }), index().on(table.recipientId)],
);

export type PathwayRow = typeof pathways.$inferSelect;
export type PathwayVersionRow = typeof pathwayVersions.$inferSelect;
export type NewPathwayVersionRow = typeof pathwayVersions.$inferInsert;
export type HeldCredentialRow = typeof heldCredentials.$inferSelect;
export type NewHeldCredentialRow = typeof heldCredentials.$inferInsert;
export type PathwayProgressRow = typeof pathwayProgress.$inferSelect;
/** A progress row with the awards made on it (pathway and milestones), read as one snapshot. */
export type PathwayProgressWithAwards = PathwayProgressRow & { awards: PathwayAwardRow[] };
export type PathwayAwardRow = typeof pathwayAwards.$inferSelect;

/** What the GraphQL `Pathway` resolves from: one version, with `id` = the pathway's id. */
export type PathwayView = PathwayVersionRow & { id: string };

/** The definition part of a version: what create and update write. */
export type PathwayDefinitionColumns = Pick<
  NewPathwayVersionRow,
  'name' | 'description' | 'imageUrl' | 'requirement' | 'awardAchievementId' | 'acceptExternal' | 'revocationPolicy' | 'windowMonths'
>;
export type PathwayBackfillRow = typeof pathwayBackfills.$inferSelect;
