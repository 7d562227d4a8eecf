import { zipSync, strToU8 } from 'fflate';
import type * as x509 from '@peculiar/x509';
import { assertIssuerAccess } from '../../../lib/auth/access.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { AppError, NotFoundError } from '../../../lib/errors.js';
import { isJadesDocument, verifyJadesSeal, type JadesVerification } from '../../../lib/europass/jades.js';
import type { Logger } from '../../../lib/log.js';
import type { EuropassStore } from '../db/europass-store.js';
import type { IssuanceStore } from '../db/issuance-store.js';
import type { IssuedCredentialRow, SealedEdcRow } from '../db/tables.js';
import { buildEdc, type EdcExport } from '../domain/edc-export.js';
import type { BadgeImages } from './badge-images.js';
import type { HostedCopiesService } from './hosted-copies.js';

export interface EuropassDeps {
  db: Db;
  store: EuropassStore;
  credentials: IssuanceStore;
  hostedCopies: HostedCopiesService;
  badgeImages: BadgeImages;
  /** The operator's EU trusted-list certificates (EUROPASS_TRUST_ANCHORS); null when none are configured. */
  trustAnchors: readonly x509.X509Certificate[] | null;
  publicBaseUrl: string;
  log: Logger;
  now?: () => Date;
}

/** @default 2_000 // credentials in one zip: an achievement's cohort or a bulk job; more is exported job by job */
export const MAX_EXPORTED_CREDENTIALS = 2_000;

/** What `importSealedEdc` answers: the seal as it was checked. */
export interface SealedEdcImport {
  row: SealedEdcRow;
  trust: JadesVerification['trust'];
  trustMessage: string;
}

/**
 * Europass for credentials this hub issued: the unsigned EDC an institution seals with its own eIDAS seal (Cairn
 * cannot hold one), one at a time or zipped by achievement or bulk job, and the sealed EDC handed back, which is then
 * served instead. Exports are computed from the signed OB document each time, so they always say what it says.
 */
