import { dateTimeZ } from './credential.js';

/**
 * A CLR 2.0 ClrCredential for a completed pathway (standards.md §b): the member credentials whole, each with its own
 * proof, in `verifiableCredential[]`; the pathway's award achievement and the members' achievements in `achievement[]`;
 * `isPartOf` from each member achievement to the award's, and `precedes` between consecutive SEQUENCE elements.
 */
export const CLR_CONTEXTS = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
] as const;

export interface ClrParts {
  clrId: string;
  name: string;
  issuerProfile: Record<string, unknown>;
  /** How the subject is identified (the same shape as an OB AchievementSubject's: `id` or hashed `identifier`). */
  subject: Record<string, unknown>;
  validFrom: Date;
  /** The award's OB Achievement (the parent). */
  awardAchievement: Record<string, unknown>;
  /** The signed member credentials, as held. */
  members: readonly Record<string, unknown>[];
  precedes: readonly { sourceId: string; targetId: string }[];
  credentialStatus: Record<string, unknown>;
}

const achievementOf = (credential: Record<string, unknown>): Record<string, unknown> | null => {
  const subject = credential.credentialSubject;
  const first = (Array.isArray(subject) ? subject[0] : subject) as Record<string, unknown> | undefined;
  const achievement = first?.achievement;
  return achievement && typeof achievement === 'object' && !Array.isArray(achievement) ? (achievement as Record<string, unknown>) : null;
};

export function buildClrCredential(parts: ClrParts): Record<string, unknown> {
  const awardId = String(parts.awardAchievement.id);
  const memberAchievements = new Map<string, Record<string, unknown>>();
  for (const member of parts.members) {
    const achievement = achievementOf(member);
    if (achievement && typeof achievement.id === 'string') memberAchievements.set(achievement.id, achievement);
  }
  const associations = [
    ...[...memberAchievements.keys()].map((sourceId) => ({ type: 'Association', associationType: 'isPartOf', sourceId, targetId: awardId })),
    ...parts.precedes.map(({ sourceId, targetId }) => ({ type: 'Association', associationType: 'precedes', sourceId, targetId })),
  ];
  return {
    '@context': [...CLR_CONTEXTS],
    id: `urn:uuid:${parts.clrId}`,
    type: ['VerifiableCredential', 'ClrCredential'],
    name: parts.name,
    issuer: parts.issuerProfile,
    validFrom: dateTimeZ(parts.validFrom),
    credentialSubject: {
      type: ['ClrSubject'],
      ...parts.subject,
      verifiableCredential: [...parts.members],
      achievement: [parts.awardAchievement, ...memberAchievements.values()],
      association: associations,
    },
    credentialStatus: parts.credentialStatus,
  };
}
