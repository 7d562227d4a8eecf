import type { EvidenceRule } from './evidence-rules.js';
import { EU_EXTENSION_CONTEXT, EU_EXTENSION_PROPERTY, toObEuExtension, type EuMicroCredentialProfile, type ObEuMicroCredentialExtension } from './eu-microcredential.js';

/**
 * An achievement definition as Cairn stores one version of it, and its Open Badges 3.0 form. The issuers
 * subgraph embeds `toObAchievement(...)` in credentials, so the conversion lives here, not in a subgraph.
 */

export const SKILL_FRAMEWORKS = ['ESCO', 'ONET', 'LIGHTCAST', 'CUSTOM'] as const;
export type SkillFramework = (typeof SKILL_FRAMEWORKS)[number];

/** How each framework is named in an OB Alignment's `targetFramework`; custom skills name none. */
const FRAMEWORK_NAMES: Record<SkillFramework, string | null> = {
  ESCO: 'ESCO',
  ONET: 'O*NET',
  LIGHTCAST: 'Lightcast Open Skills',
  CUSTOM: null,
};

export interface AlignmentDefinition {
  targetName: string;
  targetUrl: string;
  targetCode: string | null;
  targetDescription: string | null;
  targetFramework: string | null;
  /** An OB AlignmentTargetType or `ext:Name`. */
  targetType: string | null;
}

/** A skill from a framework; in OB terms an alignment to a competency (impl/recommended-practices "Skills"). */
export interface SkillDefinition {
  framework: SkillFramework;
  code: string;
  name: string;
  url: string;
}

export interface ResultDescriptionDefinition {
  /** A URI; credentials' results point at it. */
  id: string;
  name: string;
  /** An OB ResultType or `ext:Name`. */
  resultType: string;
  allowedValues: string[];
  requiredValue: string | null;
  valueMin: string | null;
  valueMax: string | null;
}

/** One version of an achievement, as defined by its issuer. Optional values are null, lists are empty. */
export interface AchievementDefinition {
  version: number;
  name: string;
  description: string;
  criteria: { narrative: string | null; url: string | null };
  image: { url: string; caption: string | null } | null;
  /** An OB AchievementType or `ext:Name`. */
  achievementType: string | null;
  alignments: AlignmentDefinition[];
  skills: SkillDefinition[];
  tags: string[];
  /** BCP 47, in the form the OB schema accepts (language, optional script, optional region). */
  language: string | null;
  creditsAvailable: number | null;
  estimatedLearningHours: number | null;
  /** ISO 8601 duration: credentials expire this long after they are issued; null = they do not expire. */
  validity: string | null;
  resultDescriptions: ResultDescriptionDefinition[];
  evidenceRules: EvidenceRule[];
  competencyBased: boolean;
  /** The Council Recommendation's micro-credential elements; null (or absent, in older payloads) = none set. */
  euProfile?: EuMicroCredentialProfile | null;
}

export interface ObImage {
  id: string;
  type: 'Image';
  caption?: string;
}

export interface ObAlignment {
  type: ['Alignment'];
  targetName: string;
  targetUrl: string;
  targetCode?: string;
  targetDescription?: string;
  targetFramework?: string;
  targetType?: string;
}

export interface ObResultDescription {
  id: string;
  type: ['ResultDescription'];
  name: string;
  resultType: string;
  allowedValue?: string[];
  requiredValue?: string;
  valueMin?: string;
  valueMax?: string;
}

/** An OB 3.0 Achievement in plain-JSON form: arrays for every multi-valued property, no nulls, no empty arrays. */
export interface ObAchievement {
  /** Only with the EU micro-credential extension: the context that defines its terms. */
  '@context'?: typeof EU_EXTENSION_CONTEXT;
  id: string;
  type: ['Achievement'];
  name: string;
  description: string;
  criteria: { id?: string; narrative?: string };
  image?: ObImage;
  achievementType?: string;
  alignment?: ObAlignment[];
  tag?: string[];
  inLanguage?: string;
  creditsAvailable?: number;
  resultDescription?: ObResultDescription[];
  version?: string;
  [EU_EXTENSION_PROPERTY]?: ObEuMicroCredentialExtension;
}

/**
 * The OB `id` of one version of an achievement: `${publicBaseUrl}/achievements/${id}/versions/${version}`.
 * Each version gets its own, because credentials embed a version and a published version never changes.
 */
