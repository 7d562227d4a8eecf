import { AppError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { httpUrl, requiredText } from '../../../lib/validation.js';
import { REVOCATION_POLICIES, type RevocationPolicy } from './pathway-awards.js';
import type { AcceptExternal } from './pathway-progress.js';
import { isGroup, leavesOf, MAX_WINDOW_MONTHS, normaliseRequirement, walkRequirement, type LeafNode, type RequirementInput, type RequirementNode } from './pathway-requirement.js';

/** @default 200 // as an achievement's name */
const MAX_NAME_LENGTH = 200;
/** @default 10_000 */
const MAX_DESCRIPTION_LENGTH = 10_000;
/** @default 100 // issuers a pathway names as accepted */
const MAX_ACCEPTED_ISSUERS = 100;

export type AcceptExternalMode = AcceptExternal['mode'];

/** A pathway's definition as a client sends it (create: everything; update: what changes). */
export interface PathwayFieldsInput {
  name?: string | null;
  description?: string | null;
  imageUrl?: string | null;
  requirement?: RequirementInput | null;
  award?: { achievementId: string } | null;
  acceptExternal?: { mode: AcceptExternalMode; issuers?: readonly string[] | null } | null;
  revocationPolicy?: RevocationPolicy | null;
  windowMonths?: number | null;
}

export interface PathwayDefinition {
  name: string;
  description: string;
  imageUrl: string | null;
  requirement: RequirementNode;
  awardAchievementId: string;
  acceptExternal: AcceptExternal;
  revocationPolicy: RevocationPolicy;
  windowMonths: number | null;
}

function invalid(field: string, message: string): never {
  throw new AppError('BAD_USER_INPUT', message, { field });
}

function normaliseAcceptExternal(input: PathwayFieldsInput['acceptExternal']): AcceptExternal {
  if (!input || input.mode === 'NONE') {
    if (input?.issuers?.length) invalid('acceptExternal.issuers', 'Issuers are listed only with mode LIST');
    return { mode: 'NONE' };
  }
  if (input.mode === 'TRUSTED') {
    if (input.issuers?.length) invalid('acceptExternal.issuers', 'Issuers are listed only with mode LIST');
    return { mode: 'TRUSTED' };
  }
  if (input.mode !== 'LIST') invalid('acceptExternal.mode', `Unknown acceptExternal mode ${String(input.mode)}`);
  const issuers = [...new Set((input.issuers ?? []).map((issuer) => issuer.trim()).filter(Boolean))];
  if (issuers.length === 0) invalid('acceptExternal.issuers', 'Mode LIST needs at least one issuer id or DID');
  if (issuers.length > MAX_ACCEPTED_ISSUERS) invalid('acceptExternal.issuers', `At most ${MAX_ACCEPTED_ISSUERS} issuers`);
  for (const issuer of issuers) {
    if (!isUuid(issuer) && !/^did:[a-z0-9]+:.+/.test(issuer) && !/^https?:\/\//.test(issuer)) {
      invalid('acceptExternal.issuers', `${issuer} is neither an issuer id of this hub, a DID nor an http(s) issuer id`);
    }
  }
  return { mode: 'LIST', issuers: issuers.map((issuer) => (isUuid(issuer) ? issuer.toLowerCase() : issuer)) };
}

/** Checks every field that needs no lookup; the requirement's references are checked by the service (`checkRequirementReferences`). */
export function normalisePathwayDefinition(input: PathwayFieldsInput): PathwayDefinition {
  const awardAchievementId = input.award?.achievementId?.trim() ?? '';
  if (!isUuid(awardAchievementId)) invalid('award.achievementId', 'The award is one of this hub’s achievements, named by its id');
  if (!input.requirement) invalid('requirement', 'A pathway needs a requirement');
  const windowMonths = input.windowMonths ?? null;
  if (windowMonths !== null && (!Number.isInteger(windowMonths) || windowMonths < 1 || windowMonths > MAX_WINDOW_MONTHS)) {
    invalid('windowMonths', `windowMonths is a whole number of months from 1 to ${MAX_WINDOW_MONTHS}`);
  }
  const revocationPolicy = input.revocationPolicy ?? 'KEEP';
  if (!REVOCATION_POLICIES.includes(revocationPolicy)) invalid('revocationPolicy', `revocationPolicy is one of ${REVOCATION_POLICIES.join(', ')}`);
  return {
    name: requiredText(input.name ?? '', 'name', MAX_NAME_LENGTH),
    description: requiredText(input.description ?? '', 'description', MAX_DESCRIPTION_LENGTH),
    imageUrl: input.imageUrl ? httpUrl(input.imageUrl, 'imageUrl') : null,
    requirement: normaliseRequirement(input.requirement),
    awardAchievementId: awardAchievementId.toLowerCase(),
    acceptExternal: normaliseAcceptExternal(input.acceptExternal),
    revocationPolicy,
    windowMonths,
  };
}

/** A stored requirement back in input form, so an update that leaves it out keeps it. */
export function requirementToInput(node: RequirementNode): RequirementInput {
  if (isGroup(node)) {
    return { kind: node.kind, label: node.label, n: node.kind === 'N_OF' ? node.n : null, children: node.children.map(requirementToInput), milestoneAchievementId: node.milestoneAchievementId };
  }
  if (node.kind === 'SKILL') return { kind: 'SKILL', label: node.label, skill: { framework: node.framework, code: node.code }, minResult: node.minResult };
  return { kind: 'ACHIEVEMENT', label: node.label, achievement: node.achievementId ?? node.achievementUrl, minResult: node.minResult };
}

/** Update semantics as for achievements: a field left out keeps its value, null clears it; the whole is checked again. */
export function applyPathwayChanges(current: PathwayDefinition, changes: PathwayFieldsInput): PathwayDefinition {
  const pick = <K extends keyof PathwayFieldsInput>(key: K, kept: PathwayFieldsInput[K]): PathwayFieldsInput[K] => (changes[key] === undefined ? kept : changes[key]);
  return normalisePathwayDefinition({
    name: pick('name', current.name),
    description: pick('description', current.description),
    imageUrl: pick('imageUrl', current.imageUrl),
    requirement: pick('requirement', requirementToInput(current.requirement)),
    award: pick('award', { achievementId: current.awardAchievementId }),
    acceptExternal: pick('acceptExternal', current.acceptExternal),
    revocationPolicy: pick('revocationPolicy', current.revocationPolicy),
    windowMonths: pick('windowMonths', current.windowMonths),
  });
}

/** The key a leaf is found by when a credential moves (db `pathway_leaf_keys`). */
export function leafKey(leaf: LeafNode): string {
  if (leaf.kind === 'SKILL') return `S|${leaf.framework}|${leaf.code}`;
  return leaf.achievementId ? `A|${leaf.achievementId}` : `U|${leaf.achievementUrl}`;
}

export const leafKeysOf = (requirement: RequirementNode): string[] => [...new Set(leavesOf(requirement).map(leafKey))];

/** The keys of the leaves a held credential can satisfy. */
export function credentialKeys(credential: { achievementId: string | null; achievementUrl: string | null; skills: readonly string[] }): string[] {
  return [
    ...(credential.achievementId ? [`A|${credential.achievementId}`] : []),
    ...(credential.achievementUrl ? [`U|${credential.achievementUrl}`] : []),
    ...credential.skills.map((skill) => `S|${skill}`),
  ];
}

/** Every milestone award's achievement id, with its group. */
export const milestonesOf = (requirement: RequirementNode) =>
  [...walkRequirement(requirement)].flatMap((node) => (isGroup(node) && node.milestoneAchievementId ? [{ nodeId: node.id, achievementId: node.milestoneAchievementId }] : []));
