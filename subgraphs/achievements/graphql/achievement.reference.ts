import type { AchievementsContext } from '../context.js';

/** The gateway sends many representations per request; the loader turns them into one query. */
export function resolveAchievementReference(reference: { id: string }, ctx: AchievementsContext) {
  return ctx.loaders.achievementById.load(reference.id);
}
