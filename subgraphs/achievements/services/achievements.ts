import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { NotFoundError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/log.js';
import { achievementPublishedEvent, achievementPublishedPayload } from '../../../lib/events/contracts/achievement-published.js';
import { definitionFromRows, definitionToRows, publishedDefinition } from '../db/definition-rows.js';
import type { AchievementStore } from '../db/store.js';
import type { AchievementRow, AchievementView, VersionKey } from '../db/tables.js';
import {
  applyAchievementChanges,
  normaliseAchievementDefinition,
  type AchievementDefinitionInput,
  type AchievementFieldsInput,
} from '../domain/achievement-definition.js';
import { FIRST_VERSION, assertPublishable, planArchive, planPublish, planUpdate } from '../domain/lifecycle.js';
import { assertProfileComplete, type AchievementProfile } from '../domain/eu-profile.js';
import { learningHoursWarnings, sharedSkillWarnings, type AchievementWarning } from '../domain/warnings.js';
import type { AchievementLoaders } from '../loaders.js';
import { achievementArchivedEvent } from '../../../lib/events/contracts/achievement-archived.js';
import { achievementCreatedEvent } from '../../../lib/events/contracts/achievement-created.js';

export interface AchievementsServiceDeps {
  db: Db;
  store: AchievementStore;
  /** The request's loaders: a write clears what they read before it. */
  loaders: AchievementLoaders;
  /** Where the hub is reachable from outside: published achievements' OB ids live under it. */
  publicBaseUrl: string;
  log: Logger;
}

/** What every lifecycle mutation answers: the version it wrote, and warnings that never stop the write. */
export interface AchievementWrite {
  achievement: AchievementView;
  warnings: AchievementWarning[];
}

/** The events of the achievement lifecycle, each payload built here and nowhere else. */
const events = {
  created: (achievementId: string, issuerId: string, name: string): NewEvent => achievementCreatedEvent.build({ achievementId, issuerId, name }),
  // The issuers subgraph stops issuing from this achievement when it sees this.
  archived: (achievementId: string, issuerId: string, versions: readonly AchievementView[]): NewEvent =>
    achievementArchivedEvent.build({ achievementId, issuerId, versions: versions.map((version) => version.version) }),
};

/**
 * The achievement lifecycle (create, update, publish, archive): each write, its version statuses and its event
 * commit in one transaction, and the request's loaders forget what the write changed.
 */
export function createAchievementsService(deps: AchievementsServiceDeps) {
  const { db, store, loaders, log } = deps;

  /** The issuer an existing achievement belongs to, once the viewer is allowed to change it (ISSUER role). */
  async function authorisedIssuerOf(viewer: Viewer, id: string): Promise<string> {
    const existing = await loaders.achievementById.load(id);
    if (!existing) throw new NotFoundError('Achievement', id);
    assertIssuerAccess(viewer, existing.issuerId, 'ISSUER');
    return existing.issuerId;
  }

  async function lockExisting(tx: Db, id: string): Promise<AchievementRow> {
    const row = await store.lockAchievement(tx, id);
    if (!row) throw new NotFoundError('Achievement', id);
    return row;
  }

  /** After a write, this request's loaders must not answer from what they read before it. */
  function forget(key: VersionKey): void {
    loaders.achievementById.clear(key.achievementId);
    loaders.versionsByAchievementId.clear(key.achievementId);
    loaders.achievementVersion.clear(key);
    loaders.alignmentsByVersion.clear(key);
    loaders.resultDescriptionsByVersion.clear(key);
    loaders.skillsByVersion.clear(key);
  }

  return {
    /** Version 1, a DRAFT (operators, or the issuer's members with the ISSUER role). */
    async createAchievement(viewer: Viewer, input: AchievementDefinitionInput): Promise<AchievementWrite> {
      // Before validation, so a caller who may not write here learns nothing from the error.
      assertIssuerAccess(viewer, input.issuerId, 'ISSUER');
      const { issuerId, definition } = normaliseAchievementDefinition(input);
      const achievementId = newId();
      const written = await db.transaction(async (tx) => {
        await store.insertAchievement(tx, { id: achievementId, issuerId, ...FIRST_VERSION });
        const draft = await store.writeDraft(tx, { achievementId, version: 1, issuerId }, definitionToRows(definition));
        await appendEvents(tx, [events.created(achievementId, issuerId, definition.name)]);
        return draft;
      });
      loaders.achievementById.prime(achievementId, written.view);
      log.info({ achievementId, issuerId }, 'achievement created');
      return {
        achievement: written.view,
        warnings: [...learningHoursWarnings(definition.estimatedLearningHours), ...sharedSkillWarnings(definition.skills, written.skills)],
      };
    },

    /** Changes the draft; a published achievement gets a new draft version n+1 while version n stays issuable. */
    async updateAchievement(viewer: Viewer, id: string, changes: AchievementFieldsInput): Promise<AchievementWrite> {
      const issuerId = await authorisedIssuerOf(viewer, id);
      const { written, definition, plan } = await db.transaction(async (tx) => {
        const plan = planUpdate(await lockExisting(tx, id));
        const base = (await store.readVersion(tx, { achievementId: id, version: plan.baseVersion }))!;
        const definition = applyAchievementChanges(definitionFromRows(base.row, base.children), changes);
        const written = await store.writeDraft(tx, { achievementId: id, version: plan.version, issuerId }, definitionToRows(definition));
        await store.updateAchievement(tx, id, plan.next);
        return { written, definition, plan };
      });
      forget({ achievementId: id, version: plan.version });
      log.info({ achievementId: id, issuerId, version: plan.version, newVersion: plan.createsVersion }, 'achievement draft updated');
      return {
        achievement: written.view,
        warnings: [...learningHoursWarnings(definition.estimatedLearningHours), ...sharedSkillWarnings(definition.skills, written.skills)],
      };
    },

    /**
     * Publishes the draft; AchievementPublished carries everything issuance needs, in the same transaction. Under a
     * profile (EU_MICROCREDENTIAL) a draft that lacks one of the profile's mandatory elements is refused.
     */
    async publishAchievement(viewer: Viewer, id: string, profile: AchievementProfile | null = null): Promise<AchievementWrite> {
      const issuerId = await authorisedIssuerOf(viewer, id);
      const { published, definition } = await db.transaction(async (tx) => {
        const plan = planPublish(await lockExisting(tx, id));
        const draft = (await store.readVersion(tx, { achievementId: id, version: plan.version }))!;
        const draftDefinition = definitionFromRows(draft.row, draft.children);
        assertPublishable(draftDefinition);
        assertProfileComplete(draftDefinition, profile);
        const updated = await store.setVersionStatuses(tx, id, plan.versions, new Date());
        await store.updateAchievement(tx, id, plan.next);
        const definition = publishedDefinition(draft.row, draft.children);
        await appendEvents(tx, [achievementPublishedEvent.build(achievementPublishedPayload({ achievementId: id, issuerId, definition, publicBaseUrl: deps.publicBaseUrl }))]);
        return { published: updated[updated.length - 1]!, definition };
      });
      forget({ achievementId: id, version: published.version });
      log.info({ achievementId: id, issuerId, version: published.version }, 'achievement published');
      return { achievement: published, warnings: learningHoursWarnings(definition.estimatedLearningHours) };
    },

    /** Stops new issuance; archiving twice changes nothing and emits nothing. */
    async archiveAchievement(viewer: Viewer, id: string): Promise<AchievementWrite> {
      const issuerId = await authorisedIssuerOf(viewer, id);
      const archived = await db.transaction(async (tx) => {
        const plan = planArchive(await lockExisting(tx, id));
        if (!plan) return [];
        const updated = await store.setVersionStatuses(tx, id, plan.versions, new Date());
        await store.updateAchievement(tx, id, plan.next);
        await appendEvents(tx, [events.archived(id, issuerId, updated)]);
        return updated;
      });
      for (const version of archived) forget(version);
      loaders.achievementById.clear(id);
      if (archived.length > 0) log.info({ achievementId: id, issuerId }, 'achievement archived');
      return { achievement: (await loaders.achievementById.load(id))!, warnings: [] };
    },
  };
}

export type AchievementsService = ReturnType<typeof createAchievementsService>;
