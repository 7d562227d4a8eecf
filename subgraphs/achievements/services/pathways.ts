import { assertAuthenticated, assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { AppError, NotFoundError, UnauthorizedError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/log.js';
import type { PathwayStore } from '../db/pathway-store.js';
import type { ProgressStore } from '../db/progress-store.js';
import type { PathwayJobStore } from '../db/pathway-job-store.js';
import type { PathwayRow, PathwayView } from '../db/pathway-tables.js';
import { FIRST_VERSION, planArchive, planPublish, planUpdate } from '../domain/lifecycle.js';
import { applyPathwayChanges, leafKeysOf, normalisePathwayDefinition, type PathwayDefinition, type PathwayFieldsInput } from '../domain/pathway-definition.js';
import { achievementIdsOf, checkRequirementReferences } from '../domain/pathway-requirement.js';

export interface PathwaysServiceDeps {
  db: Db;
  pathways: PathwayStore;
  progress: ProgressStore;
  /** Where a published version's back-fill is owed (recipients already holding member credentials get their progress). */
  jobs: Pick<PathwayJobStore, 'insertBackfill'>;
  /** Tells the back-fill worker (workers/pathway-jobs.ts) that a back-fill was committed, so it starts at once. */
  backfillQueued: () => void;
  log: Logger;
  /** Called after a write, so the request's loaders do not answer from what they read before it. */
  forget: (pathwayId: string) => void;
}

const definitionOf = (row: PathwayView): PathwayDefinition => ({
  name: row.name,
  description: row.description,
  imageUrl: row.imageUrl,
  requirement: row.requirement,
  awardAchievementId: row.awardAchievementId,
  acceptExternal: row.acceptExternal,
  revocationPolicy: row.revocationPolicy,
  windowMonths: row.windowMonths,
});

/**
 * The pathway lifecycle (create, update, publish, archive) and following. Versions work as for achievements
 * (domain/lifecycle.ts): a published version never changes, because progress and awards name it.
 */
export function createPathwaysService(deps: PathwaysServiceDeps) {
  const { db, pathways, log } = deps;

  /** The rules that need lookups, read in the writer's transaction: references, award issuer, cycles. */
  async function checkReferences(tx: Db, pathwayId: string, issuerId: string, definition: PathwayDefinition): Promise<void> {
    const ids = [...achievementIdsOf(definition.requirement), definition.awardAchievementId];
    checkRequirementReferences(definition.requirement, {
      issuerId,
      awardAchievementId: definition.awardAchievementId,
      achievements: await pathways.achievementFacts(tx, ids),
      otherPathways: await pathways.publishedEdges(tx, pathwayId),
    });
  }

  async function lockExisting(tx: Db, viewer: Viewer, id: string): Promise<PathwayRow> {
    const row = await pathways.lockPathway(tx, id);
    if (!row) throw new NotFoundError('Pathway', id);
    assertIssuerAccess(viewer, row.issuerId, 'ISSUER');
    return row;
  }

  return {
    async createPathway(viewer: Viewer, input: PathwayFieldsInput & { issuerId: string }): Promise<PathwayView> {
      assertIssuerAccess(viewer, input.issuerId, 'ISSUER');
      const definition = normalisePathwayDefinition(input);
      const pathwayId = newId();
      const issuerId = input.issuerId.toLowerCase();
      const written = await db.transaction(async (tx) => {
        await checkReferences(tx, pathwayId, issuerId, definition);
        await pathways.insertPathway(tx, { id: pathwayId, issuerId, ...FIRST_VERSION });
        return pathways.writeDraft(tx, { pathwayId, version: 1, issuerId }, definition);
      });
      log.info({ pathwayId, issuerId }, 'pathway created');
      return written;
    },

    /** Changes the draft; a published pathway gets draft version n+1 while version n stays the one progress counts. */
    async updatePathway(viewer: Viewer, id: string, changes: PathwayFieldsInput): Promise<PathwayView> {
      const written = await db.transaction(async (tx) => {
        const row = await lockExisting(tx, viewer, id);
        const plan = planUpdate(row);
        const base = (await pathways.findVersion(tx, id, plan.baseVersion))!;
        const definition = applyPathwayChanges(definitionOf(base), changes);
        await checkReferences(tx, id, row.issuerId, definition);
        const draft = await pathways.writeDraft(tx, { pathwayId: id, version: plan.version, issuerId: row.issuerId }, definition);
        await pathways.updatePathway(tx, id, plan.next);
        return draft;
      });
      deps.forget(id);
      return written;
    },

    /**
     * Publishes the draft: its leaves become findable by the progress projection (from now on every credential event
     * counts), and the back-fill of the recipients already holding one of its member credentials is owed, as a durable
     * job in the same transaction; the back-fill worker does it in chunks, so publishing answers at once however many
     * holders there are.
     */
    async publishPathway(viewer: Viewer, id: string): Promise<PathwayView> {
      const published = await db.transaction(async (tx) => {
        const row = await lockExisting(tx, viewer, id);
        const plan = planPublish(row);
        const draft = (await pathways.findVersion(tx, id, plan.version))!;
        // Checked again: an achievement could have been archived, or another pathway published, since the draft was written.
        await checkReferences(tx, id, row.issuerId, definitionOf(draft));
        const updated = await pathways.setVersionStatuses(tx, id, plan.versions, new Date());
        await pathways.updatePathway(tx, id, plan.next);
        await pathways.writeLeafKeys(tx, id, plan.version, leafKeysOf(draft.requirement));
        const version = updated[updated.length - 1]!;
        await deps.jobs.insertBackfill(tx, { pathwayId: id, version: version.version });
        return version;
      });
      deps.backfillQueued();
      deps.forget(id);
      log.info({ pathwayId: id, version: published.version }, 'pathway published');
      return published;
    },

    /** Stops progress and awards on the pathway; archiving twice changes nothing. */
    async archivePathway(viewer: Viewer, id: string): Promise<PathwayView> {
      await db.transaction(async (tx) => {
        const row = await lockExisting(tx, viewer, id);
        const plan = planArchive(row);
        if (!plan) return;
        await pathways.setVersionStatuses(tx, id, plan.versions, new Date());
        await pathways.updatePathway(tx, id, plan.next);
      });
      deps.forget(id);
      const [current] = await pathways.findCurrentByIds([id]);
      return current!;
    },

    /** A recipient follows a published pathway (idempotent); an issuer member may enrol a cohort of recipients. */
    async followPathway(viewer: Viewer, pathwayId: string, recipientIds: readonly string[] | null): Promise<{ pathway: PathwayView; followed: number }> {
      assertAuthenticated(viewer);
      const [pathway] = await pathways.findCurrentByIds([pathwayId]);
      if (!pathway || pathway.publishedAt === null) throw new NotFoundError('Published pathway', pathwayId);
      if (pathway.status === 'ARCHIVED') throw new AppError('CONFLICT', 'This pathway is archived: it takes no new followers', { field: 'pathwayId' });
      let followers: string[];
      if (recipientIds && recipientIds.length > 0) {
        assertIssuerAccess(viewer, pathway.issuerId, 'ISSUER');
        followers = [...new Set(recipientIds.map((id) => id.toLowerCase()))];
      } else if (viewer.kind === 'RECIPIENT') {
        followers = [viewer.recipientId];
      } else {
        throw new UnauthorizedError('Only a recipient follows a pathway; an issuer enrols recipients by id');
      }
      const followed = await db.transaction((tx) => deps.progress.follow(tx, pathway.id, followers, viewer.kind === 'RECIPIENT' ? 'RECIPIENT' : 'ISSUER'));
      return { pathway, followed };
    },
  };
}

export type PathwaysService = ReturnType<typeof createPathwaysService>;
