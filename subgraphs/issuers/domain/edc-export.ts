import { ESCO_URI_PATTERN, missingEuElements, readObEuExtension } from '../../../lib/ob/eu-microcredential.js';
import {
  BASE64,
  ECTS,
  EDC_CONTEXT,
  EDC_CREDENTIAL_SCHEMA,
  GENERIC_PROFILE,
  PARTICIPATION_MODES,
  PNG,
  SCHEMES,
  concept,
  euLanguageCode,
} from '../../../lib/europass/vocabularies.js';

/**
 * An issued Open Badges 3.0 credential as an unsigned European Digital Credential (EDC, ELM 3.x, VC 1.1 envelope),
 * for the institution to seal with its eIDAS seal (Cairn cannot hold one). Built from the signed OB document alone,
 * so it says exactly what the credential says. Everything the export could not fill is a warning, never a guess.
 */

export interface EdcWarning {
  /** Stable: RECIPIENT_NAME_MISSING, ISSUER_LEGAL_IDENTIFIER, ISSUER_COUNTRY_MISSING, EU_ELEMENT_MISSING, … */
  code: string;
  /** The EDC property it is about, e.g. `credentialSubject.fullName`. */
  field: string;
  message: string;
}

export interface EdcExportInput {
  /** The signed OB 3.0 credential, as stored in the ledger. */
  document: Record<string, unknown>;
  /** The ledger id (the OB id is `urn:uuid:<id>`). */
  credentialId: string;
  /** Where the OB credential is served: linked from the EDC so a verifier can read the original. */
  credentialUrl: string;
  issuedAt: Date;
  /** The badge, for the mandatory display; null when none could be had. */
  badgePng: Buffer | null;
  /** The learner's real name as the institution knows it; OB credentials usually carry only a hashed e-mail. */
  recipientName: string | null;
}

export interface EdcExport {
  document: Record<string, unknown>;
  warnings: EdcWarning[];
}

type Json = Record<string, unknown>;

const QUALIFICATION_TYPES = new Set([
  'ApprenticeshipCertificate', 'AssociateDegree', 'BachelorDegree', 'Certificate', 'Certification', 'Degree', 'Diploma', 'DoctoralDegree',
  'GeneralEducationDevelopment', 'JourneymanCertificate', 'License', 'MasterCertificate', 'MasterDegree', 'MicroCredential',
  'ProfessionalDoctorate', 'QualityAssuranceCredential', 'ResearchDoctorate', 'SecondarySchoolDiploma',
]);

const asObject = (value: unknown): Json => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const asText = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** ISO 8601 hours, as ELM's volumeOfLearning wants (PT25H, PT1.5H). */
const hoursDuration = (hours: number) => `PT${Number(hours.toFixed(2))}H`;

