import { createHash, randomBytes } from 'node:crypto';

/** `shr_` + 256 random bits: unguessable, so a fast hash at rest is enough (like API keys). */
export function newShareToken(): string {
  return `shr_${randomBytes(32).toString('base64url')}`;
}

/** What the database keeps of a token: only this, so a database copy opens no share. */
export function hashShareToken(token: string): string {
  return createHash('sha256').update(token.trim()).digest('base64url');
}

/** The link a recipient hands out; the gateway serves the share's presentation there. */
export function shareUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/shares/${token}`;
}
