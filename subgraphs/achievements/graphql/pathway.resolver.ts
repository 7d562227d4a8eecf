import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertAuthenticated, assertIssuerAccess, canActForIssuer } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import { UnauthorizedError } from '../../../lib/errors.js';
import type { AchievementsContext } from '../context.js';
import type { PathwayProgressWithAwards, PathwayView } from '../db/pathway-tables.js';
import type { NodeProgress as NodeProgressResult } from '../domain/pathway-progress.js';
import { isGroup, type RequirementNode as Node } from '../domain/pathway-requirement.js';
import { canReadVersion } from '../domain/visibility.js';
import { GraphQLJSONObject } from 'graphql-scalars';
import { findAchievement } from './achievement.reference.js';
import { Achievement } from './achievement.type.js';
import { Issuer } from './issuer.entity.js';
import {
  ArchivePathwayPayload,
  CreatePathwayInput,
  CreatePathwayPayload,
  FollowPathwayInput,
  FollowPathwayPayload,
  PathwayArgs,
  PathwayIdInput,
  PublishPathwayPayload,
  UpdatePathwayInput,
  UpdatePathwayPayload,
} from './pathway.inputs.js';
import { AcceptExternal, NodeProgress, Pathway, PathwayAward, PathwayProgressView, PathwayStats, RequirementNode } from './pathway.type.js';

/** A pathway by id (its current version) or id and version, or null when it does not exist or the viewer may not see it. */
export async function findPathway(ctx: AchievementsContext, reference: { id: string; version?: number | null }): Promise<PathwayView | null> {
  const row =
    reference.version === undefined || reference.version === null
      ? await ctx.pathwayLoaders.pathwayById.load(reference.id)
      : ((await ctx.pathwayLoaders.versionsByPathwayId.load(reference.id)).find((version) => version.version === reference.version) ?? null);
  return row && canReadVersion(ctx.viewer, row) ? row : null;
}

function flatten(node: Node, parentId: string | null): RequirementNode[] {
  const own: RequirementNode = {
    id: node.id,
    parentId,
    kind: node.kind,
    label: node.label,
    n: isGroup(node) ? node.n : null,
    achievementId: node.kind === 'ACHIEVEMENT' ? node.achievementId : null,
    achievementUrl: node.kind === 'ACHIEVEMENT' ? node.achievementUrl : null,
    skill: node.kind === 'SKILL' ? { framework: node.framework, code: node.code } : null,
    minResult: isGroup(node) ? null : node.minResult,
    milestoneAchievementId: isGroup(node) ? node.milestoneAchievementId : null,
  };
  return [own, ...(isGroup(node) ? node.children.flatMap((child) => flatten(child, node.id)) : [])];
}

function flattenProgress(node: NodeProgressResult): NodeProgress[] {
  const own: NodeProgress = {
    nodeId: node.nodeId,
    satisfied: node.satisfied,
    // Stored as JSON: dates come back as strings.
    satisfiedAt: node.satisfiedAt ? new Date(node.satisfiedAt) : null,
    credentialIds: node.credentialIds,
    lapsed: node.lapsed,
    percent: Math.floor(node.fraction * 100),
    currentStep: node.currentStep,
  };
  return [own, ...node.children.flatMap(flattenProgress)];
}

/** Who may read a recipient's progress: the recipient, the pathway issuer's members, operators. */
export function mayReadProgress(viewer: Viewer, recipientId: string, issuerId: string): boolean {
  return (viewer.kind === 'RECIPIENT' && viewer.recipientId === recipientId.toLowerCase()) || canActForIssuer(viewer, issuerId, 'VIEWER');
}

export async function progressView(ctx: AchievementsContext, row: PathwayProgressWithAwards): Promise<PathwayProgressView> {
  return {
    pathwayId: row.pathwayId,
    recipientId: row.recipientId,
    version: row.version,
    satisfied: row.satisfied,
    completedAt: row.completedAt,
    percent: row.percent,
    next: row.detail.next,
    nodes: flattenProgress(row.detail.root),
    awards: row.awards,
    following: await ctx.progressStore.isFollowing(row.pathwayId, row.recipientId),
    updatedAt: row.updatedAt,
  };
}

@Resolver(() => Pathway)
export class PathwayResolver {
  @Query(() => Pathway, { nullable: true, description: 'A pathway at its current version, or the version asked for. Drafts only for the issuer’s members.' })
  pathway(@Args(() => PathwayArgs) args: PathwayArgs, @Ctx() ctx: AchievementsContext) {
    return findPathway(ctx, args);
  }

  @FieldResolver(() => Issuer)
  issuer(@Root() pathway: PathwayView): Issuer {
    return { id: pathway.issuerId };
  }

  @FieldResolver(() => [RequirementNode])
  requirement(@Root() pathway: PathwayView): RequirementNode[] {
    return flatten(pathway.requirement, null);
  }

  @FieldResolver(() => GraphQLJSONObject)
  requirementTree(@Root() pathway: PathwayView): Record<string, unknown> {
    return pathway.requirement as unknown as Record<string, unknown>;
  }

  @FieldResolver(() => Achievement, { nullable: true })
  award(@Root() pathway: PathwayView, @Ctx() ctx: AchievementsContext) {
    return findAchievement(ctx, { id: pathway.awardAchievementId });
  }

  @FieldResolver(() => AcceptExternal)
  acceptExternal(@Root() pathway: PathwayView): AcceptExternal {
    return { mode: pathway.acceptExternal.mode, issuers: pathway.acceptExternal.mode === 'LIST' ? [...pathway.acceptExternal.issuers] : [] };
  }

