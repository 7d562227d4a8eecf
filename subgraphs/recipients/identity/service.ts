import { createPersonalToken, createRecipientSession, revokeRecipientToken } from '../../../lib/auth/recipient-tokens.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { AppError, isAppError, NotFoundError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import { EventType, type NewEvent } from '../../../lib/events/types.js';
import { IdentityType, MAX_IDENTITIES, normaliseIdentity, type Identity } from '../../../lib/identity.js';
import { newId } from '../../../lib/ids.js';
import { requiredText } from '../../../lib/validation.js';
import type { RecipientStore } from '../db/store.js';
import { recipientForNewIdentity, signedInRecipientId } from '../domain/identity-access.js';
import { decideMerge } from '../domain/merge.js';
import { redeemEmailCode, sendEmailCode, type EmailCodeDeps } from './email-codes.js';
import { mergeRecipientsInto, type MergeResult, type RecipientMergeStep } from './merge.js';

export interface IdentityServiceDeps extends EmailCodeDeps {
  store: RecipientStore;
  mergeSteps?: readonly RecipientMergeStep[];
}

/** @default 366 days: a personal token may live a year at most, so a forgotten script key dies eventually */
const MAX_PERSONAL_TOKEN_DAYS = 366;

const emailOf = (value: string, field = 'email') => normaliseIdentity({ type: IdentityType.EMAIL, value }, field).value;

