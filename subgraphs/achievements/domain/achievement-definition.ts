import { AppError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { httpUrl, requiredText } from '../../../lib/validation.js';

export interface AchievementDefinitionInput {
  issuerId: string;
  name: string;
  description: string;
  criteria: { narrative?: string | null; url?: string | null };
}

export interface AchievementDefinition {
  issuerId: string;
  name: string;
  description: string;
  criteriaNarrative: string | null;
  criteriaUrl: string | null;
}

/** @default 200 // same as an issuer's name: it is shown on badges and in wallets */
const MAX_NAME_LENGTH = 200;
/** @default 10_000 */
const MAX_DESCRIPTION_LENGTH = 10_000;

/**
 * Normalises an achievement definition and rejects what would make an invalid OB 3.0 Achievement
 * (it requires a name, a description and criteria; criteria need a narrative, a URL, or both).
 */
export function normaliseAchievementDefinition(input: AchievementDefinitionInput): AchievementDefinition {
  // The id is stored in a uuid column: a malformed one is the caller's mistake, not a database error.
  if (!isUuid(input.issuerId)) throw new AppError('BAD_USER_INPUT', 'issuerId is not a valid id', { field: 'issuerId' });
  const name = requiredText(input.name, 'name', MAX_NAME_LENGTH);
  const description = requiredText(input.description, 'description', MAX_DESCRIPTION_LENGTH);
  const criteriaNarrative = input.criteria.narrative?.trim() || null;
  const url = input.criteria.url?.trim() || null;
  const criteriaUrl = url ? httpUrl(url, 'criteria.url') : null;
  if (!criteriaNarrative && !criteriaUrl) {
    throw new AppError('BAD_USER_INPUT', 'criteria needs a narrative, a url, or both', { field: 'criteria' });
  }
  return { issuerId: input.issuerId, name, description, criteriaNarrative, criteriaUrl };
}
