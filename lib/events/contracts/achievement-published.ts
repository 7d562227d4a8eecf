import { z } from 'zod';
import { achievementUri, toObAchievement, type AchievementDefinition, type ObAchievement } from '../../ob/achievement.js';
import { parseDuration } from '../../ob/duration.js';
import { EVIDENCE_KINDS, MAX_EVIDENCE_COUNT, type EvidenceRule } from '../../ob/evidence-rules.js';
import { EventType } from '../types.js';
import { defineEventContract, uuid } from './contract.js';

/**
 * The payload of `EventType.ACHIEVEMENT_PUBLISHED` (contract): everything the issuers subgraph needs to issue
 * credentials for one published version, so it never has to query the achievements subgraph or its tables.
 * A newer published version of the same achievement supersedes the older one for new issuance; every version
 * stays valid for the credentials that embed it.
 */
export type AchievementPublishedPayload = {
  achievementId: string;
  issuerId: string;
  version: number;
  /** The OB 3.0 Achievement to embed in `credentialSubject.achievement` (arrays everywhere, no nulls). */
  achievement: ObAchievement;
  /** Checked with `checkEvidence` before issuing. */
  evidenceRules: EvidenceRule[];
  competencyBased: boolean;
  /** ISO 8601 duration: `validUntil` = issue date + validity (`addDuration`); null = credentials do not expire. */
  validity: string | null;
  /** The achievement's image, e.g. to bake credentials into; null when it has none. */
  imageUrl: string | null;
};

/** Builds the payload for one version (the achievements subgraph calls this when it publishes). */
export function achievementPublishedPayload(input: {
  achievementId: string;
  issuerId: string;
  definition: AchievementDefinition;
  publicBaseUrl: string;
}): AchievementPublishedPayload {
  const { achievementId, issuerId, definition } = input;
  return {
    achievementId,
    issuerId,
    version: definition.version,
    achievement: toObAchievement(definition, { id: achievementUri(input.publicBaseUrl, achievementId, definition.version) }),
    evidenceRules: definition.evidenceRules.map((rule) => ({ ...rule })),
    competencyBased: definition.competencyBased,
    validity: definition.validity,
    imageUrl: definition.image?.url ?? null,
  };
}

const payloadSchema = z.object({
  achievementId: uuid,
  issuerId: uuid,
  version: z.number().int().min(1),
  // Checked only as far as issuing relies on it; the rest was validated when the version was defined.
  achievement: z.looseObject({
    id: z.string().min(1),
    type: z.array(z.string()).refine((types) => types.includes('Achievement'), 'must include "Achievement"'),
    name: z.string().min(1),
    description: z.string().min(1),
    criteria: z.looseObject({}),
  }),
  evidenceRules: z.array(z.object({ kind: z.enum(EVIDENCE_KINDS), minCount: z.number().int().min(1).max(MAX_EVIDENCE_COUNT) })),
  competencyBased: z.boolean(),
  validity: z
    .string()
    .refine((value) => {
      try {
        parseDuration(value);
        return true;
      } catch {
        return false;
      }
    }, 'not an ISO 8601 duration')
    .nullable(),
  imageUrl: z.string().min(1).nullable(),
});

/**
 * Everything the issuers subgraph needs to issue credentials for one published version. The schema checks as much as
 * issuing relies on (the rest was validated when the version was defined), so the payload's type is the precise
 * `AchievementPublishedPayload` rather than what the schema infers.
 */
export const achievementPublishedEvent = defineEventContract({
  type: EventType.ACHIEVEMENT_PUBLISHED,
  version: 1,
  schema: payloadSchema as unknown as z.ZodType<AchievementPublishedPayload, AchievementPublishedPayload>,
  scope: (p) => ({ issuerId: p.issuerId }),
});