export function createEuropassService(deps: EuropassDeps) {
  const { db, store, credentials, hostedCopies, badgeImages, publicBaseUrl, log, now = () => new Date() } = deps;
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
     * `Credential.europass`: the issuer's members (and operators) see the export with its warnings, and the sealed
     * EDC handed back, if any; null for a credential this hub did not issue.
     */
    async exportForIssuer(viewer: Viewer, id: string, recipientName: string | null): Promise<(EdcExport & { sealed: SealedEdcRow | null }) | null> {
      const row = await credentials.findCredential(id);
      if (!row) return null;
      assertIssuerAccess(viewer, row.issuerId, 'VIEWER');
      const [exported, sealed] = await Promise.all([exportOf(row, recipientName), store.findSealed(id)]);
      return { ...exported, sealed };
    },

    /**
     * `GET /credentials/{id}?format=edc`: as visible as the JSON and JWT forms (the holder's choice, hosted-copies.ts);
     * the sealed EDC once the institution handed it back, else the unsigned export.
     */
    async hostedEdc(viewer: Viewer, id: string): Promise<{ sealed: string } | { unsigned: Record<string, unknown> }> {
      const row = await hostedCopies.readable(viewer, id);
      const sealed = await store.findSealed(id);
      return sealed ? { sealed: sealed.sealed } : { unsigned: (await exportOf(row, null)).document };
    },

    /**
     * A zip for the institution's sealing tool: one unsigned EDC per credential (`<credential id>.json`) of an
     * achievement or a bulk job, and `manifest.json` with each file's warnings (names are not in OB credentials:
     * the sealing tool, which knows its learners, must add them).
     */
    async bulkExport(viewer: Viewer, issuerId: string, scope: { achievementId?: string | null; jobId?: string | null }): Promise<Uint8Array> {
      assertIssuerAccess(viewer, issuerId, 'VIEWER');
      if (Boolean(scope.achievementId) === Boolean(scope.jobId)) throw new AppError('BAD_USER_INPUT', 'Give exactly one of achievementId or jobId', { field: 'scope' });
      const rows = scope.achievementId
        ? await store.credentialsOfAchievement(issuerId, scope.achievementId, MAX_EXPORTED_CREDENTIALS + 1)
        : await store.credentialsOfJob(issuerId, scope.jobId!, MAX_EXPORTED_CREDENTIALS + 1);
      if (rows.length > MAX_EXPORTED_CREDENTIALS) {
        throw new AppError('BAD_USER_INPUT', `More than ${MAX_EXPORTED_CREDENTIALS} credentials: export them bulk job by bulk job`, { limit: MAX_EXPORTED_CREDENTIALS });
      }
      const files: Record<string, Uint8Array> = {};
      const manifest: { credentialId: string; file: string; warnings: EdcExport['warnings'] }[] = [];
      for (const row of rows) {
        const exported = await exportOf(row, null);
        const file = `${row.id}.json`;
        files[file] = strToU8(JSON.stringify(exported.document, null, 2));
        manifest.push({ credentialId: row.id, file, warnings: exported.warnings });
      }
      files['manifest.json'] = strToU8(JSON.stringify({ issuerId, ...scope, exportedAt: now().toISOString(), credentials: manifest }, null, 2));
      log.info({ issuerId, count: rows.length, ...scope }, 'EDC export for sealing');
      return zipSync(files, { level: 6 });
    },

    /**
     * Attaches the EDC the institution sealed to its credential (an ISSUER member or an operator). Refused when the
     * seal does not hold, its chain is broken, or the sealed EDC is not this credential's export (its id and issuer).
     */
    async importSealedEdc(viewer: Viewer, input: { credentialId: string; sealed: unknown }): Promise<SealedEdcImport> {
      const row = await credentials.findCredential(input.credentialId);
      if (!row) throw new NotFoundError('Credential', input.credentialId);
      assertIssuerAccess(viewer, row.issuerId, 'ISSUER');
      let sealed = input.sealed;
      if (typeof sealed === 'string') {
        try {
          sealed = JSON.parse(sealed);
        } catch {
          sealed = null;
        }
      }
      if (!isJadesDocument(sealed)) throw new AppError('BAD_USER_INPUT', 'sealed must be a JAdES seal in the JWS JSON serialisation ({ payload, signatures })', { field: 'sealed' });
      const seal = await verifyJadesSeal(sealed, { trustAnchors: deps.trustAnchors, now: now() });
      if (!seal.signatureValid) throw new AppError('BAD_USER_INPUT', `The seal does not hold: ${seal.signatureMessage}`, { field: 'sealed', reason: 'SEAL_INVALID' });
      if (seal.trust === 'INVALID') throw new AppError('BAD_USER_INPUT', `The seal's certificate chain does not hold: ${seal.trustMessage}`, { field: 'sealed', reason: 'SEAL_CHAIN_INVALID' });
      const payload = seal.payload ?? {};
      const expected = (await exportOf(row, null)).document;
      const issuerOf = (document: Record<string, unknown>) => (document.issuer as { id?: unknown } | undefined)?.id;
      if (payload.id !== expected.id || issuerOf(payload) !== issuerOf(expected)) {
        throw new AppError('BAD_USER_INPUT', `The sealed EDC is not this credential's export (its id must be ${String(expected.id)}, its issuer ${String(issuerOf(expected))})`, {
          field: 'sealed',
          reason: 'SEALED_EDC_MISMATCH',
        });
      }
      const saved = await db.transaction((tx) =>
        store.saveSealed(tx, {
          credentialId: row.id,
          issuerId: row.issuerId,
          sealed: JSON.stringify(sealed),
          sealedBy: seal.sealedBy!.subject,
          signingTime: seal.signingTime ? new Date(seal.signingTime) : null,
        }),
      );
      log.info({ credentialId: row.id, issuerId: row.issuerId, trust: seal.trust }, 'sealed EDC attached');
      return { row: saved, trust: seal.trust, trustMessage: seal.trustMessage };
    },
  };
}

export type EuropassService = ReturnType<typeof createEuropassService>;
