import { expect, it } from 'vitest';
import { normaliseCredentialIdList } from './credential-id-list.js';

const a = '01A2247A-8FFF-76EE-9C3F-EA9154A48518';
const b = '01a2247a-8fff-76ee-9c3f-ea9154a48519';

it('keeps the order, lowercases, and refuses repeats, non-ids, too many and (when asked) none', () => {
  const share = { holder: 'share', max: 2, atLeastOne: true } as const;
  expect(normaliseCredentialIdList([a, b], share)).toEqual([a.toLowerCase(), b]);
  expect(() => normaliseCredentialIdList([a, a.toLowerCase()], share)).toThrow('A credential appears twice in the list');
  expect(() => normaliseCredentialIdList([a, 'nope'], share)).toThrow('Some credential ids are not ids');
  expect(() => normaliseCredentialIdList([a, b, a], share)).toThrow('A share holds at most 2 credentials');
  expect(() => normaliseCredentialIdList([], share)).toThrow('A share needs at least one credential');
  expect(normaliseCredentialIdList([], { holder: 'portfolio', max: 2, atLeastOne: false })).toEqual([]);
});