export function achievementUri(publicBaseUrl: string, achievementId: string, version: number): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/achievements/${achievementId}/versions/${version}`;
}

/** Copies the properties whose value is present: the plain-JSON serialization omits nulls (serialization.md). */
function present<T extends Record<string, unknown>>(entries: T): { [K in keyof T]?: Exclude<T[K], null | undefined> } {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== null && value !== undefined)) as never;
}

/** A list, or nothing: the plain-JSON serialization omits empty arrays too. */
const nonEmpty = <T>(list: T[]): T[] | undefined => (list.length > 0 ? list : undefined);

function obAlignment(alignment: AlignmentDefinition): ObAlignment {
  return { type: ['Alignment'], ...present({ ...alignment }) } as ObAlignment;
}

/** An ESCO skill a learning outcome stands for, as OB expresses skills: an alignment to a competency. */
function outcomeAlignment(outcome: { text: string; escoSkillUri: string }): ObAlignment {
  return obAlignment({
    targetName: outcome.text.length > 200 ? `${outcome.text.slice(0, 199)}…` : outcome.text,
    targetUrl: outcome.escoSkillUri,
    targetCode: outcome.escoSkillUri,
    targetDescription: null,
    targetFramework: FRAMEWORK_NAMES.ESCO,
    targetType: 'ceasn:Competency',
  });
}

function skillAlignment(skill: SkillDefinition): ObAlignment {
  return obAlignment({
    targetName: skill.name,
    targetUrl: skill.url,
    targetCode: skill.code,
    targetDescription: null,
    targetFramework: FRAMEWORK_NAMES[skill.framework],
    targetType: 'ceasn:Competency',
  });
}

/**
 * The OB 3.0 Achievement for one version of a definition, ready to embed in a credential's
 * `credentialSubject.achievement`. Skills become alignments to competencies (`targetType: ceasn:Competency`)
 * after the issuer's own alignments, then learning outcomes' ESCO skills not already among them. Cairn-only rules
 * (evidence, validity) have no OB property and are left out; the EU micro-credential elements OB lacks (hours among
 * them) ride in the `euMicroCredential` extension; `version` is the version number as a string.
 */
export function toObAchievement(definition: AchievementDefinition, options: { id: string }): ObAchievement {
  return {
    ...(definition.euProfile ? { '@context': EU_EXTENSION_CONTEXT } : {}),
    id: options.id,
    type: ['Achievement'],
    name: definition.name,
    description: definition.description,
    criteria: present({ id: definition.criteria.url, narrative: definition.criteria.narrative }),
    ...present({
      image: definition.image ? { id: definition.image.url, type: 'Image' as const, ...present({ caption: definition.image.caption }) } : null,
      achievementType: definition.achievementType,
      alignment: nonEmpty([
        ...definition.alignments.map(obAlignment),
        ...definition.skills.map(skillAlignment),
        ...escoOutcomesNotInSkills(definition).map(outcomeAlignment),
      ]),
      tag: nonEmpty([...definition.tags]),
      inLanguage: definition.language,
      creditsAvailable: definition.creditsAvailable,
      resultDescription: nonEmpty(
        definition.resultDescriptions.map(
          (result): ObResultDescription => ({
            id: result.id,
            type: ['ResultDescription'],
            name: result.name,
            resultType: result.resultType,
            ...present({
              allowedValue: nonEmpty([...result.allowedValues]),
              requiredValue: result.requiredValue,
              valueMin: result.valueMin,
              valueMax: result.valueMax,
            }),
          }),
        ),
      ),
      version: String(definition.version),
      [EU_EXTENSION_PROPERTY]: definition.euProfile ? toObEuExtension(definition.euProfile, definition.estimatedLearningHours) : null,
    }),
  };
}

/** Learning outcomes' ESCO skills that the skills list does not already align to (one alignment per ESCO URI). */
function escoOutcomesNotInSkills(definition: AchievementDefinition): { text: string; escoSkillUri: string }[] {
  const aligned = new Set(definition.skills.map((skill) => skill.url));
  const outcomes: { text: string; escoSkillUri: string }[] = [];
  for (const outcome of definition.euProfile?.learningOutcomes ?? []) {
    if (!outcome.escoSkillUri || aligned.has(outcome.escoSkillUri)) continue;
    aligned.add(outcome.escoSkillUri);
    outcomes.push({ text: outcome.text, escoSkillUri: outcome.escoSkillUri });
  }
  return outcomes;
}
