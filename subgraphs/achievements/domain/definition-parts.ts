import { AppError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import {
  SKILL_FRAMEWORKS,
  type AlignmentDefinition,
  type ResultDescriptionDefinition,
  type SkillDefinition,
  type SkillFramework,
} from '../../../lib/ob/achievement.js';
import { ALIGNMENT_TARGET_TYPE, RESULT_TYPE, vocabularyTerm } from '../../../lib/ob/vocabulary.js';
import { httpUrl, optionalText, requiredText } from '../../../lib/validation.js';

/** The parts of a definition beyond name and description, each checked on its own and named by its field path. */

/** @default 50 // per list (alignments, skills, tags, result descriptions): more is a data-entry mistake */
export const MAX_LIST_LENGTH = 50;
/** @default 500 */
const MAX_SHORT_TEXT = 500;
/** @default 5_000 */
const MAX_LONG_TEXT = 5_000;
/** @default 100 */
const MAX_TAG_LENGTH = 100;
/** @default 100 */
const MAX_ALLOWED_VALUES = 100;
/** @default 1000 // credits beyond a whole doctorate are a typo */
const MAX_CREDITS = 1000;
/** @default 10_000 // hours: about five years of full-time study */
const MAX_LEARNING_HOURS = 10_000;

function invalid(field: string, message: string): never {
  throw new AppError('BAD_USER_INPUT', message, { field });
}

function boundedList<T>(list: readonly T[] | null | undefined, field: string, max = MAX_LIST_LENGTH): readonly T[] {
  const items = list ?? [];
  if (items.length > max) invalid(field, `${field} may have at most ${max} entries`);
  return items;
}

export interface AlignmentInput {
  targetName: string;
  targetUrl: string;
  targetCode?: string | null;
  targetDescription?: string | null;
  targetFramework?: string | null;
  targetType?: string | null;
}

export function normaliseAlignments(list: readonly AlignmentInput[] | null | undefined): AlignmentDefinition[] {
  return boundedList(list, 'alignments').map((alignment, index) => {
    const field = `alignments[${index}]`;
    return {
      targetName: requiredText(alignment.targetName, `${field}.targetName`, MAX_SHORT_TEXT),
      targetUrl: httpUrl(alignment.targetUrl, `${field}.targetUrl`),
      targetCode: optionalText(alignment.targetCode, `${field}.targetCode`, MAX_SHORT_TEXT),
      targetDescription: optionalText(alignment.targetDescription, `${field}.targetDescription`, MAX_LONG_TEXT),
      targetFramework: optionalText(alignment.targetFramework, `${field}.targetFramework`, MAX_SHORT_TEXT),
      targetType: alignment.targetType?.trim() ? vocabularyTerm(alignment.targetType, ALIGNMENT_TARGET_TYPE, `${field}.targetType`) : null,
    };
  });
}

export interface SkillInput {
  framework: string;
  code: string;
  name: string;
  url?: string | null;
}

/**
 * Skills are identified by (framework, code); the same skill named twice is kept once. OB alignments need a
 * `targetUrl`, so a skill needs a URL, except that a code which is itself a URL (as ESCO's are) serves as one.
 */
export function normaliseSkills(list: readonly SkillInput[] | null | undefined): SkillDefinition[] {
  const seen = new Set<string>();
  const result: SkillDefinition[] = [];
  boundedList(list, 'skills').forEach((skill, index) => {
    const field = `skills[${index}]`;
    if (!(SKILL_FRAMEWORKS as readonly string[]).includes(skill.framework)) {
      invalid(`${field}.framework`, `${field}.framework must be one of ${SKILL_FRAMEWORKS.join(', ')}`);
    }
    const framework = skill.framework as SkillFramework;
    const code = requiredText(skill.code, `${field}.code`, MAX_SHORT_TEXT);
    const name = requiredText(skill.name, `${field}.name`, 200);
    const url = skill.url?.trim()
      ? httpUrl(skill.url, `${field}.url`)
      : /^https?:\/\//i.test(code)
        ? httpUrl(code, `${field}.code`)
        : invalid(`${field}.url`, `${field}.url is required unless the code is a URL (Open Badges alignments need a target URL)`);
    const key = `${framework}|${code}`;
    if (seen.has(key)) return;
    seen.add(key);
    result.push({ framework, code, name, url });
  });
  return result;
}

/** Trimmed, non-empty, each at most 100 characters; repeats (ignoring case) are kept once, as first written. */
export function normaliseTags(list: readonly string[] | null | undefined): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  boundedList(list, 'tags').forEach((tag, index) => {
    const text = requiredText(tag, `tags[${index}]`, MAX_TAG_LENGTH);
    if (seen.has(text.toLowerCase())) return;
    seen.add(text.toLowerCase());
    tags.push(text);
  });
  return tags;
}

