import type { VersionStatus } from '../domain/lifecycle.js';

/** The columns a version status change sets, for achievements' and pathways' versions alike: when it was published, superseded or archived. */
export function versionStatusStamps(status: VersionStatus, at: Date) {
  return {
    status,
    updatedAt: at,
    ...(status === 'PUBLISHED' ? { publishedAt: at } : {}),
    ...(status === 'SUPERSEDED' ? { supersededAt: at } : {}),
    ...(status === 'ARCHIVED' ? { archivedAt: at } : {}),
  };
}
