import { AppError } from '../../../lib/errors.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';

/** What a VC-API `POST /credentials/issue` asks for besides the credential. */
export interface IssueOptions {
  /** The issuer an operator key signs for (an issuer member's key signs for its own). */
  issuerId: unknown;
  /** A Bitstring status entry of this purpose, or none. */
  statusPurpose: StatusPurpose | null;
  /** What the entry carries besides the list and index: `statusSize` 1 with its `statusMessage`s, `statusReference`. */
  statusDetails: StatusDetails;
}

/** The optional properties of a BitstringStatusListEntry the caller may set (the hub's lists have 1-bit entries). */
export interface StatusDetails {
  statusSize?: 1;
  statusMessage?: Array<{ status: string; message: string }>;
  statusReference?: string | string[];
}

/**
 * Reads the issue options; one the hub does not support is refused by name instead of being silently ignored.
 * @throws AppError BAD_USER_INPUT naming the option.
 */
export function issueOptionsOf(options: Record<string, unknown>): IssueOptions {
  for (const name of Object.keys(options)) {
    if (name === 'issuerId' || name === 'credentialStatus') continue;
    const why = name === 'statusPurpose' ? 'ask for a status entry with options.credentialStatus: { type: "BitstringStatusListEntry", statusPurpose }' : 'the hub does not support it';
    throw new AppError('BAD_USER_INPUT', `options.${name} is not supported here: ${why}`, { field: `options.${name}` });
  }
  if (options.credentialStatus === undefined) return { issuerId: options.issuerId, statusPurpose: null, statusDetails: {} };
  return { issuerId: options.issuerId, statusPurpose: requestedStatusPurpose(options.credentialStatus), statusDetails: statusDetailsOf(options.credentialStatus as Record<string, unknown>) };
}

const STATUS_ENTRY_OPTIONS = new Set(['type', 'statusPurpose', 'statusSize', 'statusMessage', 'statusReference']);

/**
 * Bitstring Status List §2.1: `statusSize` (the hub's entries are one bit, so 1), `statusMessage` (one
 * `{ status: "0x…", message }` per value a bit can take: two) and `statusReference` (URLs). Anything else is refused.
 */
function statusDetailsOf(option: Record<string, unknown>): StatusDetails {
  const fail = (field: string, message: string) => new AppError('BAD_USER_INPUT', `options.credentialStatus.${field} ${message}`, { field: `options.credentialStatus.${field}` });
  const unknown = Object.keys(option).find((key) => !STATUS_ENTRY_OPTIONS.has(key));
  if (unknown) throw fail(unknown, 'is not supported');
  const details: StatusDetails = {};
  if (option.statusSize !== undefined) {
    if (option.statusSize !== 1) throw fail('statusSize', 'must be 1: the hub’s status lists hold one bit per credential');
    details.statusSize = 1;
  }
  if (option.statusMessage !== undefined) {
    const messages = option.statusMessage;
    const wellFormed = Array.isArray(messages) && messages.every((entry) => typeof entry?.status === 'string' && /^0x[0-9a-fA-F]+$/.test(entry.status) && typeof entry.message === 'string');
    if (!wellFormed || messages.length !== 2) throw fail('statusMessage', 'must be two { "status": "0x…", "message": "…" } entries, one per value of a 1-bit status');
    details.statusSize = 1;
    details.statusMessage = messages.map((entry: { status: string; message: string }) => ({ status: entry.status, message: entry.message }));
  }
  if (option.statusReference !== undefined) {
    const references = Array.isArray(option.statusReference) ? option.statusReference : [option.statusReference];
    if (references.length === 0 || !references.every((reference) => typeof reference === 'string' && /^https?:\/\/\S+$/.test(reference))) throw fail('statusReference', 'must be a URL or a list of URLs');
    details.statusReference = option.statusReference as string | string[];
  }
  return details;
}

function requestedStatusPurpose(option: unknown): StatusPurpose {
  const { type, statusPurpose } = (option ?? {}) as { type?: unknown; statusPurpose?: unknown };
  if (type !== 'BitstringStatusListEntry') {
    throw new AppError('BAD_USER_INPUT', `options.credentialStatus.type ${JSON.stringify(type)} is not supported: only BitstringStatusListEntry`, { field: 'options.credentialStatus.type' });
  }
  if (statusPurpose !== 'revocation' && statusPurpose !== 'suspension') {
    throw new AppError('BAD_USER_INPUT', `options.credentialStatus.statusPurpose must be "revocation" or "suspension", got ${JSON.stringify(statusPurpose)}`, {
      field: 'options.credentialStatus.statusPurpose',
    });
  }
  return statusPurpose;
}
