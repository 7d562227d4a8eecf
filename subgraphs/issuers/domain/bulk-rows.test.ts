import { describe, expect, test } from 'vitest';
import { AppError } from '../../../lib/errors.js';
import { thrownBy } from '../../../test/helpers/errors.js';
import { parseBulkCsv, validateRows } from './bulk-rows.js';

describe('bulk CSV', () => {
  test('parses recipients, repeated evidence columns and dates; header names are case-insensitive', () => {
    const { rows, errors } = parseBulkCsv(
      'Email,Name,evidence_kind,evidence_url,evidence_kind_2,evidence_narrative_2,valid_from\n' +
        'ada@example.com,Ada,assessment,https://lms.example/1,project,"Built a ""thing""",2026-01-01T00:00:00Z\n' +
        'grace@example.com,,assessment,https://lms.example/2,,,\n',
    );
    expect(errors).toEqual([]);
    expect(rows[0]).toEqual({
      recipient: { email: 'ada@example.com', name: 'Ada' },
      evidence: [
        { kind: 'ASSESSMENT', url: 'https://lms.example/1', narrative: null, name: null },
        { kind: 'PROJECT', url: null, narrative: 'Built a "thing"', name: null },
      ],
      validFrom: new Date('2026-01-01T00:00:00Z'),
      validUntil: null,
      idempotencyKey: null,
    });
    expect(rows[1]!.evidence).toHaveLength(1);
  });

  test('a bad date is reported with its row and column', () => {
    const { errors } = parseBulkCsv('email,evidence_kind,valid_until\na@example.com,assessment,next tuesday\n');
    expect(errors).toEqual([{ row: 1, field: 'valid_until', reason: '"next tuesday" is not an ISO 8601 date-time' }]);
  });

  test('unknown columns, malformed CSV and an empty file are refused as a whole', () => {
    expect(thrownBy(() => parseBulkCsv('email,emial\na,b\n'))?.details).toMatchObject({ field: 'csv', unknown: ['emial'] });
    expect(thrownBy(() => parseBulkCsv('email\n"unterminated\n'))?.code).toBe('BAD_USER_INPUT');
    expect(thrownBy(() => parseBulkCsv('email\n'))?.message).toMatch(/no rows/);
  });

  test('every bad row is reported, not just the first', () => {
    const rows = [1, 2, 3].map((n) => ({ recipient: { email: `r${n}@example.com` }, evidence: [] }));
    const errors = validateRows(rows, (_row, n) =>
      n === 2 ? [] : [new AppError('BAD_USER_INPUT', 'no evidence', { field: 'evidence' }), new AppError('BAD_USER_INPUT', 'bad date', { field: 'validUntil' })],
    );
    expect(errors.map((error) => [error.row, error.field])).toEqual([
      [1, 'evidence'],
      [1, 'validUntil'],
      [3, 'evidence'],
      [3, 'validUntil'],
    ]);
  });

  test('a NUL character in a cell is that row’s error, named by its field, not a database error for the job', () => {
    const { rows } = parseBulkCsv('email,evidence_kind,evidence_narrative\nok@example.com,PROJECT,fine\nnul@example.com,PROJECT,bad\u0000cell\n');
    const errors = validateRows(rows, () => []);
    expect(errors).toEqual([{ row: 2, field: 'evidence', reason: 'evidence contains a NUL character (U+0000), which cannot be stored' }]);
  });
});
