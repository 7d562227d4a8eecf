import type { AchievementsContext } from '../context.js';

/** Skills are public and shared by every issuer; references batch through the loader. */
export function resolveSkillReference(reference: { id: string }, ctx: AchievementsContext) {
  return ctx.loaders.skillById.load(reference.id);
}
