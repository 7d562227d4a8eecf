import { describe, expect, test } from 'vitest';
import { thrownBy } from '../../../test/helpers/errors.js';
import { assertKeepsAnOwner, normaliseMember } from './members.js';

describe('issuer members', () => {
  test('a member has a name and an e-mail address, lowercased', () => {
    expect(normaliseMember({ name: ' Ada ', email: 'Ada@Example.com', role: 'OWNER' })).toEqual({ name: 'Ada', email: 'ada@example.com', role: 'OWNER' });
    expect(thrownBy(() => normaliseMember({ name: 'Ada', email: 'nope', role: 'VIEWER' }))?.details.field).toBe('email');
  });

  test('the last owner cannot be demoted or removed', () => {
    expect(thrownBy(() => assertKeepsAnOwner({ role: 'OWNER' }, 'ISSUER', 0))?.code).toBe('CONFLICT');
    expect(thrownBy(() => assertKeepsAnOwner({ role: 'OWNER' }, null, 0))?.code).toBe('CONFLICT');
    expect(thrownBy(() => assertKeepsAnOwner({ role: 'OWNER' }, null, 1))).toBeUndefined();
    expect(thrownBy(() => assertKeepsAnOwner({ role: 'VIEWER' }, null, 0))).toBeUndefined();
  });
});
