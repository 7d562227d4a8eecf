import { AppError } from '../../../lib/errors.js';
import { normaliseCredentialIdList } from './credential-id-list.js';

/** @default 200 */
const MAX_NAME_LENGTH = 200;
/** @default 2000 */
const MAX_DESCRIPTION_LENGTH = 2000;
/** @default 200 // a portfolio is a curated selection, not a second wallet */
export const MAX_PORTFOLIO_CREDENTIALS = 200;

export function normalisePortfolioName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new AppError('BAD_USER_INPUT', 'A portfolio needs a name', { field: 'name' });
  if (trimmed.length > MAX_NAME_LENGTH) throw new AppError('BAD_USER_INPUT', `name must be at most ${MAX_NAME_LENGTH} characters`, { field: 'name' });
  return trimmed;
}

export function normalisePortfolioDescription(description: string | null | undefined): string | null {
  const trimmed = description?.trim() || null;
  if (trimmed && trimmed.length > MAX_DESCRIPTION_LENGTH) {
    throw new AppError('BAD_USER_INPUT', `description must be at most ${MAX_DESCRIPTION_LENGTH} characters`, { field: 'description' });
  }
  return trimmed;
}

/** The portfolio's ordered credential list (see normaliseCredentialIdList). */
export function normalisePortfolioCredentialIds(ids: readonly string[]): string[] {
  return normaliseCredentialIdList(ids, { holder: 'portfolio', max: MAX_PORTFOLIO_CREDENTIALS, atLeastOne: false });
}

/** Only credentials in the owner's own wallet may go into their portfolio; the others are named in the error. */
export function assertAllHeld(ids: readonly string[], held: { has(id: string): boolean }): void {
  const foreign = ids.filter((id) => !held.has(id));
  if (foreign.length) {
    throw new AppError('BAD_USER_INPUT', 'Only credentials in your own wallet can go into a portfolio', { field: 'credentialIds', credentialIds: foreign });
  }
}
