import { ESCO_URI_PATTERN } from '../../../lib/ob/eu-microcredential.js';
import { EVIDENCE_KINDS, type EvidenceKind } from '../../../lib/ob/evidence-rules.js';

/**
 * What a credential itself says about skills and evidence. Skills are read from the signed document, not from the
 * achievement's current definition: the document is what the issuer signed (a later achievement version may align
 * other skills), and credentials imported from elsewhere carry their alignments the same way. Cairn writes a skill
 * as an OB Alignment with `targetType: ceasn:Competency`, `targetFramework` (ESCO, O*NET, Lightcast Open Skills;
 * none for custom skills) and `targetCode` (lib/ob/achievement.ts). A European Digital Credential states its skills
 * as learning outcomes with `relatedESCOSkill`: the same ESCO URI is the same skill in both.
 */
export interface CredentialSkill {
  /** ESCO, ONET, LIGHTCAST or CUSTOM for the frameworks Cairn knows; otherwise the framework name as stated. */
  framework: string;
  /** The code in its framework (targetCode, else the alignment's targetUrl: ESCO codes are concept URIs). */
  code: string;
  name: string;
  url: string | null;
}

/** Framework names as credentials spell them (Cairn's own and common variants) → the SkillFramework codes. */
const FRAMEWORK_CODES: Record<string, string> = {
  esco: 'ESCO',
  'o*net': 'ONET',
  onet: 'ONET',
  'o*net-soc': 'ONET',
  lightcast: 'LIGHTCAST',
  'lightcast open skills': 'LIGHTCAST',
  emsi: 'LIGHTCAST',
};

/** Alignment target types that denote a competency (OB AlignmentTargetType): the others align to credentials or rubrics. */
const COMPETENCY_TARGET_TYPES = new Set(['ceasn:competency', 'cfitem']);

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : []);
const record = (value: unknown): Record<string, unknown> | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null);

/** The achievement (OB 3.0 credentialSubject.achievement) or badge class (OB 2.0 `badge`, when embedded) of a document. */
function achievementOf(document: Record<string, unknown>): Record<string, unknown> | null {
  const subject = list(document.credentialSubject).map(record)[0];
  return record(subject?.achievement) ?? record(document.badge);
}

function frameworkCode(framework: string | null): string {
  if (!framework) return 'CUSTOM';
  return FRAMEWORK_CODES[framework.toLowerCase()] ?? framework;
}

/** The skills a credential's document aligns to, once each by framework + code, in the document's order. */
export function skillsOfDocument(document: Record<string, unknown>): CredentialSkill[] {
  const achievement = achievementOf(document);
  return skillsOfAlignments(achievement ? list(achievement.alignment) : learningOutcomesOf(document));
}

/** A European Digital Credential's learning outcomes, wherever its claims nest them (as `skillAlignments` finds them). */
function learningOutcomesOf(document: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 32) return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, depth + 1));
    const node = record(value);
    if (!node) return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'learningOutcome') found.push(...list(child));
      else visit(child, depth + 1);
    }
  };
  for (const subject of list(document.credentialSubject)) visit(record(subject)?.hasClaim, 0);
  return found;
}


/** The first text of an ELM language map ({ "en": "…" }), English first. */
function languageText(value: unknown): string | null {
  const map = record(value);
  if (!map) return text(value);
  return text(map.en) ?? Object.values(map).map(text).find((entry) => entry !== null) ?? null;
}

/** The ESCO skills of an ELM LearningOutcome (`relatedESCOSkill`: concepts, or their URIs). */
function skillsOfLearningOutcome(outcome: Record<string, unknown>): CredentialSkill[] {
  return list(outcome.relatedESCOSkill).flatMap((entry) => {
    const concept = record(entry);
    const uri = text(concept ? concept.id : entry);
    if (!uri || !ESCO_URI_PATTERN.test(uri)) return [];
    return [{ framework: 'ESCO', code: uri, name: languageText(concept?.prefLabel) ?? languageText(outcome.title) ?? uri, url: uri }];
  });
}

/**
 * The skills among a document's alignments (its achievement's, else its OB 2.0 badge's), as `skillsOfDocument`
 * finds them; the wallet keeps these alignments beside each document, so views of many credentials start here.
 */
