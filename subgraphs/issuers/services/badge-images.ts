import { defaultBadgeSvg } from '../../../lib/badges/default-image.js';
import { renderPng } from '../../../lib/badges/render.js';
import type { IssuerStore } from '../db/store.js';
import type { IssuedCredentialRow } from '../db/tables.js';
import { pngAsSvg, type BadgeArtSource } from '../rest/badge-art.js';

/** @default 256 // badge artworks kept rendered; every credential of one achievement shares its artwork */
const RENDERED_BADGES = 256;

/**
 * A credential's badge artwork, unbaked: the achievement's own (inline or fetched, see badge-art.ts), or a generated
 * badge when the achievement has none or it cannot be had. The badge routes bake the credential into it; the EDC
 * export shows it as the credential's display.
 */
export function createBadgeImages({ store, badgeArt, publicBaseUrl }: { store: IssuerStore; badgeArt: BadgeArtSource; publicBaseUrl: string }) {
  const renderedBadges = new Map<string, Buffer>();

  /** Rendering SVG to PNG costs tens of milliseconds of CPU: do it once per artwork, not per download. */
  function renderedPng(svg: string): Buffer {
    let png = renderedBadges.get(svg);
    if (!png) {
      png = renderPng(svg);
      if (renderedBadges.size >= RENDERED_BADGES) renderedBadges.delete(renderedBadges.keys().next().value!);
      renderedBadges.set(svg, png);
    }
    return png;
  }

  async function artOf(credential: Pick<IssuedCredentialRow, 'document' | 'issuerId' | 'achievementId'>) {
    const achievement = (credential.document.credentialSubject as { achievement: { name: string; image?: string | { id?: string } } }).achievement;
    const imageUrl = typeof achievement.image === 'string' ? achievement.image : achievement.image?.id;
    // The default image of a credential is its own badge.svg: that is a route of this hub, not artwork to fetch.
    const art = imageUrl?.startsWith(`${publicBaseUrl}/credentials/`) ? null : await badgeArt.artFor(imageUrl);
    const generated = async () => {
      const [issuer] = await store.findByIds([credential.issuerId]);
      return defaultBadgeSvg({ name: achievement.name, issuerName: issuer?.name ?? '', seed: credential.achievementId });
    };
    return { art, generated };
  }

  return {
    async svg(credential: Pick<IssuedCredentialRow, 'document' | 'issuerId' | 'achievementId'>): Promise<string> {
      const { art, generated } = await artOf(credential);
      return art?.kind === 'svg' ? art.markup : art?.kind === 'png' ? pngAsSvg(art.bytes) : generated();
    },
    async png(credential: Pick<IssuedCredentialRow, 'document' | 'issuerId' | 'achievementId'>): Promise<Buffer> {
      const { art, generated } = await artOf(credential);
      return art?.kind === 'png' ? art.bytes : renderedPng(art?.kind === 'svg' ? art.markup : await generated());
    },
  };
}

export type BadgeImages = ReturnType<typeof createBadgeImages>;
