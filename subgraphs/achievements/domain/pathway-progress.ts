import { addDuration } from '../../../lib/ob/duration.js';
import { isGroup, type GroupNode, type LeafNode, type RequirementNode } from './pathway-requirement.js';

/**
 * The requirement engine: how far a recipient is on a pathway, from the credentials they hold. Pure: the same
 * credentials and the same `now` always give the same progress, whether the projection got there event by event or
 * from scratch.
 *
 * Rules
 * - A leaf is satisfied by the earliest counting credential that matches it (its achievement, any version; or any
 *   credential aligned to its skill) and meets its minimum result.
 * - ALL_OF needs every child, N_OF n of them; a group is satisfied when its last needed child is.
 * - SEQUENCE: element i counts only if everything it uses was earned after element i-1 was satisfied. Taking the
 *   earliest way to satisfy each element is optimal: an earlier finish only leaves the next element more to use.
 * - A time window (all earned within N months): satisfied if some window of N months holds a satisfying set. While
 *   incomplete, only credentials of the last N months can still take part, so progress counts only those.
 * - Revoked, suspended and expired credentials, and outside credentials the pathway does not accept, never count;
 *   a leaf they would have satisfied says so (`lapsed`), which is how progress explains a step going backwards.
 */

export type HoldingStatus = 'ACTIVE' | 'REVOKED' | 'SUSPENDED';
export type LapseReason = 'REVOKED' | 'SUSPENDED' | 'EXPIRED' | 'NOT_ACCEPTED' | 'OUTSIDE_WINDOW';

/** A credential in a recipient's wallet, as far as pathways care. */
export interface HeldCredential {
  credentialId: string;
  /** This hub's achievement, when this hub issued it. */
  achievementId: string | null;
  /** The OB `Achievement.id` the credential embeds. */
  achievementUrl: string | null;
  /** `FRAMEWORK|code` of every skill the credential's achievement is aligned to. */
  skills: readonly string[];
  /** Every numeric result the credential carries. */
  results: readonly number[];
  earnedAt: Date;
  validUntil: Date | null;
  status: HoldingStatus;
  /** Decided by acceptance (`acceptsCredential`) before evaluation: an outside credential this pathway does not take. */
  accepted: boolean;
}

export interface NodeProgress {
  nodeId: string;
  satisfied: boolean;
  satisfiedAt: Date | null;
  /** The credentials that satisfied this node (for a group: those of the children it needed). */
  credentialIds: string[];
  /** Matching credentials that do not count, and why. */
  lapsed: { credentialId: string; reason: LapseReason }[];
  /** 0..1: a leaf is 0 or 1; ALL_OF the mean of its children; N_OF the best n children over n; SEQUENCE done steps. */
  fraction: number;
  /** For a SEQUENCE: the index of the element the recipient is on (= the number of elements when done). */
  currentStep: number | null;
  children: NodeProgress[];
}

export interface MilestoneReached {
  nodeId: string;
  achievementId: string;
  satisfiedAt: Date;
  credentialIds: string[];
}

export interface PathwayProgress {
  satisfied: boolean;
  completedAt: Date | null;
  /** 0..100, rounded down to a whole number so 100 means done. */
  percent: number;
  root: NodeProgress;
  /** The leaves that would advance the pathway soonest, respecting sequences (their node ids). */
  next: string[];
  milestones: MilestoneReached[];
  /** Every credential that counted toward a satisfied node. */
  credentialIds: string[];
}

export interface EvaluatedPathway {
  requirement: RequirementNode;
  /** All earned within this many months; null = no window. */
  windowMonths: number | null;
}

export const skillKey = (framework: string, code: string) => `${framework}|${code}`;

function matches(leaf: LeafNode, credential: HeldCredential): boolean {
  if (leaf.kind === 'SKILL') return credential.skills.includes(skillKey(leaf.framework, leaf.code));
  if (leaf.achievementId) return credential.achievementId === leaf.achievementId;
  return credential.achievementUrl === leaf.achievementUrl;
}

const meetsResult = (leaf: LeafNode, credential: HeldCredential) => leaf.minResult === null || credential.results.some((result) => result >= leaf.minResult!);

/** Earliest first; the id breaks ties so the choice never depends on the order credentials arrived in. */
const byEarned = (a: HeldCredential, b: HeldCredential) => a.earnedAt.getTime() - b.earnedAt.getTime() || (a.credentialId < b.credentialId ? -1 : 1);

