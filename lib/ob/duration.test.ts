import { describe, expect, test } from 'vitest';
import { thrownBy } from '../../test/helpers/errors.js';
import { addDuration, formatDuration, normaliseDuration, parseDuration } from './duration.js';

const at = (iso: string) => new Date(iso);

describe('ISO 8601 durations', () => {
  test('parses each component and any combination of them', () => {
    expect(parseDuration('P2Y')).toEqual({ years: 2, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 });
    expect(parseDuration('P1Y6M2W3DT4H5M6S')).toEqual({ years: 1, months: 6, weeks: 2, days: 3, hours: 4, minutes: 5, seconds: 6 });
    expect(parseDuration(' PT36H ')).toMatchObject({ hours: 36 });
    expect(parseDuration('P90D')).toMatchObject({ days: 90 });
  });

  test('M means months before T and minutes after it', () => {
    expect(parseDuration('P1M')).toMatchObject({ months: 1, minutes: 0 });
    expect(parseDuration('PT1M')).toMatchObject({ months: 0, minutes: 1 });
  });

  test.each(['', 'P', 'PT', 'P1YT', '2Y', 'P-1Y', 'P0.5Y', 'P1,5Y', 'p2y', 'P2y', 'P1D1Y', 'P0002-00-00', 'PT1H1D', 'P2Y '.repeat(2)])(
    '"%s" is not a duration Cairn accepts: BAD_USER_INPUT naming the field',
    (value) => {
      const error = thrownBy(() => parseDuration(value, 'validity'));
      expect(error?.code).toBe('BAD_USER_INPUT');
      expect(error?.details.field).toBe('validity');
    },
  );

  test('a zero duration is refused: a validity period must be longer than nothing', () => {
    expect(thrownBy(() => parseDuration('P0D'))?.message).toMatch(/longer than zero/);
    expect(thrownBy(() => parseDuration('PT0S'))?.code).toBe('BAD_USER_INPUT');
  });

  test('durations beyond 1000 years are refused as typos', () => {
    expect(thrownBy(() => parseDuration('P1001Y'))?.message).toMatch(/1000 years/);
    expect(thrownBy(() => parseDuration('P400000D'))?.code).toBe('BAD_USER_INPUT');
    expect(parseDuration('P1000Y').years).toBe(1000);
  });

  test('the canonical spelling leaves zero components out', () => {
    expect(normaliseDuration('P1Y0M')).toBe('P1Y');
    expect(normaliseDuration('P0YT12H')).toBe('PT12H');
    expect(formatDuration({ years: 0, months: 18, weeks: 0, days: 0, hours: 0, minutes: 30, seconds: 0 })).toBe('P18MT30M');
  });

  test('P2Y after an issue date is the same day two years later', () => {
    expect(addDuration(at('2025-03-14T09:30:00Z'), 'P2Y').toISOString()).toBe('2027-03-14T09:30:00.000Z');
  });

  test('months clamp to the end of a shorter month', () => {
    expect(addDuration(at('2024-01-31T12:00:00Z'), 'P1M').toISOString()).toBe('2024-02-29T12:00:00.000Z');
    expect(addDuration(at('2025-01-31T12:00:00Z'), 'P1M').toISOString()).toBe('2025-02-28T12:00:00.000Z');
    expect(addDuration(at('2024-02-29T00:00:00Z'), 'P1Y').toISOString()).toBe('2025-02-28T00:00:00.000Z');
    expect(addDuration(at('2024-11-30T00:00:00Z'), 'P3M').toISOString()).toBe('2025-02-28T00:00:00.000Z');
  });

  test('months carry into years', () => {
    expect(addDuration(at('2025-10-15T00:00:00Z'), 'P1Y18M').toISOString()).toBe('2028-04-15T00:00:00.000Z');
  });

  test('weeks, days and time are exact: 24-hour UTC days', () => {
    expect(addDuration(at('2025-03-29T22:00:00Z'), 'P1W').toISOString()).toBe('2025-04-05T22:00:00.000Z');
    expect(addDuration(at('2025-12-31T23:00:00Z'), 'P1DT1H30M15S').toISOString()).toBe('2026-01-02T00:30:15.000Z');
    expect(addDuration(at('2025-01-01T00:00:00Z'), 'PT36H').toISOString()).toBe('2025-01-02T12:00:00.000Z');
  });

  test('calendar parts apply before exact parts (P1M1D from 31 January is 1 March, not 29 February)', () => {
    expect(addDuration(at('2025-01-31T00:00:00Z'), 'P1M1D').toISOString()).toBe('2025-03-01T00:00:00.000Z');
  });

  test('the date passed in is not changed', () => {
    const issued = at('2025-01-01T00:00:00Z');
    addDuration(issued, parseDuration('P5Y'));
    expect(issued.toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });
});
