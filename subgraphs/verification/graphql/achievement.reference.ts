import type { Achievement } from './achievement.entity.js';

/** Any achievement id is a valid reference here: `metrics` says NOT_FOUND for one no event has named. */
export function resolveAchievementReference(reference: { id: string }): Achievement {
  return { id: reference.id };
}
