import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Db } from '../../../lib/db/client.js';
import { NotFoundError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { EventType } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import { achievementPublishedPayload } from '../../../lib/events/contracts/achievement-published.js';
import type { AchievementsContext } from '../context.js';
import type { AchievementRow, VersionKey } from '../db/tables.js';
import { applyAchievementChanges, normaliseAchievementDefinition } from '../domain/achievement-definition.js';
import { definitionFromRows, definitionToRows, publishedDefinition } from '../db/definition-rows.js';
import { FIRST_VERSION, assertPublishable, planArchive, planPublish, planUpdate } from '../domain/lifecycle.js';
import { learningHoursWarnings, sharedSkillWarnings } from '../domain/warnings.js';
import {
  ArchiveAchievementInput,
  ArchiveAchievementPayload,
  CreateAchievementInput,
  CreateAchievementPayload,
  PublishAchievementInput,
  PublishAchievementPayload,
  UpdateAchievementInput,
  UpdateAchievementPayload,
} from './achievement.inputs.js';
import { Achievement } from './achievement.type.js';

/** The issuer an existing achievement belongs to, once the viewer is allowed to change it (ISSUER role). */
async function authorisedIssuerOf(ctx: AchievementsContext, id: string): Promise<string> {
  const existing = await ctx.loaders.achievementById.load(id);
  if (!existing) throw new NotFoundError('Achievement', id);
  assertIssuerAccess(ctx.viewer, existing.issuerId, 'ISSUER');
  return existing.issuerId;
}

async function lockExisting(ctx: AchievementsContext, tx: Db, id: string): Promise<AchievementRow> {
  const row = await ctx.store.lockAchievement(tx, id);
  if (!row) throw new NotFoundError('Achievement', id);
  return row;
}

/** After a write, this request's loaders must not answer from what they read before it. */
function forget(ctx: AchievementsContext, key: VersionKey): void {
  ctx.loaders.achievementById.clear(key.achievementId);
  ctx.loaders.versionsByAchievementId.clear(key.achievementId);
  ctx.loaders.achievementVersion.clear(key);
  ctx.loaders.alignmentsByVersion.clear(key);
  ctx.loaders.resultDescriptionsByVersion.clear(key);
  ctx.loaders.skillsByVersion.clear(key);
}

@Resolver(() => Achievement)
export class AchievementLifecycleResolver {
  @Authorized()
  @Mutation(() => CreateAchievementPayload, { description: 'Defines an achievement as a DRAFT, version 1 (operators, or the issuer’s members with the ISSUER role).' })
  async createAchievement(@Arg('input', () => CreateAchievementInput) input: CreateAchievementInput, @Ctx() ctx: AchievementsContext) {
    // Before validation, so a caller who may not write here learns nothing from the error.
    assertIssuerAccess(ctx.viewer, input.issuerId, 'ISSUER');
    const { issuerId, definition } = normaliseAchievementDefinition(input);
    const achievementId = newId();
    const written = await ctx.db.transaction(async (tx) => {
      await ctx.store.insertAchievement(tx, { id: achievementId, issuerId, ...FIRST_VERSION });
      const draft = await ctx.store.writeDraft(tx, { achievementId, version: 1, issuerId }, definitionToRows(definition));
      await appendEvents(tx, [
        { type: EventType.ACHIEVEMENT_CREATED, issuerId, payload: { achievementId, issuerId, name: definition.name } },
      ]);
      return draft;
    });
    ctx.loaders.achievementById.prime(achievementId, written.view);
    ctx.log.info({ achievementId, issuerId }, 'achievement created');
    return {
      achievement: written.view,
      warnings: [...learningHoursWarnings(definition.estimatedLearningHours), ...sharedSkillWarnings(definition.skills, written.skills)],
    };
  }

  @Authorized()
  @Mutation(() => UpdateAchievementPayload, {
    description: 'Changes the draft; a published achievement gets a new draft version n+1 while version n stays published and issuable.',
  })
  async updateAchievement(@Arg('input', () => UpdateAchievementInput) input: UpdateAchievementInput, @Ctx() ctx: AchievementsContext) {
    const { id, ...changes } = input;
    const issuerId = await authorisedIssuerOf(ctx, id);
    const { written, definition, plan } = await ctx.db.transaction(async (tx) => {
      const plan = planUpdate(await lockExisting(ctx, tx, id));
      const base = (await ctx.store.readVersion(tx, { achievementId: id, version: plan.baseVersion }))!;
      const definition = applyAchievementChanges(definitionFromRows(base.row, base.children), changes);
      const written = await ctx.store.writeDraft(tx, { achievementId: id, version: plan.version, issuerId }, definitionToRows(definition));
      await ctx.store.updateAchievement(tx, id, plan.next);
      return { written, definition, plan };
    });
    forget(ctx, { achievementId: id, version: plan.version });
    ctx.log.info({ achievementId: id, issuerId, version: plan.version, newVersion: plan.createsVersion }, 'achievement draft updated');
    return {
      achievement: written.view,
      warnings: [...learningHoursWarnings(definition.estimatedLearningHours), ...sharedSkillWarnings(definition.skills, written.skills)],
    };
  }

  @Authorized()
  @Mutation(() => PublishAchievementPayload, {
    description: 'Publishes the draft: it becomes the version new credentials get, and AchievementPublished is emitted with everything issuance needs.',
  })
  async publishAchievement(@Arg('input', () => PublishAchievementInput) input: PublishAchievementInput, @Ctx() ctx: AchievementsContext) {
    const issuerId = await authorisedIssuerOf(ctx, input.id);
    const { published, definition } = await ctx.db.transaction(async (tx) => {
      const plan = planPublish(await lockExisting(ctx, tx, input.id));
      const draft = (await ctx.store.readVersion(tx, { achievementId: input.id, version: plan.version }))!;
      assertPublishable(definitionFromRows(draft.row, draft.children));
      const updated = await ctx.store.setVersionStatuses(tx, input.id, plan.versions, new Date());
      await ctx.store.updateAchievement(tx, input.id, plan.next);
      const definition = publishedDefinition(draft.row, draft.children);
      await appendEvents(tx, [
        {
          type: EventType.ACHIEVEMENT_PUBLISHED,
          issuerId,
          payload: achievementPublishedPayload({ achievementId: input.id, issuerId, definition, publicBaseUrl: ctx.publicBaseUrl }),
        },
      ]);
      return { published: updated[updated.length - 1]!, definition };
    });
    forget(ctx, { achievementId: input.id, version: published.version });
    ctx.log.info({ achievementId: input.id, issuerId, version: published.version }, 'achievement published');
    return { achievement: published, warnings: learningHoursWarnings(definition.estimatedLearningHours) };
  }

  @Authorized()
  @Mutation(() => ArchiveAchievementPayload, { description: 'Stops new issuance of the achievement; every published version stays readable.' })
  async archiveAchievement(@Arg('input', () => ArchiveAchievementInput) input: ArchiveAchievementInput, @Ctx() ctx: AchievementsContext) {
    const issuerId = await authorisedIssuerOf(ctx, input.id);
    const archived = await ctx.db.transaction(async (tx) => {
      const plan = planArchive(await lockExisting(ctx, tx, input.id));
      if (!plan) return [];
      const updated = await ctx.store.setVersionStatuses(tx, input.id, plan.versions, new Date());
      await ctx.store.updateAchievement(tx, input.id, plan.next);
      // The issuers subgraph stops issuing from this achievement when it sees this.
      await appendEvents(tx, [
        { type: EventType.ACHIEVEMENT_ARCHIVED, issuerId, payload: { achievementId: input.id, issuerId, versions: updated.map((version) => version.version) } },
      ]);
      return updated;
    });
    for (const version of archived) forget(ctx, version);
    ctx.loaders.achievementById.clear(input.id);
    if (archived.length > 0) ctx.log.info({ achievementId: input.id, issuerId }, 'achievement archived');
    return { achievement: (await ctx.loaders.achievementById.load(input.id))!, warnings: [] };
  }
}