interface Pools {
  counting: readonly HeldCredential[];
  /** Held but not counting, with the reason (a matching one is reported on its leaf). */
  notCounting: readonly { credential: HeldCredential; reason: LapseReason }[];
}

function evaluateLeaf(leaf: LeafNode, pools: Pools, after: number): NodeProgress {
  const chosen = pools.counting.filter((c) => matches(leaf, c) && meetsResult(leaf, c) && c.earnedAt.getTime() > after).sort(byEarned)[0];
  return {
    nodeId: leaf.id,
    satisfied: chosen !== undefined,
    satisfiedAt: chosen?.earnedAt ?? null,
    credentialIds: chosen ? [chosen.credentialId] : [],
    lapsed: chosen ? [] : pools.notCounting.filter(({ credential }) => matches(leaf, credential)).map(({ credential, reason }) => ({ credentialId: credential.credentialId, reason })),
    fraction: chosen ? 1 : 0,
    currentStep: null,
    children: [],
  };
}

const union = (lists: readonly string[][]) => [...new Set(lists.flat())];

function evaluateGroup(group: GroupNode, pools: Pools, after: number): NodeProgress {
  if (group.kind === 'SEQUENCE') {
    const children: NodeProgress[] = [];
    let bound = after;
    let step = group.children.length;
    for (const [index, child] of group.children.entries()) {
      // Once an element is missing, later ones cannot count yet: they are shown as not started.
      const progress = evaluateNode(child, pools, step < group.children.length ? Infinity : bound);
      children.push(progress);
      if (progress.satisfied && step === group.children.length) bound = progress.satisfiedAt!.getTime();
      else if (step === group.children.length) step = index;
    }
    const done = step === group.children.length;
    return {
      nodeId: group.id,
      satisfied: done,
      satisfiedAt: done ? new Date(bound) : null,
      credentialIds: union(children.slice(0, step).map((child) => child.credentialIds)),
      lapsed: [],
      fraction: (step + (done ? 0 : children[step]!.fraction)) / group.children.length,
      currentStep: step,
      children,
    };
  }
  const children = group.children.map((child) => evaluateNode(child, pools, after));
  const satisfiedChildren = children.filter((child) => child.satisfied).sort((a, b) => a.satisfiedAt!.getTime() - b.satisfiedAt!.getTime());
  const satisfied = satisfiedChildren.length >= group.n;
  const needed = satisfied ? satisfiedChildren.slice(0, group.n) : satisfiedChildren;
  const best = children.map((child) => child.fraction).sort((a, b) => b - a).slice(0, group.n);
  return {
    nodeId: group.id,
    satisfied,
    satisfiedAt: satisfied ? needed[needed.length - 1]!.satisfiedAt : null,
    credentialIds: union(needed.map((child) => child.credentialIds)),
    lapsed: [],
    fraction: best.reduce((sum, value) => sum + value, 0) / group.n,
    currentStep: null,
    children,
  };
}

function evaluateNode(node: RequirementNode, pools: Pools, after: number): NodeProgress {
  return isGroup(node) ? evaluateGroup(node, pools, after) : evaluateLeaf(node, pools, after);
}

/** The leaves to earn next: everything unsatisfied under ALL_OF and N_OF, only the current element of a SEQUENCE. */
function nextLeaves(node: RequirementNode, progress: NodeProgress): string[] {
  if (progress.satisfied) return [];
  if (!isGroup(node)) return [node.id];
  if (node.kind === 'SEQUENCE') return nextLeaves(node.children[progress.currentStep!]!, progress.children[progress.currentStep!]!);
  return node.children.flatMap((child, index) => nextLeaves(child, progress.children[index]!));
}

function milestonesOf(node: RequirementNode, progress: NodeProgress): MilestoneReached[] {
  if (!isGroup(node)) return [];
  const own: MilestoneReached[] =
    node.milestoneAchievementId && progress.satisfied
      ? [{ nodeId: node.id, achievementId: node.milestoneAchievementId, satisfiedAt: progress.satisfiedAt!, credentialIds: progress.credentialIds }]
      : [];
  return [...own, ...node.children.flatMap((child, index) => milestonesOf(child, progress.children[index]!))];
}

/** Why a held credential does not count at `now`, or null when it does. */
function lapseOf(credential: HeldCredential, now: Date): LapseReason | null {
  if (credential.status !== 'ACTIVE') return credential.status;
  if (credential.validUntil && credential.validUntil.getTime() <= now.getTime()) return 'EXPIRED';
  if (!credential.accepted) return 'NOT_ACCEPTED';
  return null;
}