  @FieldResolver(() => [Pathway])
  async versions(@Root() pathway: PathwayView, @Ctx() ctx: AchievementsContext): Promise<PathwayView[]> {
    return (await ctx.pathwayLoaders.versionsByPathwayId.load(pathway.id)).filter((version) => canReadVersion(ctx.viewer, version));
  }

  @FieldResolver(() => PathwayProgressView, { nullable: true, description: 'A recipient’s progress on this version: the recipient themself, the issuer’s members, operators.' })
  async progress(@Root() pathway: PathwayView, @Arg('recipientId', () => ID) recipientId: string, @Ctx() ctx: AchievementsContext): Promise<PathwayProgressView | null> {
    assertAuthenticated(ctx.viewer);
    if (!mayReadProgress(ctx.viewer, recipientId, pathway.issuerId)) throw new UnauthorizedError('Only the recipient and the pathway’s issuer may read this progress');
    const rows = await ctx.pathwayLoaders.progressByRecipientId.load(recipientId.toLowerCase());
    const row = rows.find((each) => each.pathwayId === pathway.id && each.version === pathway.version);
    return row ? progressView(ctx, row) : null;
  }

  @FieldResolver(() => PathwayStats)
  async stats(@Root() pathway: PathwayView, @Ctx() ctx: AchievementsContext): Promise<PathwayStats> {
    assertIssuerAccess(ctx.viewer, pathway.issuerId, 'VIEWER');
    const ref = { pathwayId: pathway.id, version: pathway.version };
    const [stats, dropOffByGroup, backfill] = await Promise.all([ctx.progressStore.statsOf(ref), ctx.progressStore.groupStopsOf(ref), ctx.jobStore.backfillOf(ref)]);
    const days = [...stats.completionDays].sort((a, b) => a - b);
    const middle = Math.floor(days.length / 2);
    return {
      started: stats.started,
      following: stats.following,
      completed: stats.completed,
      completionRate: stats.started === 0 ? 0 : stats.completed / stats.started,
      medianDaysToComplete: days.length === 0 ? null : days.length % 2 ? days[middle]! : (days[middle - 1]! + days[middle]!) / 2,
      dropOff: stats.steps,
      dropOffByGroup,
      backfill: backfill && { state: backfill.state, holdersProcessed: backfill.holdersProcessed, finishedAt: backfill.finishedAt },
    };
  }

  @Authorized()
  @Mutation(() => CreatePathwayPayload, { description: 'Defines a pathway as a DRAFT, version 1 (the issuer’s members with the ISSUER role). Refused with extensions.reason and extensions.node when the requirement breaks a rule.' })
  async createPathway(@Arg('input', () => CreatePathwayInput) input: CreatePathwayInput, @Ctx() ctx: AchievementsContext) {
    return { pathway: await ctx.pathways.createPathway(ctx.viewer, input) };
  }

  @Authorized()
  @Mutation(() => UpdatePathwayPayload, { description: 'Changes the draft; a published pathway gets draft version n+1.' })
  async updatePathway(@Arg('input', () => UpdatePathwayInput) input: UpdatePathwayInput, @Ctx() ctx: AchievementsContext) {
    const { id, ...changes } = input;
    return { pathway: await ctx.pathways.updatePathway(ctx.viewer, id, changes) };
  }

  @Authorized()
  @Mutation(() => PublishPathwayPayload, { description: 'Publishes the draft: recipients’ progress counts toward it from now on (and those already holding member credentials get theirs at once).' })
  async publishPathway(@Arg('input', () => PathwayIdInput) input: PathwayIdInput, @Ctx() ctx: AchievementsContext) {
    return { pathway: await ctx.pathways.publishPathway(ctx.viewer, input.id) };
  }

  @Authorized()
  @Mutation(() => ArchivePathwayPayload, { description: 'Stops progress and awards on the pathway.' })
  async archivePathway(@Arg('input', () => PathwayIdInput) input: PathwayIdInput, @Ctx() ctx: AchievementsContext) {
    return { pathway: await ctx.pathways.archivePathway(ctx.viewer, input.id) };
  }

  @Authorized()
  @Mutation(() => FollowPathwayPayload, { description: 'A recipient follows a published pathway; an issuer member enrols recipients by id.' })
  async followPathway(@Arg('input', () => FollowPathwayInput) input: FollowPathwayInput, @Ctx() ctx: AchievementsContext) {
    return ctx.pathways.followPathway(ctx.viewer, input.pathwayId, input.recipientIds ?? null);
  }
}

/** The achievements a requirement node and an award name, resolved here (the same subgraph owns Achievement). */
@Resolver(() => RequirementNode)
export class RequirementNodeResolver {
  @FieldResolver(() => Achievement, { nullable: true })
  achievement(@Root() node: RequirementNode, @Ctx() ctx: AchievementsContext) {
    return node.achievementId ? findAchievement(ctx, { id: node.achievementId }) : null;
  }

  @FieldResolver(() => Achievement, { nullable: true })
  milestone(@Root() node: RequirementNode, @Ctx() ctx: AchievementsContext) {
    return node.milestoneAchievementId ? findAchievement(ctx, { id: node.milestoneAchievementId }) : null;
  }
}

@Resolver(() => PathwayAward)
export class PathwayAwardResolver {
  @FieldResolver(() => Achievement, { nullable: true })
  achievement(@Root() award: PathwayAward, @Ctx() ctx: AchievementsContext) {
    return findAchievement(ctx, { id: award.achievementId });
  }
}

@Resolver(() => PathwayProgressView)
export class PathwayProgressResolver {
  @FieldResolver(() => Pathway, { nullable: true, description: 'The pathway version this progress is on.' })
  pathway(@Root() progress: PathwayProgressView, @Ctx() ctx: AchievementsContext) {
    return findPathway(ctx, { id: progress.pathwayId, version: progress.version });
  }
}
