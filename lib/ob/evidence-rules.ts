import { AppError } from '../errors.js';

/**
 * Evidence rules: what an achievement requires before a credential for it may be issued. Shared by the
 * achievements subgraph (which checks rules when they are defined) and the issuers subgraph (which checks
 * evidence at issuance, from the AchievementPublished event, without asking the achievements subgraph).
 */

export const EVIDENCE_KINDS = ['ASSESSMENT', 'PROJECT', 'PEER_REVIEW', 'WORK_PRODUCT', 'INSTRUCTOR_EVALUATION', 'ATTENDANCE'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** At least `minCount` pieces of evidence of `kind`. */
export interface EvidenceRule {
  kind: EvidenceKind;
  minCount: number;
}

export interface EvidenceRequirements {
  rules: EvidenceRule[];
  /** Attendance alone never earns a competency-based achievement, whatever the rules say. */
  competencyBased: boolean;
}

/** @default 100 // more pieces of one kind than anyone attaches to one credential */
export const MAX_EVIDENCE_COUNT = 100;

/**
 * Achievement types that certify what someone can do, so they are competency-based unless the issuer says
 * otherwise. Completion, participation and membership types (CertificateOfCompletion, Course, Membership,
 * CommunityService, …) and degrees (awarded under an institution's own rules) are not, and neither are `ext:`
 * types (Cairn cannot know what they mean). An achievement without a type is treated as competency-based:
 * Cairn is a hub for competency-based micro-credentials, so the stricter rule is the default.
 */
export const COMPETENCY_BASED_TYPES: readonly string[] = [
  'ApprenticeshipCertificate',
  'Assessment',
  'Badge',
  'Certificate',
  'Certification',
  'Competency',
  'JourneymanCertificate',
  'License',
  'MasterCertificate',
  'MicroCredential',
];

/** Whether an achievement of this OB achievementType is competency-based when the issuer does not say. */
export function competencyBasedByDefault(achievementType: string | null | undefined): boolean {
  return achievementType == null || COMPETENCY_BASED_TYPES.includes(achievementType);
}

const COMPLETION_IS_NOT_COMPETENCY =
  'completion is not competency: a competency-based achievement needs evidence other than ATTENDANCE (an assessment, a project, a peer review, a work product or an instructor evaluation)';

function isEvidenceKind(value: unknown): value is EvidenceKind {
  return typeof value === 'string' && (EVIDENCE_KINDS as readonly string[]).includes(value);
}

/**
 * Checks evidence rules when an achievement is defined: known kinds, each kind once, whole counts from 1 to
 * MAX_EVIDENCE_COUNT, and, for a competency-based achievement, not ATTENDANCE alone. No rules at all is valid
 * here (a draft in progress); publishing decides whether that is enough. Returns the rules in a stable order.
 */
export function normaliseEvidenceRules(rules: readonly { kind: string; minCount: number }[], competencyBased: boolean): EvidenceRule[] {
  const seen = new Set<string>();
  const normalised = rules.map((rule, index): EvidenceRule => {
    const field = `evidenceRules[${index}]`;
    if (!isEvidenceKind(rule.kind)) {
      throw new AppError('BAD_USER_INPUT', `${field}.kind must be one of ${EVIDENCE_KINDS.join(', ')}`, { field: `${field}.kind` });
    }
    if (seen.has(rule.kind)) {
      throw new AppError('BAD_USER_INPUT', `${rule.kind} appears in more than one evidence rule; give each kind one rule`, {
        field: `${field}.kind`,
      });
    }
    seen.add(rule.kind);
    if (!Number.isInteger(rule.minCount) || rule.minCount < 1 || rule.minCount > MAX_EVIDENCE_COUNT) {
      throw new AppError('BAD_USER_INPUT', `${field}.minCount must be a whole number from 1 to ${MAX_EVIDENCE_COUNT}`, {
        field: `${field}.minCount`,
      });
    }
    return { kind: rule.kind, minCount: rule.minCount };
  });
  if (competencyBased && normalised.length > 0 && normalised.every((rule) => rule.kind === 'ATTENDANCE')) {
    throw new AppError('BAD_USER_INPUT', COMPLETION_IS_NOT_COMPETENCY, { field: 'evidenceRules' });
  }
  return normalised.sort((a, b) => EVIDENCE_KINDS.indexOf(a.kind) - EVIDENCE_KINDS.indexOf(b.kind));
}

/** One unmet requirement. `ANY_EXCEPT_ATTENDANCE` = the competency rule: some evidence that is not attendance. */
export interface MissingEvidence {
  kind: EvidenceKind | 'ANY_EXCEPT_ATTENDANCE';
  required: number;
  provided: number;
}

/**
 * Checks the evidence offered for one credential against an achievement's requirements. Throws
 * AppError('BAD_USER_INPUT', …, { field: 'evidence', missing }) naming every unmet rule, so an issuer fixes
 * everything in one round trip. For a competency-based achievement, evidence made only of ATTENDANCE (or no
 * evidence at all) is refused even when the rules would allow it: completion is not competency.
 */
export function checkEvidence(requirements: EvidenceRequirements, evidence: readonly { kind: string }[]): void {
  const counts = new Map<EvidenceKind, number>();
  evidence.forEach((item, index) => {
    if (!isEvidenceKind(item.kind)) {
      throw new AppError('BAD_USER_INPUT', `evidence[${index}].kind must be one of ${EVIDENCE_KINDS.join(', ')}`, {
        field: `evidence[${index}].kind`,
      });
    }
    counts.set(item.kind, (counts.get(item.kind) ?? 0) + 1);
  });
  const missing: MissingEvidence[] = requirements.rules
    .map((rule) => ({ kind: rule.kind, required: rule.minCount, provided: counts.get(rule.kind) ?? 0 }))
    .filter((entry) => entry.provided < entry.required);
  const competencyEvidence = evidence.length - (counts.get('ATTENDANCE') ?? 0);
  if (requirements.competencyBased && competencyEvidence === 0 && !missing.some((entry) => entry.kind !== 'ATTENDANCE')) {
    // The rules alone did not already ask for something beyond attendance: name the competency rule itself.
    missing.push({ kind: 'ANY_EXCEPT_ATTENDANCE', required: 1, provided: 0 });
  }
  if (missing.length === 0) return;
  const described = missing.map((entry) =>
    entry.kind === 'ANY_EXCEPT_ATTENDANCE' ? COMPLETION_IS_NOT_COMPETENCY : `${entry.kind}: ${entry.provided} of ${entry.required}`,
  );
  throw new AppError('BAD_USER_INPUT', `the evidence does not meet the achievement's rules (${described.join('; ')})`, {
    field: 'evidence',
    missing,
  });
}