export function skillsOfAlignments(alignments: readonly unknown[]): CredentialSkill[] {
  const skills = new Map<string, CredentialSkill>();
  const add = (skill: CredentialSkill) => skills.set(skillKey(skill), skills.get(skillKey(skill)) ?? skill);
  for (const entry of alignments.flatMap((item) => (Array.isArray(item) ? item : [item]))) {
    const alignment = record(entry);
    if (!alignment) continue;
    if (alignment.relatedESCOSkill !== undefined || alignment.type === 'LearningOutcome') {
      skillsOfLearningOutcome(alignment).forEach(add);
      continue;
    }
    const targetType = text(alignment.targetType)?.toLowerCase() ?? null;
    const stated = text(alignment.targetFramework);
    const known = stated !== null && FRAMEWORK_CODES[stated.toLowerCase()] !== undefined;
    // An alignment is a skill when it says it aligns to a competency, or names a skill framework Cairn knows.
    if (!(targetType !== null && COMPETENCY_TARGET_TYPES.has(targetType)) && !known) continue;
    const framework = frameworkCode(stated);
    const escoUri = [text(alignment.targetUrl), text(alignment.targetCode)].find((value) => value !== null && ESCO_URI_PATTERN.test(value));
    // An ESCO skill is keyed by its concept URI, so OB alignments and EDC learning outcomes to it stack as one.
    const code = (framework === 'ESCO' ? escoUri : null) ?? text(alignment.targetCode) ?? text(alignment.targetUrl);
    const name = text(alignment.targetName) ?? code;
    if (!code || !name) continue;
    add({ framework, code, name, url: text(alignment.targetUrl) });
  }
  return [...skills.values()];
}

/** How skills stack across issuers: the same framework and code is the same skill, whoever awarded it. */
export function skillKey(skill: { framework: string; code: string }): string {
  return `${skill.framework}|${skill.code}`;
}

/**
 * Evidence kinds, strongest first: an assessed performance, then work someone produced and others can inspect,
 * then judgements about it, then presence. OTHER is evidence of a kind Cairn cannot tell; NONE is no evidence at all.
 */
export const EVIDENCE_STRENGTH: readonly (EvidenceKind | 'OTHER' | 'NONE')[] = [
  'ASSESSMENT',
  'PROJECT',
  'WORK_PRODUCT',
  'INSTRUCTOR_EVALUATION',
  'PEER_REVIEW',
  'ATTENDANCE',
  'OTHER',
  'NONE',
];
export type EvidenceStrength = (typeof EVIDENCE_STRENGTH)[number];

/** The kind of one OB Evidence entry: Cairn writes it as the `genre` ("peer review"); other issuers often do too. */
function evidenceKindOf(entry: unknown): EvidenceStrength {
  const genre = text(record(entry)?.genre)?.toUpperCase().replace(/[\s-]+/g, '_');
  return genre && (EVIDENCE_KINDS as readonly string[]).includes(genre) ? (genre as EvidenceKind) : 'OTHER';
}

/** The strongest evidence a credential's document carries (OB 3.0 and OB 2.0 both name it `evidence`). */
export function strongestEvidenceOf(document: Record<string, unknown>): EvidenceStrength {
  return strongest(list(document.evidence).map(evidenceKindOf));
}

/**
 * `strongestEvidenceOf` from what the wallet keeps beside each document: the genres its evidence entries state and
 * how many entries there are (an entry without a genre is evidence of a kind Cairn cannot tell).
 */
export function strongestEvidenceOfGenres(genres: readonly unknown[], entries: number): EvidenceStrength {
  const kinds = genres.map((genre) => evidenceKindOf({ genre }));
  return strongest(entries > genres.length ? [...kinds, 'OTHER'] : kinds);
}

export function strongest(kinds: readonly EvidenceStrength[]): EvidenceStrength {
  let best: EvidenceStrength = 'NONE';
  for (const kind of kinds) if (EVIDENCE_STRENGTH.indexOf(kind) < EVIDENCE_STRENGTH.indexOf(best)) best = kind;
  return best;
}

/** A wallet credential as stacking needs it: what the wallet keeps beside its document (see `skillAlignments`). */
export interface StackableCredential {
  id: string;
  skillAlignments: readonly unknown[];
  evidenceGenres: readonly unknown[];
  evidenceCount: number;
  /** validFrom, or when it entered the wallet for credentials without one. */
  earnedAt: Date;
}

