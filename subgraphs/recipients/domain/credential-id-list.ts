import { AppError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';

/**
 * An ordered list of wallet credential ids as a recipient gives it (a portfolio, a share), lowercased: ids only, at
 * most `max`, and no repeats. A repeat is refused rather than dropped: the position the recipient meant for it would
 * be a guess.
 */
export function normaliseCredentialIdList(ids: readonly string[], rules: { holder: 'portfolio' | 'share'; max: number; atLeastOne: boolean }): string[] {
  const { holder, max, atLeastOne } = rules;
  if (atLeastOne && ids.length === 0) throw new AppError('BAD_USER_INPUT', `A ${holder} needs at least one credential`, { field: 'credentialIds' });
  if (ids.length > max) throw new AppError('BAD_USER_INPUT', `A ${holder} holds at most ${max} credentials`, { field: 'credentialIds' });
  const malformed = ids.filter((id) => !isUuid(id));
  if (malformed.length) throw new AppError('BAD_USER_INPUT', 'Some credential ids are not ids', { field: 'credentialIds', credentialIds: malformed });
  const lowered = ids.map((id) => id.toLowerCase());
  const repeated = lowered.filter((id, index) => lowered.indexOf(id) !== index);
  if (repeated.length) throw new AppError('BAD_USER_INPUT', 'A credential appears twice in the list', { field: 'credentialIds', credentialIds: [...new Set(repeated)] });
  return lowered;
}
