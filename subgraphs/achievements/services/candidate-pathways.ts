import type { PathwayStore } from '../db/pathway-store.js';
import type { ProgressStore } from '../db/progress-store.js';
import type { HeldCredentialRow, PathwayView } from '../db/pathway-tables.js';
import type { AwardStanding } from '../domain/pathway-awards.js';
import { evaluatePathway, type PathwayProgress } from '../domain/pathway-progress.js';
import { toHeld } from './pathway-progress.js';

export interface CandidatePathway {
  pathway: PathwayView;
  progress: PathwayProgress;
  /** The award credential, when the view shows it, and its standing under the revocation policy. */
  awardCredentialId: string | null;
  awardStanding: AwardStanding | null;
  /** The CLR of the award, when the view shows it. */
  clrCredentialId: string | null;
}

const isClrFor = (row: HeldCredentialRow, awardAchievementUrl: string | null): boolean => {
  const document = row.document ?? {};
  const types = Array.isArray(document.type) ? document.type : [document.type];
  const achievements = (document.credentialSubject as { achievement?: unknown } | undefined)?.achievement;
  const parent = Array.isArray(achievements) ? (achievements[0] as { id?: unknown } | undefined)?.id : undefined;
  return types.includes('ClrCredential') && awardAchievementUrl !== null && parent === awardAchievementUrl;
};

/**
 * What an employer sees of a candidate's pathways: progress computed from the credentials the share or consent shows,
 * and nothing else (a pathway none of the shown credentials belongs to is not listed), the award and its standing
 * when the award itself is shown, and the CLR when it is shown.
 */
export function createCandidatePathways({ progress, pathways }: { progress: ProgressStore; pathways: PathwayStore }) {
  return {
    async forView(recipientId: string, visibleCredentialIds: readonly string[], now = new Date()): Promise<CandidatePathway[]> {
      const rows = await progress.progressForRecipients([recipientId]);
      if (rows.length === 0 || visibleCredentialIds.length === 0) return [];
      const visible = (await progress.heldByIds(visibleCredentialIds)).filter((row) => row.recipientId === recipientId.toLowerCase());
      const versions = new Map((await pathways.versionsOf([...new Set(rows.map((row) => row.pathwayId))])).map((row) => [`${row.id}#${row.version}`, row]));
      const listed: CandidatePathway[] = [];
      for (const row of rows) {
        const pathway = versions.get(`${row.pathwayId}#${row.version}`);
        if (!pathway) continue;
        const result = evaluatePathway({ requirement: pathway.requirement, windowMonths: pathway.windowMonths }, visible.map((held) => toHeld(held, pathway)), now);
        const award = visible.find((held) => held.achievementId === pathway.awardAchievementId) ?? null;
        if (result.root.fraction === 0 && !award) continue;
        const awardRow = row.awards.find((each) => each.nodeId === 'r');
        listed.push({
          pathway,
          progress: result,
          awardCredentialId: award?.credentialId ?? null,
          awardStanding: award ? (awardRow?.standing ?? null) : null,
          clrCredentialId: visible.find((held) => isClrFor(held, award?.achievementUrl ?? null))?.credentialId ?? null,
        });
      }
      return listed;
    },
  };
}

export type CandidatePathways = ReturnType<typeof createCandidatePathways>;