function summarise(pathway: EvaluatedPathway, root: NodeProgress): PathwayProgress {
  return {
    satisfied: root.satisfied,
    completedAt: root.satisfiedAt,
    percent: root.satisfied ? 100 : Math.min(99, Math.floor(root.fraction * 100)),
    root,
    next: nextLeaves(pathway.requirement, root),
    milestones: milestonesOf(pathway.requirement, root),
    credentialIds: root.credentialIds,
  };
}

/** The recipient's progress on one pathway at `now`, from every credential they hold. */
export function evaluatePathway(pathway: EvaluatedPathway, held: readonly HeldCredential[], now: Date): PathwayProgress {
  const counting: HeldCredential[] = [];
  const notCounting: Pools['notCounting'][number][] = [];
  // In one order whatever order they arrive in, so lists in the progress (lapsed credentials) never depend on it.
  for (const credential of [...held].sort(byEarned)) {
    // A credential earned after `now` does not exist yet for this evaluation.
    if (credential.earnedAt.getTime() > now.getTime()) continue;
    const reason = lapseOf(credential, now);
    if (reason) notCounting.push({ credential, reason });
    else counting.push(credential);
  }
  if (pathway.windowMonths === null) return summarise(pathway, evaluateNode(pathway.requirement, { counting, notCounting }, -Infinity));

  const months = `P${pathway.windowMonths}M`;
  let best: NodeProgress | null = null;
  for (const start of new Set(counting.map((credential) => credential.earnedAt.getTime()))) {
    const end = addDuration(new Date(start), months).getTime();
    const inWindow = counting.filter((credential) => credential.earnedAt.getTime() >= start && credential.earnedAt.getTime() <= end);
    const root = evaluateNode(pathway.requirement, { counting: inWindow, notCounting }, -Infinity);
    if (root.satisfied && (!best || root.satisfiedAt!.getTime() < best.satisfiedAt!.getTime())) best = root;
  }
  if (best) return summarise(pathway, best);
  // Not complete: a completion still to come ends after now, so only credentials earned since now − N months can be in it.
  const usableFrom = monthsBefore(now, pathway.windowMonths).getTime();
  const recent = counting.filter((credential) => credential.earnedAt.getTime() >= usableFrom);
  const old = counting.filter((credential) => credential.earnedAt.getTime() < usableFrom).map((credential) => ({ credential, reason: 'OUTSIDE_WINDOW' as const }));
  return summarise(pathway, evaluateNode(pathway.requirement, { counting: recent, notCounting: [...notCounting, ...old] }, -Infinity));
}

/** The instant N calendar months before `date` such that adding N months to it gives back at most `date`. */
function monthsBefore(date: Date, months: number): Date {
  const result = new Date(date.getTime());
  result.setUTCMonth(result.getUTCMonth() - months);
  // setUTCMonth overflows a missing day into the next month (31 March − 1 month = 3 March): step back to that month's end.
  while (addDuration(result, `P${months}M`).getTime() > date.getTime()) result.setUTCDate(result.getUTCDate() - 1);
  return result;
}

/** The acceptance of outside credentials a pathway declares. */
export type AcceptExternal = { mode: 'NONE' } | { mode: 'TRUSTED' } | { mode: 'LIST'; issuers: readonly string[] };

/** What acceptance needs to know about where a credential comes from. */
export interface CredentialOrigin {
  /** Issued (and delivered) by this hub: it counts as soon as it is delivered. */
  local: boolean;
  /** This hub's issuer id, when local. */
  issuerId: string | null;
  /** The issuer's id as the document names it (a DID or URL), for outside credentials. */
  issuerRef: string | null;
  /** The wallet's verification at import said it verifies. */
  verified: boolean;
  /** ... and its issuer is one this hub's operator trusts. */
  trusted: boolean;
}

/** Whether a credential counts toward a pathway with this acceptance policy. */
export function acceptsCredential(policy: AcceptExternal, origin: CredentialOrigin): boolean {
  if (origin.local) return true;
  if (!origin.verified) return false;
  if (policy.mode === 'NONE') return false;
  if (policy.mode === 'TRUSTED') return origin.trusted;
  return policy.issuers.some((issuer) => issuer === origin.issuerRef || (origin.issuerId !== null && issuer === origin.issuerId));
}
