import { viewerIdentity, type Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { AppError, NotFoundError, UnauthenticatedError, UnauthorizedError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { newId } from '../../../lib/ids.js';
import type { ConsentRow, ConsentScopeValue, ShareAudienceValue, ShareRow } from '../db/share-tables.js';
import type { ShareStore } from '../db/share-store.js';
import type { CredentialRow, WalletCredentialSummary } from '../db/tables.js';
import type { WalletStore } from '../db/wallet-store.js';
import {
  assertCanOpenShare,
  employerAsking,
  normaliseAudience,
  normaliseConsentInput,
  normaliseShareSelection,
  NO_CONSENT,
  shareExpiry,
} from '../domain/share-rules.js';
import { canActForRecipient } from '../domain/access.js';
import { issuerPartsOf, type IssuerPart } from '../domain/issuer-parts.js';
import { hashShareToken, newShareToken } from '../domain/share-token.js';
import { walletOwnerFor } from '../domain/wallet-access.js';
import { consentGrantedEvent } from '../../../lib/events/contracts/consent-granted.js';
import { consentRevokedEvent } from '../../../lib/events/contracts/consent-revoked.js';
import { credentialSharedEvent } from '../../../lib/events/contracts/credential-shared.js';
import { shareRevokedEvent } from '../../../lib/events/contracts/share-revoked.js';
import type { ShareView, ShareViewRoute } from '../domain/share-view-tally.js';
import type { ShareViewLimits } from './share-view-limits.js';
import type { ShareViewsService } from './share-views.js';

export interface SharingDeps {
  db: Db;
  shares: ShareStore;
  wallet: WalletStore;
  /** Where openings are counted; they are appended later, in batches, never on the request path. */
  views: ShareViewsService;
  /** Anonymous openings are limited per client address and per share: a crawler on a link gets 429s, not the database. */
  viewLimits: ShareViewLimits;
}

export interface CreateShareRequest {
  recipientId?: string | null;
  credentialIds?: string[] | null;
  portfolioId?: string | null;
  audience: ShareAudienceValue;
  /** The employer organisation of an EMPLOYER share (stored and published as `employerOrgId`). */
  employerId?: string | null;
  expiresAt?: Date | null;
}

/** What an employer (or anyone with a public link) is shown: whose, through what, and which credentials. */
export interface OpenedView {
  recipientId: string;
  share: ShareRow | null;
  consent: ConsentRow | null;
  /** Without their documents: the views list them by what the wallet keeps beside each (`documentsOf` has the rest). */
  credentials: WalletCredentialSummary[];
}

/** The events of sharing, each payload built here and nowhere else. */
const events = {
  /** One part per issuer of the shared credentials, each naming only its credentials and scoped to that issuer. */
  sharedByLink: (recipientId: string, share: ShareRow, parts: readonly IssuerPart[], employerOrgId: string | null, expiresAt: Date): NewEvent[] =>
    parts.map(({ issuerId, credentialIds }) =>
      credentialSharedEvent.build(
        { channel: 'SHARE_LINK', shareId: share.id, recipientId, credentialIds, audience: share.audience, employerOrgId, expiresAt: expiresAt.toISOString() },
        { issuerId },
      ),
    ),
  sharedOnLinkedIn: (credential: CredentialRow): NewEvent =>
    credentialSharedEvent.build({ channel: 'LINKEDIN', recipientId: credential.recipientId, credentialIds: [credential.id] }, { issuerId: credential.issuerId }),
  shareRevoked: (share: ShareRow): NewEvent => shareRevokedEvent.build({ shareId: share.id, recipientId: share.recipientId }),
  consentGranted: (recipientId: string, employerOrgId: string, scope: ConsentScopeValue, consent: ConsentRow, replaced: readonly ConsentRow[]): NewEvent =>
    consentGrantedEvent.build({ consentId: consent.id, recipientId, employerOrgId, scope, replacedConsentIds: replaced.map((row) => row.id) }),
  consentRevoked: (recipientId: string, employerOrgId: string, revoked: readonly ConsentRow[]): NewEvent =>
    consentRevokedEvent.build({ recipientId, employerOrgId, consentIds: revoked.map((row) => row.id) }),
};

/** An opening as it is counted: who (the holder's own views apart), what, by which route, when. */
function viewOf(viewer: Viewer, recipientId: string, opened: ShareView['opened'], via: ShareViewRoute, at: Date): ShareView {
  const byHolder = viewer.kind === 'RECIPIENT' && viewer.recipientId === recipientId;
  return { recipientId, opened, via, viewer: viewerIdentity(viewer), byHolder, at };
}

/**
 * Shares and consents: each write and its event commit together. Every opening is counted as a ShareViewed view
 * (`views`), appended in batches off the request path: reading a share writes nothing.
 */
export function createSharingService(deps: SharingDeps) {
  const { db, shares, wallet, views, viewLimits } = deps;

  return {
    async createShare(viewer: Viewer, request: CreateShareRequest, now = new Date()): Promise<{ share: ShareRow; token: string; credentialIds: string[] }> {
      const recipientId = walletOwnerFor(viewer, request.recipientId);
      const selection = normaliseShareSelection(request);
      const employerOrgId = normaliseAudience(request.audience, request.employerId);
      const expiresAt = shareExpiry(request.expiresAt, now);
      const token = newShareToken();
      return db.transaction(async (tx) => {
        let credentialIds = selection.credentialIds;
        if (selection.portfolioId) {
          const portfolio = await wallet.lockPortfolio(tx, selection.portfolioId);
          if (!portfolio || portfolio.recipientId !== recipientId) throw new NotFoundError('Portfolio', selection.portfolioId);
          credentialIds = await shares.portfolioCredentialIds(tx, portfolio.id);
          if (credentialIds.length === 0) throw new AppError('BAD_USER_INPUT', 'The portfolio is empty: there is nothing to share', { field: 'portfolioId' });
        }
        const held = await wallet.findHeldCredentialIds(tx, recipientId, credentialIds!);
        const foreign = credentialIds!.filter((id) => !held.has(id));
        if (foreign.length) throw new AppError('BAD_USER_INPUT', 'Only credentials in your own wallet can be shared', { field: 'credentialIds', credentialIds: foreign });
        const share = await shares.insertShare(
          tx,
          { id: newId(), recipientId, tokenHash: hashShareToken(token), audience: request.audience, employerOrgId, portfolioId: selection.portfolioId, expiresAt },
          credentialIds!,
        );
        const parts = issuerPartsOf(credentialIds!.map((id) => ({ id, issuerId: held.get(id) ?? null })));
        await appendEvents(tx, events.sharedByLink(recipientId, share, parts, employerOrgId, expiresAt));
        return { share, token, credentialIds: credentialIds! };
      });
    },

    /** Only the owner (or an operator) revokes; to anyone else the share does not exist. Revoking twice changes nothing. */
    async revokeShare(viewer: Viewer, shareId: string): Promise<ShareRow> {
      if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
      return db.transaction(async (tx) => {
        const held = await shares.lockShare(tx, shareId);
        if (!held || !canActForRecipient(viewer, held.recipientId)) throw new NotFoundError('Share', shareId);
        if (held.revokedAt) return held;
        const revoked = await shares.revokeShare(tx, held.id);
        await appendEvents(tx, [events.shareRevoked(held)]);
        return revoked;
      });
    },

    /**
     * A share by its token, for this viewer (UNAUTHORIZED for any share it may not open), counted as viewed. An
     * anonymous caller's address is charged before the lookup (guessing tokens costs it too), the share after it.
     */
    async openShare(viewer: Viewer, token: string, via: 'GRAPHQL' | 'PRESENTATION', clientAddress: string | null = null, now = new Date()): Promise<OpenedView> {
      await viewLimits.opening(viewer, clientAddress);
      const share = await shares.findShareByTokenHash(hashShareToken(token));
      assertCanOpenShare(viewer, share, now);
      await viewLimits.opened(viewer, share.id);
      const credentials = await shares.credentialsOfShares([share.id]);
      views.record(viewOf(viewer, share.recipientId, { shareId: share.id }, via, now));
      return { recipientId: share.recipientId, share, consent: null, credentials };
    },

    /** An employer with a standing consent reads the candidate; without one, nothing at all (UNAUTHORIZED). */
    async openCandidate(viewer: Viewer, recipientId: string, now = new Date()): Promise<OpenedView> {
      const employerOrgId = employerAsking(viewer);
      const consent = await shares.findActiveConsent(recipientId, employerOrgId);
      if (!consent) throw new UnauthorizedError(NO_CONSENT);
      const credentials = await shares.credentialsUnderConsent(consent.recipientId, consent.scope);
      views.record(viewOf(viewer, consent.recipientId, { consentId: consent.id }, 'CANDIDATE', now));
      return { recipientId: consent.recipientId, share: null, consent, credentials };
    },

    /** Granting again replaces the standing consent for that employer (e.g. to change its scope). */
    async grantConsent(viewer: Viewer, input: { recipientId?: string | null; employerId: string; scope: ConsentScopeValue }): Promise<ConsentRow> {
      const recipientId = walletOwnerFor(viewer, input.recipientId);
      const { employerOrgId, scope } = normaliseConsentInput(input.employerId, input.scope);
      return db.transaction(async (tx) => {
        const replaced = await shares.revokeConsents(tx, recipientId, employerOrgId);
        const consent = await shares.insertConsent(tx, { id: newId(), recipientId, employerOrgId, scope });
        await appendEvents(tx, [events.consentGranted(recipientId, employerOrgId, scope, consent, replaced)]);
        return consent;
      });
    },

    /** Ends the employer's consent at once: its next candidate query is UNAUTHORIZED. Nothing to revoke is not an error. */
    async revokeConsent(viewer: Viewer, input: { recipientId?: string | null; employerId: string }): Promise<ConsentRow[]> {
      const recipientId = walletOwnerFor(viewer, input.recipientId);
      const { employerOrgId } = normaliseConsentInput(input.employerId, 'ALL');
      return db.transaction(async (tx) => {
        const revoked = await shares.revokeConsents(tx, recipientId, employerOrgId);
        if (revoked.length > 0) {
          await appendEvents(tx, [events.consentRevoked(recipientId, employerOrgId, revoked)]);
        }
        return revoked;
      });
    },

    /** The holder used the LinkedIn "Add to profile" link of one of their credentials. */
    async recordLinkedInShare(viewer: Viewer, credential: CredentialRow | null, credentialId: string): Promise<CredentialRow> {
      if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
      if (!credential || !canActForRecipient(viewer, credential.recipientId)) throw new NotFoundError('Credential', credentialId);
      await db.transaction((tx) => appendEvents(tx, [events.sharedOnLinkedIn(credential)]));
      return credential;
    },
  };
}

export type SharingService = ReturnType<typeof createSharingService>;
