/**
 * The elements of the Council Recommendation on micro-credentials (2022/C 243/02, Annex I) that an Open Badges 3.0
 * Achievement lacks or names differently, how complete an achievement is against the mandatory ones, and how they
 * travel inside an OB 3.0 credential. Shared because the achievements subgraph defines them and the issuers subgraph
 * reads them back from the credentials it issued (the EDC export).
 */

/** Annex I "form of participation in the learning activity". */
export const PARTICIPATION_FORMS = ['ONLINE', 'ONSITE', 'BLENDED'] as const;
export type ParticipationForm = (typeof PARTICIPATION_FORMS)[number];

/** One learning outcome, optionally the ESCO skill it stands for (an ESCO concept URI). */
export interface LearningOutcomeDefinition {
  text: string;
  escoSkillUri: string | null;
}

/** The Council's elements that OB has no place for; every one optional until the issuer publishes with the EU profile. */
export interface EuMicroCredentialProfile {
  /** The awarding body's country, as the EU country authority table codes it (ISO 3166-1 alpha-3: DEU, SVN, …). */
  awardingBodyCountry: string | null;
  learningOutcomes: LearningOutcomeDefinition[];
  /** European Qualifications Framework level, 1 to 8. */
  eqfLevel: number | null;
  /** Annex I "type of assessment" (e.g. "Written exam and graded project"). */
  assessmentType: string | null;
  participationForm: ParticipationForm | null;
  /** Annex I "type of quality assurance used to underpin the micro-credential". */
  qualityAssurance: string | null;
  /** Optional element: what a learner needs before enrolling. */
  prerequisites: string | null;
  /** Optional element "integration/stackability options": whether it counts towards a larger credential. */
  stackable: boolean | null;
  /** Which larger credential, and how (free text; Cairn's pathways link the achievements themselves). */
  stackabilityNote: string | null;
}

/**
 * The mandatory elements an issuer sets on the achievement. The learner, title, awarding body and date of issue are
 * mandatory too, but every Cairn credential has them. Workload is complete with ECTS credits (`creditsAvailable`)
 * or hours (`estimatedLearningHours`).
 */
export const EU_MANDATORY_ELEMENTS = [
  'AWARDING_BODY_COUNTRY',
  'LEARNING_OUTCOMES',
  'WORKLOAD',
  'EQF_LEVEL',
  'ASSESSMENT_TYPE',
  'PARTICIPATION_FORM',
  'QUALITY_ASSURANCE',
] as const;
export type EuMandatoryElement = (typeof EU_MANDATORY_ELEMENTS)[number];

export const EMPTY_EU_PROFILE: EuMicroCredentialProfile = {
  awardingBodyCountry: null,
  learningOutcomes: [],
  eqfLevel: null,
  assessmentType: null,
  participationForm: null,
  qualityAssurance: null,
  prerequisites: null,
  stackable: null,
  stackabilityNote: null,
};

/** The mandatory elements an achievement still lacks, in the Recommendation's order; empty = the profile is complete. */
export function missingEuElements(definition: {
  euProfile?: EuMicroCredentialProfile | null;
  creditsAvailable: number | null;
  estimatedLearningHours: number | null;
}): EuMandatoryElement[] {
  const profile = definition.euProfile ?? EMPTY_EU_PROFILE;
  const present: Record<EuMandatoryElement, boolean> = {
    AWARDING_BODY_COUNTRY: profile.awardingBodyCountry !== null,
    LEARNING_OUTCOMES: profile.learningOutcomes.length > 0,
    WORKLOAD: definition.creditsAvailable !== null || definition.estimatedLearningHours !== null,
    EQF_LEVEL: profile.eqfLevel !== null,
    ASSESSMENT_TYPE: profile.assessmentType !== null,
    PARTICIPATION_FORM: profile.participationForm !== null,
    QUALITY_ASSURANCE: profile.qualityAssurance !== null,
  };
  return EU_MANDATORY_ELEMENTS.filter((element) => !present[element]);
}

