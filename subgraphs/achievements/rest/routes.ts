import { Router } from 'express';
import { OB_CREDENTIAL_CONTEXTS } from '../../../lib/crypto/ob-constants.js';
import type { PublishedAchievements } from '../services/published-achievements.js';

/**
 * `GET /achievements/{id}/versions/{n}`: the id URL of every achievement a credential embeds answers with that
 * OB 3.0 Achievement (JSON-LD); browsers get its page from the gateway instead.
 */
export function createAchievementRoutes({ published }: { published: PublishedAchievements }): Router {
  const router = Router();
  router.get('/achievements/:id/versions/:version', async (req, res) => {
    const achievement = await published.obAchievement(req.params.id, Number(req.params.version));
    res.type('application/ld+json').set('cache-control', 'public, max-age=300').json({ '@context': [...OB_CREDENTIAL_CONTEXTS], ...achievement });
  });
  return router;
}
