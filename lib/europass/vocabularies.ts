/**
 * The EU controlled vocabularies an EDC document points at (EU Vocabularies / Publications Office authority tables
 * and the Europass "snb" lists), limited to the concepts Cairn's export uses. Every IRI below appears in the
 * European Commission's own EDC samples or shapes (ELM repository, lib/crypto/SOURCES.md): none is guessed.
 */

export const EDC_CONTEXT = ['https://www.w3.org/2018/credentials/v1', 'http://data.europa.eu/snb/model/context/edc-ap'] as const;
export const EDC_CREDENTIAL_SCHEMA = { id: 'http://data.europa.eu/snb/model/ap/edc-generic-full', type: 'ShaclValidator2017' } as const;

export const SCHEMES = {
  credential: 'http://data.europa.eu/snb/credential/25831c2',
  country: 'http://publications.europa.eu/resource/authority/country',
  language: 'http://publications.europa.eu/resource/authority/language',
  eqf: 'http://data.europa.eu/snb/eqf/25831c2',
  educationCredit: 'http://data.europa.eu/snb/education-credit/25831c2',
  learningAssessment: 'http://data.europa.eu/snb/learning-assessment/25831c2',
  escoSkills: 'http://data.europa.eu/esco/concept-scheme/skills',
  fileType: 'http://publications.europa.eu/resource/authority/file-type',
  encoding: 'http://data.europa.eu/snb/encoding/25831c2',
} as const;

/** The "Generic" credential profile every EDC sample of the Commission uses. */
export const GENERIC_PROFILE = 'http://data.europa.eu/snb/credential/e34929035b';
export const ECTS = 'http://data.europa.eu/snb/education-credit/6fcec5c5af';
export const BASE64 = 'http://data.europa.eu/snb/encoding/6146cde7dd';
export const PNG = `${SCHEMES.fileType}/PNG`;

/** ELM's learning modes (the `europass-modes` list of the ELM repository) for the Council's forms of participation. */
export const PARTICIPATION_MODES = {
  ONLINE: { id: 'http://data.europa.eu/snb/learning-assessment/920fbb3cbe', label: 'Online' },
  ONSITE: { id: 'http://data.europa.eu/snb/learning-assessment/9191af2ed9', label: 'Presential' },
  BLENDED: { id: 'http://data.europa.eu/snb/learning-assessment/e92d221e4d', label: 'Blended' },
} as const;

/**
 * ISO 639-1 → the EU language authority table's codes, for the EU's official languages (the languages an EDC's
 * display is expected in). Another language has no entry and the export says so.
 */
const EU_LANGUAGES: Record<string, string> = {
  bg: 'BUL', cs: 'CES', da: 'DAN', de: 'DEU', el: 'ELL', en: 'ENG', es: 'SPA', et: 'EST', fi: 'FIN', fr: 'FRA', ga: 'GLE',
  hr: 'HRV', hu: 'HUN', it: 'ITA', lt: 'LIT', lv: 'LAV', mt: 'MLT', nl: 'NLD', pl: 'POL', pt: 'POR', ro: 'RON', sk: 'SLK',
  sl: 'SLV', sv: 'SWE',
};

export function euLanguageCode(bcp47: string): string | null {
  return EU_LANGUAGES[bcp47.split('-')[0]!.toLowerCase()] ?? null;
}

/** A SKOS concept node as EDC documents embed them: its scheme typed, so SHACL's `sh:class skos:ConceptScheme` holds. */
export function concept(id: string, scheme: string, label?: string): Record<string, unknown> {
  return { id, type: 'Concept', inScheme: { id: scheme, type: 'ConceptScheme' }, ...(label ? { prefLabel: { en: label } } : {}) };
}