/**
 * The OB 3.0 extension that carries the elements OB has no property for, on the Achievement. Its terms are in no
 * published context, and the OB context's protected Achievement scope admits no undefined term, so the Achievement
 * carries a small embedded context ({@link EU_EXTENSION_CONTEXT}) that maps them to the VC 2.0 issuer-dependent
 * namespace, the W3C's own namespace for terms an issuer defines (docs/decisions.md, issue 17).
 */
export interface ObEuMicroCredentialExtension {
  type: ['EuMicroCredentialExtension'];
  awardingBodyCountry?: string;
  learningOutcome?: { description: string; relatedESCOSkill?: string }[];
  workloadInHours?: number;
  eqfLevel?: number;
  assessmentType?: string;
  participationForm?: ParticipationForm;
  qualityAssurance?: string;
  prerequisites?: string;
  stackable?: boolean;
  stackabilityNote?: string;
}

/** The achievement property that holds the extension. */
export const EU_EXTENSION_PROPERTY = 'euMicroCredential';

/** The embedded `@context` an Achievement with the extension carries (JSON-LD 1.1: new terms, none redefined). */
export const EU_EXTENSION_CONTEXT = {
  [EU_EXTENSION_PROPERTY]: {
    '@id': 'https://www.w3.org/ns/credentials/issuer-dependent#euMicroCredential',
    '@context': { '@vocab': 'https://www.w3.org/ns/credentials/issuer-dependent#' },
  },
} as const;

export function toObEuExtension(profile: EuMicroCredentialProfile, estimatedLearningHours: number | null): ObEuMicroCredentialExtension {
  const entries = {
    awardingBodyCountry: profile.awardingBodyCountry,
    learningOutcome:
      profile.learningOutcomes.length > 0
        ? profile.learningOutcomes.map((outcome) => ({
            description: outcome.text,
            ...(outcome.escoSkillUri ? { relatedESCOSkill: outcome.escoSkillUri } : {}),
          }))
        : null,
    workloadInHours: estimatedLearningHours,
    eqfLevel: profile.eqfLevel,
    assessmentType: profile.assessmentType,
    participationForm: profile.participationForm,
    qualityAssurance: profile.qualityAssurance,
    prerequisites: profile.prerequisites,
    stackable: profile.stackable,
    stackabilityNote: profile.stackabilityNote,
  };
  const present = Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== null));
  return { type: ['EuMicroCredentialExtension'], ...present };
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * The profile back from an OB Achievement as a credential embeds it (any issuer's: every value is checked for its
 * type, and what does not fit is left out rather than trusted). Null when the achievement has no extension.
 */
export function readObEuExtension(achievement: Record<string, unknown>): (EuMicroCredentialProfile & { workloadInHours: number | null }) | null {
  const raw = achievement[EU_EXTENSION_PROPERTY];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const extension = raw as Record<string, unknown>;
  const outcomes = Array.isArray(extension.learningOutcome) ? extension.learningOutcome : [];
  const form = extension.participationForm;
  return {
    awardingBodyCountry: text(extension.awardingBodyCountry),
    learningOutcomes: outcomes.flatMap((outcome) => {
      const entry = outcome && typeof outcome === 'object' ? (outcome as Record<string, unknown>) : {};
      const description = text(entry.description);
      return description ? [{ text: description, escoSkillUri: text(entry.relatedESCOSkill) }] : [];
    }),
    eqfLevel: finite(extension.eqfLevel),
    assessmentType: text(extension.assessmentType),
    participationForm: PARTICIPATION_FORMS.includes(form as ParticipationForm) ? (form as ParticipationForm) : null,
    qualityAssurance: text(extension.qualityAssurance),
    prerequisites: text(extension.prerequisites),
    stackable: typeof extension.stackable === 'boolean' ? extension.stackable : null,
    stackabilityNote: text(extension.stackabilityNote),
    workloadInHours: finite(extension.workloadInHours),
  };
}

/** ESCO concept URIs are http URIs under data.europa.eu/esco/ (skills and knowledge concepts alike). */
export const ESCO_URI_PATTERN = /^http:\/\/data\.europa\.eu\/esco\/[a-z-]+\/[A-Za-z0-9-]+$/;
