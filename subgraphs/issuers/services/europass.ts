import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { Logger } from '../../../lib/log.js';
import type { IssuanceStore } from '../db/issuance-store.js';
import type { IssuedCredentialRow } from '../db/tables.js';
import { buildEdc, type EdcExport } from '../domain/edc-export.js';
import type { BadgeImages } from './badge-images.js';
import type { HostedCopiesService } from './hosted-copies.js';

export interface EuropassDeps {
  credentials: IssuanceStore;
  hostedCopies: HostedCopiesService;
  badgeImages: BadgeImages;
  publicBaseUrl: string;
  log: Logger;
}

/**
 * Europass for credentials this hub issued: the unsigned EDC an institution seals with its own eIDAS seal (Cairn
 * cannot hold one). Exports are computed from the signed OB document each time, so they always say what it says.
 */
export function createEuropassService({ credentials, hostedCopies, badgeImages, publicBaseUrl, log }: EuropassDeps) {
  const credentialUrl = (id: string) => `${publicBaseUrl}/credentials/${id}`;

  async function exportOf(row: IssuedCredentialRow, recipientName: string | null): Promise<EdcExport> {
    // The display image is mandatory in an EDC, but a failure to render it must not cost the issuer the export.
    const badgePng = await badgeImages.png(row).catch((error: unknown) => {
      log.warn({ credentialId: row.id, err: error }, 'badge image for the EDC display could not be rendered');
      return null;
    });
    return buildEdc({ document: row.document, credentialId: row.id, credentialUrl: credentialUrl(row.id), issuedAt: row.issuedAt, badgePng, recipientName });
  }

  return {
    /**
     * `Credential.europass`: the issuer's members (and operators) see the export with its warnings; null for a
     * credential this hub did not issue.
     */
    async exportForIssuer(viewer: Viewer, id: string, recipientName: string | null): Promise<EdcExport | null> {
      const row = await credentials.findCredential(id);
      if (!row) return null;
      assertIssuerAccess(viewer, row.issuerId, 'VIEWER');
      return exportOf(row, recipientName);
    },

    /** `GET /credentials/{id}?format=edc`: as visible as the JSON and JWT forms (the holder's choice, hosted-copies.ts). */
    async hostedEdc(viewer: Viewer, id: string): Promise<Record<string, unknown>> {
      const row = await hostedCopies.readable(viewer, id);
      return (await exportOf(row, null)).document;
    },
  };
}

export type EuropassService = ReturnType<typeof createEuropassService>;
