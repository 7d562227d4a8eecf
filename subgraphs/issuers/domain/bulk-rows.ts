import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../lib/errors.js';
import type { EvidenceRequest, RecipientIdentity, RecipientRequest } from './credential.js';

/** One row of a bulk request, before validation (from GraphQL `rows` or parsed from CSV). */
export interface BulkRow {
  recipient: RecipientRequest;
  evidence: EvidenceRequest[];
  validFrom?: Date | null;
  validUntil?: Date | null;
  /** The row's own idempotency key; without one, a hash of what it awards to whom (`defaultRowKey`). */
  idempotencyKey?: string | null;
}

/** A problem with one row: its 1-based number (the header of a CSV is not counted), the field, the reason. */
export interface RowError {
  row: number;
  field: string;
  reason: string;
}

/** @default 10_000 // rows per job; bigger programmes split their list */
export const MAX_BULK_ROWS = 10_000;
/** Evidence columns may repeat with a suffix: evidence_kind, evidence_kind_2 … evidence_kind_5. */
const EVIDENCE_SLOTS = ['', '_2', '_3', '_4', '_5'];
const RECIPIENT_COLUMNS = { email: 'email', did: 'did', url: 'url', phone: 'phone', student_id: 'studentId', name: 'name' } as const;

function dateCell(value: string | undefined, row: number, field: string, errors: RowError[]): Date | null {
  if (!value?.trim()) return null;
  const date = new Date(value.trim());
  if (Number.isNaN(date.getTime()) || !/\d{4}-\d{2}-\d{2}/.test(value)) {
    errors.push({ row, field, reason: `"${value}" is not an ISO 8601 date-time` });
    return null;
  }
  return date;
}

/**
 * Parses a CSV with a header row into bulk rows. Columns: email | did | url | phone | student_id (exactly one per
 * row), name, evidence_kind, evidence_url, evidence_narrative, evidence_name (repeatable with _2 … _5),
 * valid_from, valid_until, idempotency_key. Unknown columns are refused so a typo cannot silently drop data.
 */
export function parseBulkCsv(csv: string): { rows: BulkRow[]; errors: RowError[] } {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw new AppError('BAD_USER_INPUT', `csv is not valid CSV: ${(error as Error).message}`, { field: 'csv' });
  }
  if (records.length === 0) throw new AppError('BAD_USER_INPUT', 'csv has no rows under its header', { field: 'csv' });
  const known = new Set([
    ...Object.keys(RECIPIENT_COLUMNS),
    'valid_from',
    'valid_until',
    'idempotency_key',
    ...EVIDENCE_SLOTS.flatMap((slot) => ['kind', 'url', 'narrative', 'name'].map((part) => `evidence_${part}${slot}`)),
  ]);
  const unknown = Object.keys(records[0]!).filter((column) => !known.has(column));
  if (unknown.length > 0) throw new AppError('BAD_USER_INPUT', `csv has unknown columns: ${unknown.join(', ')}`, { field: 'csv', unknown });
  const errors: RowError[] = [];
  const rows = records.map((record, index) => {
    const row = index + 1;
    const recipient: RecipientRequest = {};
    for (const [column, field] of Object.entries(RECIPIENT_COLUMNS)) if (record[column]) recipient[field] = record[column];
    const evidence = EVIDENCE_SLOTS.filter((slot) => record[`evidence_kind${slot}`]).map((slot) => ({
      kind: record[`evidence_kind${slot}`]!.toUpperCase(),
      url: record[`evidence_url${slot}`] || null,
      narrative: record[`evidence_narrative${slot}`] || null,
      name: record[`evidence_name${slot}`] || null,
    }));
    return {
      recipient,
      evidence,
      validFrom: dateCell(record.valid_from, row, 'valid_from', errors),
      validUntil: dateCell(record.valid_until, row, 'valid_until', errors),
      idempotencyKey: record.idempotency_key || null,
    };
  });
  return { rows, errors };
}

/** PostgreSQL text and jsonb cannot hold U+0000: a row carrying one is the issuer's to fix, not a database error. */
function unstorableText(row: BulkRow): AppError[] {
  return Object.entries({ ...row.recipient, evidence: row.evidence, idempotencyKey: row.idempotencyKey })
    .filter(([, value]) => JSON.stringify(value ?? null).includes('\\u0000'))
    .map(([field]) => new AppError('BAD_USER_INPUT', `${field} contains a NUL character (U+0000), which cannot be stored`, { field }));
}

/**
 * Checks every row with `problemsOf` (every problem of the row, as AppErrors) and collects each problem with its row
 * number, so an issuer fixes the whole file in one go.
 */
export function validateRows(rows: readonly BulkRow[], problemsOf: (row: BulkRow, rowNumber: number) => AppError[]): RowError[] {
  if (rows.length === 0) throw new AppError('BAD_USER_INPUT', 'a bulk job needs at least one row', { field: 'rows' });
  if (rows.length > MAX_BULK_ROWS) {
    throw new AppError('BAD_USER_INPUT', `a bulk job holds at most ${MAX_BULK_ROWS} rows, got ${rows.length}`, { field: 'rows' });
  }
  return rows.flatMap((row, index) => {
    const unstorable = unstorableText(row);
    const problems = unstorable.length > 0 ? unstorable : problemsOf(row, index + 1);
    return problems.map((error) => ({ row: index + 1, field: String(error.details.field ?? 'row'), reason: error.message }));
  });
}

/** The idempotency key of a row of a job queued with `allowReissue`: retrying the row after a crash finds its credential. */
export const rowIdempotencyKey = (jobId: string, rowNumber: number) => `job:${jobId}:${rowNumber}`;

/**
 * The idempotency key of a row without one of its own: what it awards to whom, with which evidence and validity, so
 * running the same list again finds the credentials it issued the first time (the recipient's name is left out:
 * correcting a spelling does not make a second credential).
 */
export function defaultRowKey(input: {
  achievementId: string;
  recipient: Pick<RecipientIdentity, 'type' | 'value'>;
  evidence: readonly Record<string, unknown>[];
  validFrom: Date | null | undefined;
  validUntil: Date | null | undefined;
}): string {
  const hashed = JSON.stringify({
    achievementId: input.achievementId,
    recipient: { type: input.recipient.type, value: input.recipient.value },
    evidence: input.evidence,
    validFrom: input.validFrom?.toISOString() ?? null,
    validUntil: input.validUntil?.toISOString() ?? null,
  });
  return `bulk:${createHash('sha256').update(hashed).digest('base64url')}`;
}