/** VC 1.1 and ELM want xsd:dateTime; OB dates already are, a Date is written the same way. */
const dateTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export function buildEdc(input: EdcExportInput): EdcExport {
  const warnings: EdcWarning[] = [];
  const warn = (code: string, field: string, message: string) => warnings.push({ code, field, message });
  const ob = input.document;
  const subject = asObject(ob.credentialSubject);
  const achievement = asObject(subject.achievement);
  const issuer = asObject(ob.issuer);
  const eu = readObEuExtension(achievement);
  const node = (kind: string, index = 1) => `urn:epass:${kind}:${input.credentialId}${index > 1 ? `-${index}` : ''}`;

  // Language of every text: the achievement's, else English (said, because EDC text is always language-tagged).
  const obLanguage = asText(achievement.inLanguage);
  let lang = obLanguage?.split('-')[0]?.toLowerCase() ?? 'en';
  let languageCode = euLanguageCode(lang);
  if (!obLanguage) warn('LANGUAGE_ASSUMED', 'displayParameter.language', 'The achievement names no language: its texts are exported as English.');
  if (!languageCode) {
    warn('LANGUAGE_NOT_EU', 'displayParameter.language', `${obLanguage} is not an official EU language; the display is declared English.`);
    lang = 'en';
    languageCode = 'ENG';
  }
  const text = (value: string) => ({ [lang]: value });
  const language = concept(`${SCHEMES.language}/${languageCode}`, SCHEMES.language);

  // Issuer → Organisation. Its country: the EU profile's awarding body country, else a three-letter OB address country.
  const addressCountry = asText(asObject(issuer.address).addressCountry);
  const country = eu?.awardingBodyCountry ?? (addressCountry && /^[A-Za-z]{3}$/.test(addressCountry) ? addressCountry.toUpperCase() : null);
  const organisationId = asText(issuer.id) ?? node('org');
  const organisation: Json = {
    id: organisationId,
    type: 'Organisation',
    legalName: text(asText(issuer.name) ?? 'Unknown issuer'),
    ...(asText(issuer.url) ? { homepage: { id: node('webResource'), type: 'WebResource', contentURL: issuer.url } } : {}),
    ...(country
      ? {
          location: {
            id: node('location'),
            type: 'Location',
            address: { id: node('address'), type: 'Address', countryCode: concept(`${SCHEMES.country}/${country}`, SCHEMES.country) },
          },
        }
      : {}),
  };
  if (!country) {
    warn('ISSUER_COUNTRY_MISSING', 'issuer.location', 'EDC requires the awarding body’s country: set euProfile.awardingBodyCountry on the achievement (or a three-letter addressCountry on the issuer).');
  }
  warn(
    'ISSUER_LEGAL_IDENTIFIER',
    'issuer.eIDASIdentifier',
    'The issuer’s eIDAS legal identifier is not known to Cairn: the sealing tool adds it from the seal certificate (as EDCI does).',
  );
  const awardingProcess = { id: node('awardingProcess'), type: 'AwardingProcess', awardingBody: organisation };

  // Learning outcomes: the EU profile's, then ESCO alignments not already among them, else the criteria.
  const outcomes: { title: string; esco: string | null }[] = (eu?.learningOutcomes ?? []).map((outcome) => ({ title: outcome.text, esco: outcome.escoSkillUri }));
  const coveredEsco = new Set(outcomes.flatMap((outcome) => (outcome.esco ? [outcome.esco] : [])));
  for (const alignment of asList(achievement.alignment).map(asObject)) {
    const url = asText(alignment.targetUrl);
    if (url && ESCO_URI_PATTERN.test(url) && !coveredEsco.has(url)) {
      coveredEsco.add(url);
      outcomes.push({ title: asText(alignment.targetName) ?? url, esco: url });
    }
  }
  const criteria = asText(asObject(achievement.criteria).narrative);
  if (outcomes.length === 0 && criteria) outcomes.push({ title: criteria, esco: null });
  if (outcomes.length === 0) warn('LEARNING_OUTCOMES_MISSING', 'specifiedBy.learningOutcome', 'The achievement states no learning outcome, ESCO skill or criteria narrative.');

  const achievementType = asText(achievement.achievementType);
  const isQualification = eu !== null || (achievementType !== null && QUALIFICATION_TYPES.has(achievementType));
  const notes: Json[] = [];
  const note = (label: string, value: string) => notes.push({ id: node('note', notes.length + 1), type: 'Note', noteLiteral: text(`${label}: ${value}`) });
  if (eu?.qualityAssurance) note('Type of quality assurance', eu.qualityAssurance);
  if (eu?.stackable !== null && eu?.stackable !== undefined) {
    note('Stackability', `${eu.stackable ? 'can be combined into a larger credential' : 'stand-alone'}${eu.stackabilityNote ? ` (${eu.stackabilityNote})` : ''}`);
  }
  const credits = typeof achievement.creditsAvailable === 'number' ? achievement.creditsAvailable : null;
  const hours = eu?.workloadInHours ?? null;
  const specification: Json = {
    id: node(isQualification ? 'qualification' : 'learningAchievementSpec'),
    type: isQualification ? 'Qualification' : 'LearningAchievementSpecification',
    title: text(asText(achievement.name) ?? 'Achievement'),
    ...(asText(achievement.description) ? { description: text(achievement.description as string) } : {}),
    language,
    ...(outcomes.length > 0
      ? {
          learningOutcome: outcomes.map((outcome, index) => ({
            id: node('learningOutcome', index + 1),
            type: 'LearningOutcome',
            title: text(outcome.title.length > 2000 ? `${outcome.title.slice(0, 1999)}…` : outcome.title),
            ...(outcome.esco ? { relatedESCOSkill: concept(outcome.esco, SCHEMES.escoSkills) } : {}),
          })),
        }
      : {}),
    ...(credits !== null
      ? { creditPoint: { id: node('creditPoint'), type: 'CreditPoint', framework: concept(ECTS, SCHEMES.educationCredit, 'European Credit Transfer System'), point: String(credits) } }
      : {}),
    ...(hours !== null ? { volumeOfLearning: hoursDuration(hours) } : {}),
    ...(eu?.participationForm ? { mode: concept(PARTICIPATION_MODES[eu.participationForm].id, SCHEMES.learningAssessment, PARTICIPATION_MODES[eu.participationForm].label) } : {}),
    ...(eu?.prerequisites ? { entryRequirement: { id: node('entryRequirement'), type: 'Note', noteLiteral: text(eu.prerequisites) } } : {}),
    ...(eu?.assessmentType
      ? { provenBy: { id: node('learningAssessmentSpec'), type: 'LearningAssessmentSpecification', title: text(eu.assessmentType) } }
      : {}),
    ...(notes.length > 0 ? { additionalNote: notes } : {}),
    ...(asText(achievement.id) ? { supplementaryDocument: { id: node('webResource', 2), type: 'WebResource', contentURL: achievement.id } } : {}),
  };
  // Only a Qualification has an EQF level in ELM; an achievement with the EU profile is always specified by one.
  if (eu?.eqfLevel) specification.eqfLevel = concept(`http://data.europa.eu/snb/eqf/${eu.eqfLevel}`, SCHEMES.eqf, `Level ${eu.eqfLevel}`);
  for (const element of missingEuElements({ euProfile: eu, creditsAvailable: credits, estimatedLearningHours: hours })) {
    warn('EU_ELEMENT_MISSING', `specifiedBy (${element})`, `The Council Recommendation's element ${element} is not set on the achievement.`);
  }

  // The learner's results, when the credential reports any, are the assessment that proves the achievement.
  const results = asList(subject.result).map(asObject).flatMap((result) => (asText(result.value) ? [result.value as string] : []));
  const learningAchievement: Json = {
    id: node('learningAchievement'),
    type: 'LearningAchievement',
    title: text(asText(achievement.name) ?? 'Achievement'),
    ...(asText(achievement.description) ? { description: text(achievement.description as string) } : {}),
    awardedBy: awardingProcess,
    specifiedBy: specification,
    // The original Open Badge: ELM's evidence types are a controlled list Cairn does not have, so it is linked as
    // the achievement's supplementary document (docs/decisions.md).
    supplementaryDocument: { id: node('webResource', 3), type: 'WebResource', contentURL: input.credentialUrl, title: text('Open Badges 3.0 credential') },
    ...(results.length > 0
      ? {
          provenBy: {
            id: node('learningAssessment'),
            type: 'LearningAssessment',
            title: text(eu?.assessmentType ?? 'Assessment'),
            grade: { id: node('grade'), type: 'Note', noteLiteral: text(results.join(', ')) },
            awardedBy: awardingProcess,
          },
        }
      : {}),
  };

  const person: Json = { id: asText(subject.id) ?? node('person'), type: 'Person', hasClaim: learningAchievement };
  if (input.recipientName?.trim()) {
    person.fullName = text(input.recipientName.trim());
  } else {
    const hashed = asList(subject.identifier).some((identity) => asObject(identity).hashed === true);
    warn(
      'RECIPIENT_NAME_MISSING',
      'credentialSubject.fullName',
      hashed
        ? 'The credential identifies its recipient only by a hashed e-mail: Europass needs the learner’s real name (pass recipientName).'
        : 'The credential carries no name for its recipient: Europass needs the learner’s real name (pass recipientName).',
    );
  }

  const displayParameter: Json = {
    id: node('displayParameter'),
    type: 'DisplayParameter',
    title: text(asText(achievement.name) ?? 'Credential'),
    language,
    primaryLanguage: language,
    individualDisplay: {
      id: node('individualDisplay'),
      type: 'IndividualDisplay',
      language,
      ...(input.badgePng
        ? {
            displayDetail: {
              id: node('displayDetail'),
              type: 'DisplayDetail',
              image: {
                id: node('mediaObject'),
                type: 'MediaObject',
                content: input.badgePng.toString('base64'),
                contentType: concept(PNG, SCHEMES.fileType),
                contentEncoding: concept(BASE64, SCHEMES.encoding),
              },
              page: 1,
            },
          }
        : {}),
    },
  };
  if (!input.badgePng) warn('DISPLAY_IMAGE_MISSING', 'displayParameter.individualDisplay.displayDetail', 'No badge image could be rendered for the display.');

  const validFrom = asText(ob.validFrom) ?? dateTime(input.issuedAt);
  const document: Json = {
    '@context': [...EDC_CONTEXT],
    id: `urn:credential:${input.credentialId}`,
    type: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    credentialProfiles: concept(GENERIC_PROFILE, SCHEMES.credential, 'Generic'),
    credentialSchema: { ...EDC_CREDENTIAL_SCHEMA },
    issuer: organisation,
    issuanceDate: dateTime(input.issuedAt),
    issued: dateTime(input.issuedAt),
    validFrom,
    ...(asText(ob.validUntil) ? { expirationDate: ob.validUntil } : {}),
    credentialSubject: person,
    displayParameter,
  };
  return { document, warnings };
}
