import { Router } from 'express';
import { OB_CREDENTIAL_CONTEXTS } from '../../../lib/crypto/ob-constants.js';
import type { PublishedAchievements } from '../services/published-achievements.js';
import type { PublishedPathways } from '../services/published-pathways.js';

/**
 * `GET /achievements/{id}/versions/{n}`: the id URL of every achievement a credential embeds answers with that
 * OB 3.0 Achievement (JSON-LD); browsers get its page from the gateway instead. `GET /pathways/{id}`: a published
 * pathway as CTDL JSON-LD (`ceterms:Pathway`).
 */
export function createAchievementRoutes({ published, pathways }: { published: PublishedAchievements; pathways: PublishedPathways }): Router {
  const router = Router();
  router.get('/achievements/:id/versions/:version', async (req, res) => {
    const achievement = await published.obAchievement(req.params.id, Number(req.params.version));
    res.type('application/ld+json').set('cache-control', 'public, max-age=300').json({ '@context': [...OB_CREDENTIAL_CONTEXTS], ...achievement });
  });
  // A published pathway in CTDL (Credential Engine), for registries to ingest.
  router.get('/pathways/:id', async (req, res) => {
    res.type('application/ld+json').set('cache-control', 'public, max-age=300').json(await pathways.ctdl(req.params.id));
  });
  return router;
}
