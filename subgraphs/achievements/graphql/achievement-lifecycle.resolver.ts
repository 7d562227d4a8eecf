import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { AchievementsContext } from '../context.js';
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

@Resolver(() => Achievement)
export class AchievementLifecycleResolver {
  @Authorized()
  @Mutation(() => CreateAchievementPayload, { description: 'Defines an achievement as a DRAFT, version 1 (operators, or the issuer’s members with the ISSUER role).' })
  async createAchievement(@Arg('input', () => CreateAchievementInput) input: CreateAchievementInput, @Ctx() ctx: AchievementsContext) {
    return ctx.achievements.createAchievement(ctx.viewer, input);
  }

  @Authorized()
  @Mutation(() => UpdateAchievementPayload, {
    description: 'Changes the draft; a published achievement gets a new draft version n+1 while version n stays published and issuable.',
  })
  async updateAchievement(@Arg('input', () => UpdateAchievementInput) input: UpdateAchievementInput, @Ctx() ctx: AchievementsContext) {
    const { id, ...changes } = input;
    return ctx.achievements.updateAchievement(ctx.viewer, id, changes);
  }

  @Authorized()
  @Mutation(() => PublishAchievementPayload, {
    description: 'Publishes the draft: it becomes the version new credentials get, and AchievementPublished is emitted with everything issuance needs.',
  })
  async publishAchievement(@Arg('input', () => PublishAchievementInput) input: PublishAchievementInput, @Ctx() ctx: AchievementsContext) {
    return ctx.achievements.publishAchievement(ctx.viewer, input.id, input.profile ?? null);
  }

  @Authorized()
  @Mutation(() => ArchiveAchievementPayload, { description: 'Stops new issuance of the achievement; every published version stays readable.' })
  async archiveAchievement(@Arg('input', () => ArchiveAchievementInput) input: ArchiveAchievementInput, @Ctx() ctx: AchievementsContext) {
    return ctx.achievements.archiveAchievement(ctx.viewer, input.id);
  }
}
