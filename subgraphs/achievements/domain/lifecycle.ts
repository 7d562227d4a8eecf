import { AppError } from '../../../lib/errors.js';
import { resolveCompetencyBased, type DraftDefinition } from './achievement-definition.js';

/**
 * The lifecycle of an achievement: DRAFT → PUBLISHED → ARCHIVED, with versions.
 * - A draft is edited in place. Publishing it makes it the version new credentials get.
 * - A published version never changes (credentials embed it). Changing a published achievement starts a new
 *   draft version (n+1); version n stays published and issuable until the draft is published, which supersedes n.
 * - Archiving stops new issuance. Every version that was ever published stays readable, for ever.
 */
/** Where an achievement is in its life: DRAFT (never published), PUBLISHED (a version is issuable), ARCHIVED. */
export type AchievementStatus = 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';
/** A version is a DRAFT until published; publishing a newer one SUPERSEDES it; archiving the achievement ARCHIVES it. */
export type VersionStatus = 'DRAFT' | 'PUBLISHED' | 'SUPERSEDED' | 'ARCHIVED';

export interface AchievementState {
  status: AchievementStatus;
  currentVersion: number;
  latestVersion: number;
  publishedVersion: number | null;
  draftVersion: number | null;
}

export type VersionChange = { version: number; status: VersionStatus };

export interface Transition {
  next: AchievementState;
  /** Version statuses to write, in order. */
  versions: VersionChange[];
}

export const FIRST_VERSION: AchievementState = { status: 'DRAFT', currentVersion: 1, latestVersion: 1, publishedVersion: null, draftVersion: 1 };

function conflict(message: string): never {
  throw new AppError('CONFLICT', message);
}

/**
 * Which version an update writes: the pending draft, or a new draft copied from the published version.
 * `baseVersion` is the version whose definition the changes apply to.
 */
export function planUpdate(state: AchievementState): { version: number; baseVersion: number; createsVersion: boolean; next: AchievementState } {
  if (state.status === 'ARCHIVED') conflict('This achievement is archived: it can no longer change');
  if (state.draftVersion !== null) return { version: state.draftVersion, baseVersion: state.draftVersion, createsVersion: false, next: state };
  const version = state.latestVersion + 1;
  return {
    version,
    baseVersion: state.publishedVersion ?? state.currentVersion,
    createsVersion: true,
    next: { ...state, latestVersion: version, draftVersion: version },
  };
}

/** Publishing makes the draft the current, issuable version and supersedes the one it replaces. */
export function planPublish(state: AchievementState): Transition & { version: number; supersedes: number | null } {
  if (state.status === 'ARCHIVED') conflict('This achievement is archived: it can no longer be published');
  if (state.draftVersion === null) {
    conflict(`Version ${state.publishedVersion} is already published and there is no draft: update the achievement to start version ${state.latestVersion + 1}`);
  }
  const version = state.draftVersion;
  const supersedes = state.publishedVersion;
  return {
    version,
    supersedes,
    next: { ...state, status: 'PUBLISHED', currentVersion: version, publishedVersion: version, draftVersion: null },
    versions: [
      ...(supersedes === null ? [] : [{ version: supersedes, status: 'SUPERSEDED' as const }]),
      { version, status: 'PUBLISHED' as const },
    ],
  };
}

/**
 * Archiving stops new issuance: the published version and any pending draft are archived. Archiving an archived
 * achievement changes nothing (null), so a retried request is harmless.
 */
export function planArchive(state: AchievementState): Transition | null {
  if (state.status === 'ARCHIVED') return null;
  const versions = [state.publishedVersion, state.draftVersion]
    .filter((version): version is number => version !== null)
    .map((version) => ({ version, status: 'ARCHIVED' as const }));
  return { next: { ...state, status: 'ARCHIVED', publishedVersion: null, draftVersion: null }, versions };
}

/**
 * What publishing needs beyond a valid draft: a competency-based achievement must say what evidence shows the
 * competency, or credentials could be issued on nothing (normaliseEvidenceRules already refused ATTENDANCE alone).
 */
export function assertPublishable(definition: DraftDefinition): void {
  if (resolveCompetencyBased(definition) && definition.evidenceRules.length === 0) {
    throw new AppError(
      'BAD_USER_INPUT',
      'A competency-based achievement needs at least one evidence rule before it is published (or set competencyBased: false)',
      { field: 'evidenceRules' },
    );
  }
}
