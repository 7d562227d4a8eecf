import { AppError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { SKILL_FRAMEWORKS, type SkillFramework } from '../../../lib/ob/achievement.js';

/**
 * A pathway's requirement: a tree of groups whose leaves are achievements or skills. Node ids are paths from the root
 * (`r`, `r.0`, `r.0.2`): a published version never changes, so a path names the same node for ever, and errors,
 * progress and milestone awards can all point at it.
 */
export type GroupKind = 'ALL_OF' | 'N_OF' | 'SEQUENCE';
export type LeafKind = 'ACHIEVEMENT' | 'SKILL';
export type RequirementKind = GroupKind | LeafKind;

/** @default 8 // deeper trees are unreadable for recipients and would only hide mistakes */
export const MAX_REQUIREMENT_DEPTH = 8;
/** @default 200 // leaves and groups together; a pathway is a programme, not a catalogue */
export const MAX_REQUIREMENT_NODES = 200;
/** @default 120 // ten years: longer windows are no window */
export const MAX_WINDOW_MONTHS = 120;

export const ROOT_NODE_ID = 'r';

interface NodeBase {
  id: string;
  label: string | null;
}

export interface AchievementLeaf extends NodeBase {
  kind: 'ACHIEVEMENT';
  /** This hub's achievement (any of its versions counts), or null when the leaf names an outside `Achievement.id` URL. */
  achievementId: string | null;
  /** The OB `Achievement.id` URL of an achievement defined elsewhere; null for this hub's. */
  achievementUrl: string | null;
  /** The credential must carry a numeric result at least this high. */
  minResult: number | null;
}

export interface SkillLeaf extends NodeBase {
  kind: 'SKILL';
  framework: SkillFramework;
  code: string;
  minResult: number | null;
}

export interface GroupNode extends NodeBase {
  kind: GroupKind;
  /** For N_OF: how many children must be satisfied; for ALL_OF and SEQUENCE, all of them. */
  n: number;
  children: RequirementNode[];
  /** An achievement of the pathway's issuer awarded when this group is satisfied. */
  milestoneAchievementId: string | null;
}

export type LeafNode = AchievementLeaf | SkillLeaf;
export type RequirementNode = GroupNode | LeafNode;

/** The requirement as a client sends it (GraphQL input), before ids are assigned and rules checked. */
export interface RequirementInput {
  kind: RequirementKind;
  label?: string | null;
  n?: number | null;
  children?: readonly RequirementInput[] | null;
  /** A UUID of this hub's achievement, or an `Achievement.id` URL. */
  achievement?: string | null;
  skill?: { framework: string; code: string } | null;
  minResult?: number | null;
  milestoneAchievementId?: string | null;
}

/** Why a requirement was refused: `extensions.reason`, beside `extensions.node` (the path of the offending node). */
export type RequirementErrorReason =
  | 'EMPTY_GROUP'
  | 'N_EXCEEDS_CHILDREN'
  | 'TOO_DEEP'
  | 'TOO_MANY_NODES'
  | 'MALFORMED_NODE'
  | 'UNKNOWN_ACHIEVEMENT'
  | 'UNPUBLISHED_ACHIEVEMENT'
  | 'FOREIGN_AWARD'
  | 'CYCLE';

export class RequirementError extends AppError {
  constructor(
    readonly reason: RequirementErrorReason,
    readonly node: string,
    message: string,
  ) {
    super('BAD_USER_INPUT', `${message} (node ${node})`, { reason, node, field: 'requirement' });
  }
}

const isGroupKind = (kind: string): kind is GroupKind => kind === 'ALL_OF' || kind === 'N_OF' || kind === 'SEQUENCE';
export const isGroup = (node: RequirementNode): node is GroupNode => isGroupKind(node.kind);

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function absoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * Gives every node its path id and checks the rules that need no lookup: kinds, empty groups, `n` against the
 * children, depth, size, leaf shapes. Throws a RequirementError naming the first offending node.
 */
export function normaliseRequirement(input: RequirementInput): RequirementNode {
  let count = 0;
  const visit = (node: RequirementInput, id: string, depth: number): RequirementNode => {
    count += 1;
    if (count > MAX_REQUIREMENT_NODES) throw new RequirementError('TOO_MANY_NODES', id, `A requirement has at most ${MAX_REQUIREMENT_NODES} nodes`);
    if (depth > MAX_REQUIREMENT_DEPTH) throw new RequirementError('TOO_DEEP', id, `A requirement is nested at most ${MAX_REQUIREMENT_DEPTH} levels deep`);
    const label = text(node.label);
    const minResult = node.minResult ?? null;
    if (minResult !== null && !Number.isFinite(minResult)) throw new RequirementError('MALFORMED_NODE', id, 'minResult must be a finite number');
    if (isGroupKind(node.kind)) {
      const inputs = node.children ?? [];
      if (inputs.length === 0) throw new RequirementError('EMPTY_GROUP', id, `A ${node.kind} group needs at least one child`);
      if (node.achievement || node.skill || minResult !== null) throw new RequirementError('MALFORMED_NODE', id, 'A group names no achievement, skill or minResult');
      const children = inputs.map((child, index) => visit(child, `${id}.${index}`, depth + 1));
      let n = children.length;
      if (node.kind === 'N_OF') {
        n = node.n ?? 0;
        if (!Number.isInteger(n) || n < 1) throw new RequirementError('MALFORMED_NODE', id, 'An N_OF group needs n ≥ 1');
        if (n > children.length) throw new RequirementError('N_EXCEEDS_CHILDREN', id, `n = ${n} but the group has ${children.length} children`);
      } else if (node.n !== null && node.n !== undefined) {
        throw new RequirementError('MALFORMED_NODE', id, `n applies only to N_OF groups, not ${node.kind}`);
      }
      const milestoneAchievementId = text(node.milestoneAchievementId);
      if (milestoneAchievementId !== null && !isUuid(milestoneAchievementId)) {
        throw new RequirementError('UNKNOWN_ACHIEVEMENT', id, 'A milestone award is one of this hub’s achievements, named by its id');
      }
      return { id, label, kind: node.kind, n, children, milestoneAchievementId: milestoneAchievementId?.toLowerCase() ?? null };
    }
    if (node.children?.length || node.milestoneAchievementId) throw new RequirementError('MALFORMED_NODE', id, 'A leaf has no children and no milestone award');
    if (node.kind === 'ACHIEVEMENT') {
      const reference = text(node.achievement);
      if (!reference || node.skill) throw new RequirementError('MALFORMED_NODE', id, 'An ACHIEVEMENT leaf names one achievement (its id or its Achievement.id URL) and no skill');
      if (isUuid(reference)) return { id, label, kind: 'ACHIEVEMENT', achievementId: reference.toLowerCase(), achievementUrl: null, minResult };
      if (!absoluteHttpUrl(reference)) throw new RequirementError('UNKNOWN_ACHIEVEMENT', id, 'An achievement is named by its id or by an absolute http(s) Achievement.id URL');
      return { id, label, kind: 'ACHIEVEMENT', achievementId: null, achievementUrl: reference, minResult };
    }
    if (node.kind === 'SKILL') {
      const framework = node.skill?.framework?.toUpperCase();
      const code = text(node.skill?.code);
      if (!framework || !code || node.achievement) throw new RequirementError('MALFORMED_NODE', id, 'A SKILL leaf names a framework and a code, and no achievement');
      if (!(SKILL_FRAMEWORKS as readonly string[]).includes(framework)) {
        throw new RequirementError('MALFORMED_NODE', id, `Unknown skill framework ${node.skill!.framework}; one of ${SKILL_FRAMEWORKS.join(', ')}`);
      }
      return { id, label, kind: 'SKILL', framework: framework as SkillFramework, code, minResult };
    }
    throw new RequirementError('MALFORMED_NODE', id, `Unknown requirement kind ${String(node.kind)}`);
  };
  return visit(input, ROOT_NODE_ID, 1);
}

/** Every node, depth first, parents before children. */
export function* walkRequirement(node: RequirementNode): Generator<RequirementNode> {
  yield node;
  if (isGroup(node)) for (const child of node.children) yield* walkRequirement(child);
}

export function leavesOf(node: RequirementNode): LeafNode[] {
  return [...walkRequirement(node)].filter((each): each is LeafNode => !isGroup(each));
}

/** The node with this path id, or null. */
export function findNode(root: RequirementNode, id: string): RequirementNode | null {
  for (const node of walkRequirement(root)) if (node.id === id) return node;
  return null;
}

/** What validation needs to know about an achievement a pathway names (from this subgraph's own tables). */
export interface AchievementFacts {
  issuerId: string;
  /** A version of it was ever published (only those can be earned). */
  published: boolean;
}

/** A published pathway of this hub, as far as cycles are concerned: the achievement it awards and those it requires. */
export interface PathwayEdge {
  pathwayId: string;
  awardAchievementId: string;
  requiredAchievementIds: readonly string[];
}

export interface RequirementContext {
  issuerId: string;
  awardAchievementId: string;
  /** Facts for every achievement id the requirement, its milestones and its award name; a missing id is unknown. */
  achievements: ReadonlyMap<string, AchievementFacts>;
  /** Every other pathway of this hub (the pathway being checked left out). */
  otherPathways: readonly PathwayEdge[];
}

/** Every achievement id (of this hub) a requirement names, leaves and milestones alike. */
export function achievementIdsOf(root: RequirementNode): string[] {
  const ids = new Set<string>();
  for (const node of walkRequirement(root)) {
    if (isGroup(node) && node.milestoneAchievementId) ids.add(node.milestoneAchievementId);
    if (node.kind === 'ACHIEVEMENT' && node.achievementId) ids.add(node.achievementId);
  }
  return [...ids];
}

/**
 * The rules that need the achievements and the other pathways: every named achievement exists and was published,
 * awards (the pathway's and its milestones) are the pathway issuer's own, and no award is required to earn itself,
 * directly or through other pathways (earning pathway B's award needs A's award, which needs B's…).
 */
export function checkRequirementReferences(root: RequirementNode, context: RequirementContext): void {
  const award = context.achievements.get(context.awardAchievementId);
  if (!award) throw new RequirementError('UNKNOWN_ACHIEVEMENT', 'award', `Award achievement ${context.awardAchievementId} does not exist`);
  if (award.issuerId !== context.issuerId) throw new RequirementError('FOREIGN_AWARD', 'award', 'The award is an achievement of the pathway’s own issuer');
  for (const node of walkRequirement(root)) {
    if (isGroup(node) && node.milestoneAchievementId) {
      const milestone = context.achievements.get(node.milestoneAchievementId);
      if (!milestone) throw new RequirementError('UNKNOWN_ACHIEVEMENT', node.id, `Milestone achievement ${node.milestoneAchievementId} does not exist`);
      if (milestone.issuerId !== context.issuerId) throw new RequirementError('FOREIGN_AWARD', node.id, 'A milestone award is an achievement of the pathway’s own issuer');
    }
    if (node.kind === 'ACHIEVEMENT' && node.achievementId) {
      const facts = context.achievements.get(node.achievementId);
      if (!facts) throw new RequirementError('UNKNOWN_ACHIEVEMENT', node.id, `Achievement ${node.achievementId} does not exist`);
      if (!facts.published) throw new RequirementError('UNPUBLISHED_ACHIEVEMENT', node.id, `Achievement ${node.achievementId} was never published: nobody can hold it`);
    }
  }
  const cycleAt = findAwardCycle(root, context, context.awardAchievementId);
  if (cycleAt) throw new RequirementError('CYCLE', cycleAt, 'The pathway’s award would be needed to earn itself');
  // A milestone award is refused the same way: one of the pathway's leaves would need it, so it would need itself.
  for (const node of walkRequirement(root)) {
    if (!isGroup(node) || !node.milestoneAchievementId) continue;
    const leafAt = findAwardCycle(root, context, node.milestoneAchievementId);
    if (leafAt) throw new RequirementError('CYCLE', node.id, `The milestone award of ${node.id} is required by ${leafAt}, directly or through another pathway: it would be needed to earn itself`);
  }
}

/** The leaf through which `award` is required by the requirement (directly, or through other pathways' awards), or null. */
function findAwardCycle(root: RequirementNode, context: RequirementContext, award: string): string | null {
  // Which pathway awards each achievement: requiring that achievement means requiring that pathway's requirements.
  const awardedBy = new Map<string, PathwayEdge[]>();
  for (const edge of context.otherPathways) awardedBy.set(edge.awardAchievementId, [...(awardedBy.get(edge.awardAchievementId) ?? []), edge]);
  for (const leaf of leavesOf(root)) {
    if (leaf.kind !== 'ACHIEVEMENT' || !leaf.achievementId) continue;
    const seen = new Set<string>();
    const pending = [leaf.achievementId];
    while (pending.length > 0) {
      const achievementId = pending.pop()!;
      if (achievementId === award) return leaf.id;
      if (seen.has(achievementId)) continue;
      seen.add(achievementId);
      for (const edge of awardedBy.get(achievementId) ?? []) pending.push(...edge.requiredAchievementIds);
    }
  }
  return null;
}