/** Recipients' identities, e-mail proof, sign-in, tokens and merging: the orchestration behind the resolvers. */
export function createIdentityService(deps: IdentityServiceDeps) {
  const { identities } = deps;
  const mergeDeps = { identities, mergeSteps: deps.mergeSteps ?? [] };

  async function attachIdentity(tx: Db, recipientId: string, identity: Identity): Promise<NewEvent[]> {
    if ((await identities.countIdentities(tx, recipientId)) >= MAX_IDENTITIES) {
      throw new AppError('BAD_USER_INPUT', `A recipient may have at most ${MAX_IDENTITIES} identities`, { field: 'value' });
    }
    await identities.insertIdentity(tx, recipientId, identity);
    return [{ type: EventType.RECIPIENT_IDENTITY_ADDED, recipientId, payload: { recipientId, identity } }];
  }

  /** The holder of the address, or a new recipient for it (a first sign-in opens an empty wallet). */
  async function recipientForEmail(tx: Db, email: string): Promise<{ recipientId: string; events: NewEvent[] }> {
    const identity = { type: IdentityType.EMAIL, value: email };
    const holder = await identities.findHolderOf(tx, identity);
    if (holder) return { recipientId: holder, events: [] };
    try {
      const { recipient } = await deps.store.insertRecipient(tx, { id: newId(), name: null }, [identity]);
      return { recipientId: recipient.id, events: [{ type: EventType.RECIPIENT_CREATED, recipientId: recipient.id, payload: { recipientId: recipient.id } }] };
    } catch (error) {
      // Wallet delivery created the recipient for this address meanwhile: that is the one to sign in as.
      const winner = isAppError(error) && error.code === 'CONFLICT' ? error.details.recipientId : null;
      if (typeof winner !== 'string') throw error;
      return { recipientId: winner, events: [] };
    }
  }

  return {
    /** Public. Sends a code whether or not anyone holds the address, so the answer never tells which. */
    requestSignInCode(email: string) {
      return sendEmailCode(deps, { email: emailOf(email), purpose: 'SIGN_IN', requestedBy: null });
    },

    /** A right code opens a 12-hour session as the address's holder, creating the recipient on first sign-in. */
    signIn(email: string, code: string) {
      const address = emailOf(email);
      return redeemEmailCode(deps, { emails: [address], purpose: 'SIGN_IN', requestedBy: null, guess: code }, 'UNAUTHENTICATED', async (tx) => {
        const { recipientId, events } = await recipientForEmail(tx, address);
        const session = await createRecipientSession(tx, recipientId, address);
        await appendEvents(tx, events);
        return { recipientId, token: session.secret, session: session.row };
      });
    },

    /**
     * A right code proves the address without opening a session: the OB 3.0 API's OAuth server signs the person in
     * for one authorization and keeps its own grant. Creates the recipient on first sign-in, like `signIn`.
     */
    proveSignInCode(email: string, code: string): Promise<{ recipientId: string }> {
      const address = emailOf(email);
      return redeemEmailCode(deps, { emails: [address], purpose: 'SIGN_IN', requestedBy: null, guess: code }, 'UNAUTHENTICATED', async (tx) => {
        const { recipientId, events } = await recipientForEmail(tx, address);
        await appendEvents(tx, events);
        return { recipientId };
      });
    },

    /** Sends a proof code to an address the signed-in recipient wants to add (even one another record holds). */
    async requestEmailVerification(viewer: Viewer, email: string) {
      const recipientId = signedInRecipientId(viewer);
      const address = emailOf(email);
      const holder = await identities.findHolderOf(deps.db, { type: IdentityType.EMAIL, value: address });
      if (holder === recipientId) throw new AppError('CONFLICT', 'This address is already yours', { field: 'email', recipientId });
      return sendEmailCode(deps, { email: address, purpose: 'VERIFY_EMAIL', requestedBy: recipientId });
    },

    /**
     * Attaches a proven address. If another record holds it, proving it proves being that person (signing in
     * with it would open that record anyway), so the other record is merged into the viewer's.
     */
    async verifyEmail(viewer: Viewer, email: string, code: string): Promise<{ recipientId: string; merge: MergeResult | null }> {
      const recipientId = signedInRecipientId(viewer);
      const address = emailOf(email);
      const request = { emails: [address], purpose: 'VERIFY_EMAIL' as const, requestedBy: recipientId, guess: code };
      return redeemEmailCode(deps, request, 'BAD_USER_INPUT', async (tx) => {
        const identity = { type: IdentityType.EMAIL, value: address };
        const holder = await identities.findHolderOf(tx, identity);
        if (holder === recipientId) return { recipientId, merge: null };
        if (holder) {
          const merged = await mergeRecipientsInto(tx, mergeDeps, { survivorId: recipientId, mergedRecipientId: holder, reason: 'EMAIL_PROOF' }, viewer.kind === 'RECIPIENT' ? viewer.apiKeyId : null);
          await appendEvents(tx, merged.events);
          return { recipientId, merge: merged.result };
        }
        await appendEvents(tx, await attachIdentity(tx, recipientId, identity));
        return { recipientId, merge: null };
      });
    },

    /** Operators add any identity type; recipients are told how to prove theirs (see `recipientForNewIdentity`). */
    async addIdentity(viewer: Viewer, input: { recipientId?: string | null; type: IdentityType; value: string }) {
      const identity = normaliseIdentity({ type: input.type, value: input.value });
      const recipientId = recipientForNewIdentity(viewer, input.recipientId, identity);
      await deps.db.transaction(async (tx) => {
        const [recipient] = await identities.lockRecipients(tx, [recipientId]);
        if (!recipient) throw new NotFoundError('Recipient', recipientId);
        await appendEvents(tx, await attachIdentity(tx, recipient.id, identity));
      });
      return { recipientId };
    },

    /**
     * Operators merge any two records. A recipient merges another record into themselves with the code sent to one
     * of that record's addresses (requestEmailVerification).
     */
    async mergeRecipients(viewer: Viewer, input: { recipientId?: string | null; otherRecipientId: string; emailProofCode?: string | null }) {
      const request = decideMerge(viewer, { ...input, hasProof: Boolean(input.emailProofCode) });
      const mergedBy = viewer.kind === 'ANONYMOUS' ? null : viewer.apiKeyId;
      const merge = async (tx: Db) => {
        const merged = await mergeRecipientsInto(tx, mergeDeps, request, mergedBy);
        await appendEvents(tx, merged.events);
        return merged.result;
      };
      if (request.reason === 'ADMIN') return deps.db.transaction(merge);
      const emails = await identities.emailsOf(deps.db, request.mergedRecipientId);
      const proof = { emails, purpose: 'VERIFY_EMAIL' as const, requestedBy: request.survivorId, guess: input.emailProofCode! };
      return redeemEmailCode(deps, proof, 'BAD_USER_INPUT', merge);
    },

    async createPersonalToken(viewer: Viewer, input: { name: string; expiresAt?: Date | null }, now = new Date()) {
      const recipientId = signedInRecipientId(viewer);
      const name = requiredText(input.name, 'name', 100);
      const expiresAt = input.expiresAt ?? null;
      if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new AppError('BAD_USER_INPUT', 'expiresAt must be in the future', { field: 'expiresAt' });
      if (expiresAt && expiresAt.getTime() > now.getTime() + MAX_PERSONAL_TOKEN_DAYS * 86_400_000) {
        throw new AppError('BAD_USER_INPUT', `expiresAt must be within ${MAX_PERSONAL_TOKEN_DAYS} days`, { field: 'expiresAt' });
      }
      return createPersonalToken(deps.db, recipientId, name, expiresAt ?? new Date(now.getTime() + MAX_PERSONAL_TOKEN_DAYS * 86_400_000));
    },

    /** Revokes one of the viewer's own sessions or tokens; someone else's id is NOT_FOUND, as if it did not exist. */
    async revokeToken(viewer: Viewer, id: string) {
      const revoked = await revokeRecipientToken(deps.db, signedInRecipientId(viewer), id);
      if (!revoked) throw new NotFoundError('AccessToken', id);
      return revoked;
    },

    /** Ends the session (or token) this request came with. */
    async signOut(viewer: Viewer) {
      const recipientId = signedInRecipientId(viewer);
      return revokeRecipientToken(deps.db, recipientId, viewer.kind === 'RECIPIENT' ? viewer.apiKeyId : '');
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
