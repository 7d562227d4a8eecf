import { AppError } from '../../../lib/errors.js';
import type { StatusPurpose } from '../../../lib/status/bitstring.js';

/** What a VC-API `POST /credentials/issue` asks for besides the credential. */
export interface IssueOptions {
  /** The issuer an operator key signs for (an issuer member's key signs for its own). */
  issuerId: unknown;
  /** A Bitstring status entry of this purpose, or none. */
  statusPurpose: StatusPurpose | null;
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
  return { issuerId: options.issuerId, statusPurpose: options.credentialStatus === undefined ? null : requestedStatusPurpose(options.credentialStatus) };
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
