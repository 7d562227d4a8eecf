import type { Viewer } from '../../../lib/auth/viewer.js';
import { AppError, UnauthenticatedError, UnauthorizedError } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/ids.js';
import { normaliseCredentialIdList } from './credential-id-list.js';

/** PUBLIC: anyone holding the link. EMPLOYER: only keys of the one employer organisation it names. */
export type ShareAudienceValue = 'PUBLIC' | 'EMPLOYER';
/**
 * What a standing consent lets an employer read. PUBLIC_AND_SHARED: the wallet credentials the recipient marked
 * PUBLIC or SHARED_ONLY. ALL: every credential in the wallet, PRIVATE ones included.
 */
export type ConsentScopeValue = 'PUBLIC_AND_SHARED' | 'ALL';

/** @default 30 // days a share lives when the recipient does not say */
export const DEFAULT_SHARE_DAYS = 30;
/** @default 366 // no link lives for ever: the longest a share may be set to */
export const MAX_SHARE_DAYS = 366;
/** @default 200 // as many as a portfolio holds */
export const MAX_SHARED_CREDENTIALS = 200;
const DAY_MS = 24 * 60 * 60_000;

/**
 * The refusal of a share that does not exist or is meant for another employer: the same words for both, so a token
 * reveals neither whether it exists nor for whom it was meant.
 */
export const SHARE_REFUSED = 'This share link is not valid for you: it may be revoked, expired, or meant for another employer';

/**
 * Why a share that exists no longer opens (`extensions.reason`), told to whoever holds its token: the holder withdrew
 * it, or it expired (`extensions.expiredAt`). Neither says anything about for whom it was meant.
 */
export type ShareClosedReason = 'WITHDRAWN' | 'EXPIRED';

function shareClosed(share: ShareAccess, now: Date): UnauthorizedError | null {
  if (share.revokedAt) return new UnauthorizedError('This share link was withdrawn by the person who shared it', { reason: 'WITHDRAWN' satisfies ShareClosedReason });
  if (share.expiresAt.getTime() <= now.getTime()) {
    return new UnauthorizedError(`This share link expired on ${share.expiresAt.toISOString()}`, { reason: 'EXPIRED' satisfies ShareClosedReason, expiredAt: share.expiresAt.toISOString() });
  }
  return null;
}

export interface ShareSelection {
  credentialIds: string[] | null;
  portfolioId: string | null;
}

/** Exactly one of an explicit credential list (ordered, no repeats) or a portfolio. */
export function normaliseShareSelection(input: { credentialIds?: string[] | null; portfolioId?: string | null }): ShareSelection {
  const hasIds = input.credentialIds != null;
  if (hasIds === (input.portfolioId != null)) {
    throw new AppError('BAD_USER_INPUT', 'Share either credentialIds or a portfolioId', { field: 'credentialIds' });
  }
  if (!hasIds) {
    if (!isUuid(input.portfolioId!)) throw new AppError('BAD_USER_INPUT', 'portfolioId is not an id', { field: 'portfolioId' });
    return { credentialIds: null, portfolioId: input.portfolioId!.toLowerCase() };
  }
  return { credentialIds: normaliseSharedCredentialIds(input.credentialIds!), portfolioId: null };
}

export function normaliseSharedCredentialIds(ids: readonly string[]): string[] {
  return normaliseCredentialIdList(ids, { holder: 'share', max: MAX_SHARED_CREDENTIALS, atLeastOne: true });
}

/** An EMPLOYER share names its organisation; a PUBLIC one must not (it would suggest a restriction that is not there). */
export function normaliseAudience(audience: ShareAudienceValue, employerOrgId: string | null | undefined): string | null {
  if (audience === 'PUBLIC') {
    if (employerOrgId) throw new AppError('BAD_USER_INPUT', 'A PUBLIC share is for anyone with the link: leave employerId out', { field: 'employerId' });
    return null;
  }
  if (!employerOrgId || !isUuid(employerOrgId)) {
    throw new AppError('BAD_USER_INPUT', 'An EMPLOYER share names the employerId it is for', { field: 'employerId' });
  }
  return employerOrgId.toLowerCase();
}

/** When the share stops working: in the future, at most MAX_SHARE_DAYS ahead; DEFAULT_SHARE_DAYS when not given. */
export function shareExpiry(expiresAt: Date | null | undefined, now: Date): Date {
  if (!expiresAt) return new Date(now.getTime() + DEFAULT_SHARE_DAYS * DAY_MS);
  if (expiresAt.getTime() <= now.getTime()) throw new AppError('BAD_USER_INPUT', 'expiresAt must be in the future', { field: 'expiresAt' });
  if (expiresAt.getTime() > now.getTime() + MAX_SHARE_DAYS * DAY_MS) {
    throw new AppError('BAD_USER_INPUT', `A share lives at most ${MAX_SHARE_DAYS} days`, { field: 'expiresAt' });
  }
  return expiresAt;
}

interface ShareAccess {
  recipientId: string;
  audience: ShareAudienceValue;
  employerOrgId: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
}

/**
 * Who may open a share: anyone for a live PUBLIC share; for a live EMPLOYER share, keys of that employer only.
 * Its owner and operators may always look at it (to check what they sent). Revoked and expired shares open for
 * nobody but the owner, and say which they are (`extensions.reason`), whatever their audience, before it is looked
 * at. An unknown token and another employer's key get the same reasonless UNAUTHORIZED, so nobody can probe a
 * link for whom it was meant.
 */
export function assertCanOpenShare(viewer: Viewer, share: ShareAccess | null, now: Date): asserts share is ShareAccess {
  if (!share) throw new UnauthorizedError(SHARE_REFUSED);
  if (viewer.kind === 'ADMIN' || (viewer.kind === 'RECIPIENT' && viewer.recipientId === share.recipientId)) return;
  const closed = shareClosed(share, now);
  if (closed) throw closed;
  if (share.audience === 'PUBLIC') return;
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError('This share is for an employer: send its API key');
  if (viewer.kind !== 'EMPLOYER' || viewer.employerId.toLowerCase() !== share.employerOrgId) throw new UnauthorizedError(SHARE_REFUSED);
}

/** The employer organisation asking for a candidate; only employer keys ask (their consent is checked next). */
export function employerAsking(viewer: Viewer): string {
  if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
  if (viewer.kind !== 'EMPLOYER') throw new UnauthorizedError('Only an employer key reads candidates, with the candidate’s consent');
  return viewer.employerId.toLowerCase();
}

/** A refusal that says nothing about whether the recipient exists or ever consented. */
export const NO_CONSENT = 'This candidate has not given your organisation consent (or has revoked it)';

export function normaliseConsentInput(employerOrgId: string, scope: ConsentScopeValue): { employerOrgId: string; scope: ConsentScopeValue } {
  if (!isUuid(employerOrgId)) throw new AppError('BAD_USER_INPUT', 'employerId is not an id', { field: 'employerId' });
  return { employerOrgId: employerOrgId.toLowerCase(), scope };
}
