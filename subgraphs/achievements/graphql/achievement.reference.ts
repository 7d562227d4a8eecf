import type { AchievementsContext } from '../context.js';
import type { AchievementView } from '../db/tables.js';
import { canReadVersion } from '../domain/visibility.js';

/**
 * An achievement by `id` (its current version) or by `id` and `version`, or null when it does not exist or the
 * viewer may not see it (a draft, to anyone but the issuer's members and operators). Through loaders: the
 * gateway sends many representations per request, and the loaders turn them into one query.
 */
export async function findAchievement(ctx: AchievementsContext, reference: { id: string; version?: number | null }): Promise<AchievementView | null> {
  const row =
    reference.version === undefined || reference.version === null
      ? await ctx.loaders.achievementById.load(reference.id)
      : await ctx.loaders.achievementVersion.load({ achievementId: reference.id, version: reference.version });
  return row && canReadVersion(ctx.viewer, row) ? row : null;
}

/** `@key(fields: "id")` and `@key(fields: "id version")`: credentials can point at the exact version they embed. */
export function resolveAchievementReference(reference: { id: string; version?: number | null }, ctx: AchievementsContext) {
  return findAchievement(ctx, reference);
}
