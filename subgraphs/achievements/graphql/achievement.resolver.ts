import { GraphQLJSONObject } from 'graphql-scalars';
import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { achievementUri, toObAchievement, type ObAchievement } from '../../../lib/ob/achievement.js';
import type { AchievementsContext } from '../context.js';
import type { AchievementView, DefinitionChildren, ResultDescriptionRow } from '../db/tables.js';
import { resolveCompetencyBased } from '../domain/achievement-definition.js';
import { publishedDefinition } from '../db/definition-rows.js';
import { canReadVersion } from '../domain/visibility.js';
import { AchievementArgs } from './achievement.inputs.js';
import { findAchievement } from './achievement.reference.js';
import { Achievement, AchievementImage, Alignment, Criteria, EuProfile, ResultDescription } from './achievement.type.js';
import { EMPTY_EU_PROFILE, missingEuElements } from '../../../lib/ob/eu-microcredential.js';
import { Issuer } from './issuer.entity.js';
import { Skill } from './skill.type.js';

const keyOf = (achievement: AchievementView) => ({ achievementId: achievement.id, version: achievement.version });

async function childrenOf(achievement: AchievementView, ctx: AchievementsContext): Promise<DefinitionChildren> {
  const key = keyOf(achievement);
  const [alignments, resultDescriptions, skills] = await Promise.all([
    ctx.loaders.alignmentsByVersion.load(key),
    ctx.loaders.resultDescriptionsByVersion.load(key),
    ctx.loaders.skillsByVersion.load(key),
  ]);
  return { alignments, resultDescriptions, skills };
}

const toResultDescription = ({ resultId, name, resultType, allowedValues, requiredValue, valueMin, valueMax }: ResultDescriptionRow): ResultDescription => ({
  id: resultId,
  name,
  resultType,
  allowedValues,
  requiredValue,
  valueMin,
  valueMax,
});

@Resolver(() => Achievement)
export class AchievementResolver {
  @Query(() => Achievement, {
    nullable: true,
    description:
      'An achievement: its current version (the newest published one; before any is published, the draft), or the `version` asked for. ' +
      'Versions that were never published are visible only to the issuer’s members and operators.',
  })
  achievement(@Args(() => AchievementArgs) args: AchievementArgs, @Ctx() ctx: AchievementsContext) {
    return findAchievement(ctx, args);
  }

  @FieldResolver(() => String)
  uri(@Root() achievement: AchievementView, @Ctx() ctx: AchievementsContext): string {
    return achievementUri(ctx.publicBaseUrl, achievement.id, achievement.version);
  }

  @FieldResolver(() => Criteria)
  criteria(@Root() achievement: AchievementView): Criteria {
    return { id: achievement.criteriaUrl, narrative: achievement.criteriaNarrative };
  }

  @FieldResolver(() => AchievementImage, { nullable: true })
  image(@Root() achievement: AchievementView): AchievementImage | null {
    return achievement.imageUrl ? { id: achievement.imageUrl, caption: achievement.imageCaption } : null;
  }

  @FieldResolver(() => [Alignment])
  alignments(@Root() achievement: AchievementView, @Ctx() ctx: AchievementsContext) {
    return ctx.loaders.alignmentsByVersion.load(keyOf(achievement));
  }

  @FieldResolver(() => [Skill])
  skills(@Root() achievement: AchievementView, @Ctx() ctx: AchievementsContext) {
    return ctx.loaders.skillsByVersion.load(keyOf(achievement));
  }

  @FieldResolver(() => [ResultDescription])
  async resultDescriptions(@Root() achievement: AchievementView, @Ctx() ctx: AchievementsContext): Promise<ResultDescription[]> {
    return (await ctx.loaders.resultDescriptionsByVersion.load(keyOf(achievement))).map(toResultDescription);
  }

  @FieldResolver(() => Boolean)
  competencyBased(@Root() achievement: AchievementView): boolean {
    return resolveCompetencyBased(achievement);
  }

  @FieldResolver(() => EuProfile)
  euProfile(@Root() achievement: AchievementView): EuProfile {
    const missing = missingEuElements(achievement);
    return { ...(achievement.euProfile ?? EMPTY_EU_PROFILE), complete: missing.length === 0, missing, achievementId: achievement.id };
  }

  @FieldResolver(() => Issuer)
  issuer(@Root() achievement: AchievementView): Issuer {
    // A reference for the gateway to resolve in the issuers subgraph.
    return { id: achievement.issuerId };
  }

  @FieldResolver(() => [Achievement])
  async versions(@Root() achievement: AchievementView, @Ctx() ctx: AchievementsContext): Promise<AchievementView[]> {
    const versions = await ctx.loaders.versionsByAchievementId.load(achievement.id);
    return versions.filter((version) => canReadVersion(ctx.viewer, version));
  }

  @FieldResolver(() => GraphQLJSONObject)
  async openBadge(@Root() achievement: AchievementView, @Ctx() ctx: AchievementsContext): Promise<ObAchievement> {
    const definition = publishedDefinition(achievement, await childrenOf(achievement, ctx));
    return toObAchievement(definition, { id: achievementUri(ctx.publicBaseUrl, achievement.id, achievement.version) });
  }
}