/** A completed pathway as a view shows it: its award credential(s) and the member credentials that satisfied it. */
export interface ShownPathway {
  pathwayId: string;
  name: string;
  credentialIds: ReadonlySet<string>;
}

/** A pathway the recipient completed, as PathwayCompleted told it (one per version completed). */
export interface CompletedPathway {
  pathwayId: string;
  version: number;
  pathwayName: string;
  awardAchievementId: string;
  memberCredentialIds: readonly string[];
}

/**
 * The completed pathways a view shows: those whose award credential it shows (the award is what proves the
 * completion: a view without it reveals none), each with the award and the shown credentials that satisfied it, over
 * every version the recipient completed (named as the latest of them).
 */
export function shownPathways(completions: readonly CompletedPathway[], shown: readonly { id: string; achievementId: string | null }[]): ShownPathway[] {
  const byPathway = new Map<string, CompletedPathway[]>();
  for (const completion of completions) byPathway.set(completion.pathwayId, [...(byPathway.get(completion.pathwayId) ?? []), completion]);
  const shownIds = new Set(shown.map((row) => row.id));
  return [...byPathway].flatMap(([pathwayId, versions]) => {
    const awards = new Set(versions.map((version) => version.awardAchievementId));
    const awardIds = shown.filter((row) => row.achievementId !== null && awards.has(row.achievementId)).map((row) => row.id);
    if (awardIds.length === 0) return [];
    const members = versions.flatMap((version) => version.memberCredentialIds).filter((id) => shownIds.has(id));
    const latest = versions.reduce((a, b) => (b.version > a.version ? b : a));
    return [{ pathwayId, name: latest.pathwayName, credentialIds: new Set([...awardIds, ...members]) }];
  });
}

/** One skill across every credential that evidences it. */
export interface StackedSkillView {
  /** Stable within a candidate: `framework|code`. */
  key: string;
  framework: string;
  code: string;
  /** The name the most recent credential gives it. */
  name: string;
  url: string | null;
  credentialIds: string[];
  /** The completed pathways among its credentials: each counts once in `sourceCount`, however many of its credentials align it. */
  pathways: { pathwayId: string; name: string }[];
  /** Independent sources: each credential outside the shown completed pathways, plus each such pathway once. */
  sourceCount: number;
  strongestEvidence: EvidenceStrength;
  mostRecentAt: Date;
}

/**
 * Skills aggregated across credentials and issuers by framework + code, from the most independent sources (a completed
 * pathway counts once, see `shownPathways`) to the fewest, then by credentials and code, so the order is stable.
 * Each lists its credentials newest first.
 */
export function stackSkills(credentials: readonly StackableCredential[], pathways: readonly ShownPathway[] = []): StackedSkillView[] {
  const stacks = new Map<string, Omit<StackedSkillView, 'pathways' | 'sourceCount'> & { evidence: EvidenceStrength[] }>();
  const newestFirst = [...credentials].sort((a, b) => b.earnedAt.getTime() - a.earnedAt.getTime() || a.id.localeCompare(b.id));
  for (const credential of newestFirst) {
    const evidence = strongestEvidenceOfGenres(credential.evidenceGenres, credential.evidenceCount);
    for (const skill of skillsOfAlignments(credential.skillAlignments)) {
      const key = skillKey(skill);
      const stack = stacks.get(key);
      if (stack) {
        stack.credentialIds.push(credential.id);
        stack.evidence.push(evidence);
        continue;
      }
      stacks.set(key, { key, ...skill, credentialIds: [credential.id], evidence: [evidence], strongestEvidence: 'NONE', mostRecentAt: credential.earnedAt });
    }
  }
  return [...stacks.values()]
    .map(({ evidence, ...stack }) => {
      const within = pathways.filter((pathway) => stack.credentialIds.some((id) => pathway.credentialIds.has(id)));
      const outside = stack.credentialIds.filter((id) => !within.some((pathway) => pathway.credentialIds.has(id)));
      return { ...stack, strongestEvidence: strongest(evidence), pathways: within.map(({ pathwayId, name }) => ({ pathwayId, name })), sourceCount: outside.length + within.length };
    })
    .sort((a, b) => b.sourceCount - a.sourceCount || b.credentialIds.length - a.credentialIds.length || a.key.localeCompare(b.key));
}
