import { canActForIssuer } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { AchievementStatus } from './lifecycle.js';

/**
 * Who sees what. A version that was ever published is public for ever (credentials embed it); a version that
 * never was (a draft, or a draft archived before publication) is visible only to the issuer's members and operators.
 */
export function canReadVersion(viewer: Viewer, version: { issuerId: string; publishedAt: Date | null }): boolean {
  return version.publishedAt !== null || canActForIssuer(viewer, version.issuerId, 'VIEWER');
}

/** Which of an issuer's achievements a list shows. */
export interface AchievementListFilter {
  statuses: AchievementStatus[];
  /** Only achievements whose current version was published (what non-members may see). */
  publishedOnly: boolean;
}

/**
 * `Issuer.achievements(status)`: without a status, what is live: PUBLISHED, plus DRAFT for members and operators.
 * ARCHIVED ones are listed only when asked for. A non-member asking for DRAFT gets an empty list, not an error:
 * the list is "the drafts you may see".
 */
export function achievementListFilter(viewer: Viewer, issuerId: string, status: AchievementStatus | null | undefined): AchievementListFilter {
  const member = canActForIssuer(viewer, issuerId, 'VIEWER');
  if (!status) return member ? { statuses: ['DRAFT', 'PUBLISHED'], publishedOnly: false } : { statuses: ['PUBLISHED'], publishedOnly: true };
  if (member) return { statuses: [status], publishedOnly: false };
  return status === 'DRAFT' ? { statuses: [], publishedOnly: true } : { statuses: [status], publishedOnly: true };
}
