import type { Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { NotFoundError, UnauthenticatedError } from '../../../lib/errors.js';
import { newId } from '../../../lib/ids.js';
import type { WalletStore } from '../db/wallet-store.js';
import type { PortfolioRow } from '../db/wallet-tables.js';
import { canActForRecipient } from '../domain/access.js';
import { assertAllHeld, normalisePortfolioCredentialIds, normalisePortfolioDescription, normalisePortfolioName } from '../domain/portfolio.js';
import { walletOwnerFor } from '../domain/wallet-access.js';

export interface PortfoliosServiceDeps {
  db: Db;
  wallet: WalletStore;
}

/** A recipient's portfolios: ordered selections of their own wallet's credentials, written by their owner only. */
export function createPortfoliosService(deps: PortfoliosServiceDeps) {
  const { db, wallet } = deps;

  /** The portfolio locked for a write by its owner; anyone else is told it does not exist. */
  async function ownPortfolioForUpdate(tx: Db, viewer: Viewer, id: string): Promise<PortfolioRow> {
    if (viewer.kind === 'ANONYMOUS') throw new UnauthenticatedError();
    const portfolio = await wallet.lockPortfolio(tx, id);
    if (!portfolio || !canActForRecipient(viewer, portfolio.recipientId)) throw new NotFoundError('Portfolio', id);
    return portfolio;
  }

  async function assertHeldByOwner(tx: Db, recipientId: string, credentialIds: string[]): Promise<void> {
    assertAllHeld(credentialIds, await wallet.findHeldCredentialIds(tx, recipientId, credentialIds));
  }

  return {
    /** A new portfolio of the owner's own credentials, in the given order. */
    async createPortfolio(
      viewer: Viewer,
      input: { recipientId?: string | null; name: string; description?: string | null; credentialIds: readonly string[] },
    ): Promise<PortfolioRow> {
      const recipientId = walletOwnerFor(viewer, input.recipientId);
      const name = normalisePortfolioName(input.name);
      const description = normalisePortfolioDescription(input.description);
      const credentialIds = normalisePortfolioCredentialIds(input.credentialIds);
      return db.transaction(async (tx) => {
        await assertHeldByOwner(tx, recipientId, credentialIds);
        return wallet.insertPortfolio(tx, { id: newId(), recipientId, name, description }, credentialIds);
      });
    },

    /** Renames, re-describes or re-orders one of the viewer's portfolios; a field left out keeps its value. */
    async updatePortfolio(
      viewer: Viewer,
      input: { id: string; name?: string | null; description?: string | null; credentialIds?: readonly string[] | null },
    ): Promise<PortfolioRow> {
      const patch = {
        ...(input.name != null ? { name: normalisePortfolioName(input.name) } : {}),
        ...(input.description !== undefined ? { description: normalisePortfolioDescription(input.description) } : {}),
      };
      const credentialIds = input.credentialIds ? normalisePortfolioCredentialIds(input.credentialIds) : null;
      return db.transaction(async (tx) => {
        const held = await ownPortfolioForUpdate(tx, viewer, input.id);
        if (credentialIds) await assertHeldByOwner(tx, held.recipientId, credentialIds);
        return wallet.updatePortfolio(tx, held.id, patch, credentialIds);
      });
    },

    /** Deletes one of the viewer's portfolios; its credentials stay in the wallet. */
    async deletePortfolio(viewer: Viewer, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const held = await ownPortfolioForUpdate(tx, viewer, id);
        await wallet.deletePortfolio(tx, held.id);
      });
    },
  };
}

export type PortfoliosService = ReturnType<typeof createPortfoliosService>;
