import { skillKey } from './pathway-progress.js';

/**
 * What pathways read from a credential document (OB 3.0 / VC 2.0, or VC 1.1 field names): the achievement it
 * embeds, the skills that achievement is aligned to, its numeric results, when it was earned and until when it holds.
 */
export interface DocumentFacts {
  achievementUrl: string | null;
  skills: string[];
  results: number[];
  earnedAt: Date | null;
  validUntil: Date | null;
  issuerRef: string | null;
}

/** How OB alignments name each framework (lib/ob/achievement.ts writes them so); anything else is a custom skill. */
const FRAMEWORKS_BY_NAME: Record<string, string> = { ESCO: 'ESCO', 'O*NET': 'ONET', 'Lightcast Open Skills': 'LIGHTCAST' };

const record = (value: unknown): Record<string, unknown> | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const string = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

function date(value: unknown): Date | null {
  const text = string(value);
  if (!text) return null;
  const parsed = new Date(text);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/** The skills an OB Achievement's alignments name: `FRAMEWORK|code`. */
function skillsOf(achievement: Record<string, unknown> | null): string[] {
  const skills = new Set<string>();
  for (const entry of list(achievement?.alignment)) {
    const alignment = record(entry);
    const code = string(alignment?.targetCode);
    if (!alignment || !code) continue;
    const framework = FRAMEWORKS_BY_NAME[string(alignment.targetFramework) ?? ''];
    if (framework) skills.add(skillKey(framework, code));
    else if (alignment.targetType === 'ceasn:Competency') skills.add(skillKey('CUSTOM', code));
  }
  return [...skills];
}

/** Numeric `result[].value`s ("85", "85.5", "85%"); letter grades and levels are not minimum-result material. */
function resultsOf(subject: Record<string, unknown> | null): number[] {
  const results: number[] = [];
  for (const entry of list(subject?.result)) {
    const value = string(record(entry)?.value)?.replace(/%$/, '').trim();
    if (value && /^-?\d+(\.\d+)?$/.test(value)) results.push(Number(value));
  }
  return results;
}

export function factsFromDocument(document: Record<string, unknown>): DocumentFacts {
  const subject = record(list(document.credentialSubject)[0]);
  const achievement = record(subject?.achievement);
  const issuer = document.issuer;
  return {
    achievementUrl: string(achievement?.id),
    skills: skillsOf(achievement),
    results: resultsOf(subject),
    earnedAt: date(document.validFrom) ?? date(document.issuanceDate) ?? date(document.awardedDate),
    validUntil: date(document.validUntil) ?? date(document.expirationDate),
    issuerRef: string(issuer) ?? string(record(issuer)?.id),
  };
}
