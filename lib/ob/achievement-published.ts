import { z } from 'zod';
import { isUuid } from '../ids.js';
import { achievementUri, toObAchievement, type AchievementDefinition, type ObAchievement } from './achievement.js';
import { parseDuration } from './duration.js';
import { EVIDENCE_KINDS, MAX_EVIDENCE_COUNT, type EvidenceRule } from './evidence-rules.js';

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

const uuid = z.string().refine(isUuid, 'not a UUID');

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
 * Reads an AchievementPublished payload at the consumer's boundary. Returns a problem instead of throwing, so
 * a projection can log and skip one malformed event rather than stall on it.
 */
export function readAchievementPublished(payload: unknown): { payload: AchievementPublishedPayload } | { problem: string } {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) return { problem: z.prettifyError(parsed.error) };
  // Checked as far as issuing relies on it (see payloadSchema); the rest is trusted as the publisher wrote it.
  return { payload: parsed.data as unknown as AchievementPublishedPayload };
}