/** The OB schema's LanguageCode: a language, an optional script and an optional region, nothing more. */
const OB_LANGUAGE = /^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/;

/**
 * A BCP 47 language tag in canonical case (`en-gb` → `en-GB`). Tags with variants or extensions (`de-CH-1996`)
 * are well-formed BCP 47 but fail the OB schema's `inLanguage` pattern, so they are refused too.
 */
export function normaliseLanguage(value: string | null | undefined): string | null {
  if (!value?.trim()) return null;
  let canonical: string | undefined;
  try {
    [canonical] = Intl.getCanonicalLocales(value.trim());
  } catch {
    invalid('language', `language "${value.trim()}" is not a BCP 47 language tag (e.g. en, en-GB, pt-BR, zh-Hant-TW)`);
  }
  if (!canonical || !OB_LANGUAGE.test(canonical)) {
    invalid('language', `language "${value.trim()}" must be a language, an optional script and an optional region (e.g. en-GB, zh-Hant-TW)`);
  }
  return canonical;
}

function boundedNumber(value: number | null | undefined, field: string, { min, max, minExclusive }: { min: number; max: number; minExclusive?: boolean }) {
  if (value === null || value === undefined) return null;
  if (!Number.isFinite(value) || value < min || (minExclusive && value === min) || value > max) {
    invalid(field, `${field} must be ${minExclusive ? 'more than' : 'at least'} ${min} and at most ${max}`);
  }
  return value;
}

export const normaliseCredits = (value: number | null | undefined) =>
  boundedNumber(value, 'creditsAvailable', { min: 0, max: MAX_CREDITS });

/** Hours outside the usual range are allowed (a warning says so); only impossible values are refused. */
export const normaliseLearningHours = (value: number | null | undefined) =>
  boundedNumber(value, 'estimatedLearningHours', { min: 0, max: MAX_LEARNING_HOURS, minExclusive: true });

export interface ResultDescriptionInput {
  id?: string | null;
  name: string;
  resultType: string;
  allowedValues?: string[] | null;
  requiredValue?: string | null;
  valueMin?: string | null;
  valueMax?: string | null;
}

const ABSOLUTE_URI = /^[a-z][a-z0-9+.-]*:\S+$/i;

/**
 * OB ResultDescriptions. Each needs an `id` (a URI that results in credentials point at): one is minted as
 * `urn:uuid:…` when the issuer gives none, and kept when the definition is edited or copied to a new version.
 */
export function normaliseResultDescriptions(
  list: readonly ResultDescriptionInput[] | null | undefined,
  mintId: () => string = () => `urn:uuid:${newId()}`,
): ResultDescriptionDefinition[] {
  const ids = new Set<string>();
  return boundedList(list, 'resultDescriptions').map((result, index) => {
    const field = `resultDescriptions[${index}]`;
    const id = result.id?.trim() || mintId();
    if (!ABSOLUTE_URI.test(id) || id.length > MAX_SHORT_TEXT) invalid(`${field}.id`, `${field}.id must be an absolute URI (e.g. urn:uuid:…)`);
    if (ids.has(id)) invalid(`${field}.id`, `${field}.id repeats another result description's id`);
    ids.add(id);
    const allowedValues = [
      ...new Set(boundedList(result.allowedValues, `${field}.allowedValues`, MAX_ALLOWED_VALUES).map((value, at) => requiredText(value, `${field}.allowedValues[${at}]`, 200))),
    ];
    const requiredValue = optionalText(result.requiredValue, `${field}.requiredValue`, 200);
    if (requiredValue !== null && allowedValues.length > 0 && !allowedValues.includes(requiredValue)) {
      invalid(`${field}.requiredValue`, `${field}.requiredValue must be one of its allowedValues`);
    }
    const valueMin = optionalText(result.valueMin, `${field}.valueMin`, 50);
    const valueMax = optionalText(result.valueMax, `${field}.valueMax`, 50);
    if (valueMin !== null && valueMax !== null && Number.isFinite(Number(valueMin)) && Number.isFinite(Number(valueMax)) && Number(valueMin) > Number(valueMax)) {
      invalid(`${field}.valueMax`, `${field}.valueMax must not be less than valueMin`);
    }
    return {
      id,
      name: requiredText(result.name, `${field}.name`, 200),
      resultType: vocabularyTerm(result.resultType, RESULT_TYPE, `${field}.resultType`),
      allowedValues,
      requiredValue,
      valueMin,
      valueMax,
    };
  });
}
