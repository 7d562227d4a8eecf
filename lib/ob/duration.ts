import { AppError } from '../errors.js';

/**
 * ISO 8601 durations, as Cairn uses them for validity periods (`P2Y` = credentials expire two years after issue).
 * Supported: `PnYnMnWnDTnHnMnS` with whole numbers, any subset of components, at least one of them, in this order
 * (weeks may be combined with the others, as ISO 8601-1:2019 and Temporal allow). Not supported, refused with a
 * message: fractions (`P0.5Y`), negative durations, the alternative format (`P0002-00-00`), lowercase designators.
 */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN = /^P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,7})H)?(?:(\d{1,9})M)?(?:(\d{1,10})S)?)?$/;

/** @default 1000 // years: a longer validity is a typo, and would overflow what a Date can hold sooner or later */
export const MAX_DURATION_YEARS = 1000;

const DAY_MS = 86_400_000;

function invalid(field: string, message: string): never {
  throw new AppError('BAD_USER_INPUT', message, { field });
}

/**
 * Parses an ISO 8601 duration such as `P2Y`, `P18M`, `P1Y6M`, `P90D` or `PT36H`. A zero duration is refused:
 * every use Cairn has for a duration (a validity period) needs it to be longer than nothing.
 */
export function parseDuration(value: string, field = 'validity'): Duration {
  const text = value.trim();
  const match = PATTERN.exec(text);
  // "P" and "PT" match the pattern with no component; a "T" needs at least one time component after it.
  if (!match || text === 'P' || text.endsWith('T')) {
    invalid(field, `${field} must be an ISO 8601 duration such as P2Y, P6M, P1Y6M, P90D or PT12H (got "${text}")`);
  }
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => (part ? Number(part) : 0)) as [
    number, number, number, number, number, number, number,
  ];
  const duration = { years, months, weeks, days, hours, minutes, seconds };
  const approximateDays = years * 365.25 + months * 30.44 + weeks * 7 + days + (hours * 3600 + minutes * 60 + seconds) / 86_400;
  if (approximateDays === 0) invalid(field, `${field} must be longer than zero`);
  if (approximateDays > MAX_DURATION_YEARS * 365.25) invalid(field, `${field} must be at most ${MAX_DURATION_YEARS} years`);
  return duration;
}

/** The canonical spelling: zero components left out, e.g. `{ years: 1, months: 0 }` → `P1Y`. */
export function formatDuration(duration: Duration): string {
  const date = [
    [duration.years, 'Y'],
    [duration.months, 'M'],
    [duration.weeks, 'W'],
    [duration.days, 'D'],
  ] as const;
  const time = [
    [duration.hours, 'H'],
    [duration.minutes, 'M'],
    [duration.seconds, 'S'],
  ] as const;
  const part = (components: readonly (readonly [number, string])[]) =>
    components.filter(([amount]) => amount > 0).map(([amount, unit]) => `${amount}${unit}`).join('');
  const timePart = part(time);
  return `P${part(date)}${timePart ? `T${timePart}` : ''}`;
}

/** Parses and re-spells a duration, so equal periods are stored alike (`P1Y0M` → `P1Y`). */
export function normaliseDuration(value: string, field = 'validity'): string {
  return formatDuration(parseDuration(value, field));
}

/**
 * `date` + `duration`, on the UTC calendar: years and months first, clamping the day to the end of a shorter
 * month (31 January + P1M = 28 or 29 February; 29 February 2024 + P1Y = 28 February 2025), then weeks and days
 * (24-hour UTC days, so no daylight-saving surprises), then hours, minutes and seconds.
 */
export function addDuration(date: Date, duration: Duration | string): Date {
  const period = typeof duration === 'string' ? parseDuration(duration) : duration;
  const result = new Date(date.getTime());
  const monthsToAdd = period.years * 12 + period.months;
  if (monthsToAdd > 0) {
    const totalMonths = date.getUTCMonth() + monthsToAdd;
    const year = date.getUTCFullYear() + Math.floor(totalMonths / 12);
    const month = totalMonths % 12;
    const lastDayOfMonth = new Date(0);
    // Day 0 of the next month is the last day of this one. setUTCFullYear, unlike Date.UTC, keeps years 0–99 as given.
    lastDayOfMonth.setUTCFullYear(year, month + 1, 0);
    result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDayOfMonth.getUTCDate()));
  }
  const milliseconds =
    (period.weeks * 7 + period.days) * DAY_MS + period.hours * 3_600_000 + period.minutes * 60_000 + period.seconds * 1000;
  return new Date(result.getTime() + milliseconds);
}
