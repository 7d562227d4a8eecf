import { keyChangesAcknowledged } from '../../../lib/auth/api-key-cache.js';
import { createPersonalToken, createRecipientSession, reassignRecipientKeys, revokeRecipientToken } from '../../../lib/auth/recipient-tokens.js';
import type { Viewer } from '../../../lib/auth/viewer.js';
import type { Db } from '../../../lib/db/client.js';
import { isUniqueViolation } from '../../../lib/db/errors.js';
import { AppError, isAppError, NotFoundError } from '../../../lib/errors.js';
import { appendEvents } from '../../../lib/events/outbox.js';
import type { NewEvent } from '../../../lib/events/types.js';
import { IdentityType, MAX_IDENTITIES, normaliseIdentity, type Identity } from '../../../lib/identity.js';
import { newId } from '../../../lib/ids.js';
import type { Logger } from '../../../lib/log.js';
import type { Mailer } from '../../../lib/mail/mailer.js';
import { requiredText } from '../../../lib/validation.js';
import type { IdentityStore } from '../db/identity-store.js';
import type { EmailCodePurpose } from '../db/identity-tables.js';
import type { RecipientStore } from '../db/store.js';
import { assertCanCreateRecipient } from '../domain/access.js';
import { assertCodeAllowed, checkCode, CODE_LIFETIME_MS, CODE_WINDOW_MS, codeRefused, generateCode, hashCode } from '../domain/email-code.js';
import { recipientForNewIdentity, signedInRecipientId } from '../domain/identity-access.js';
import { copyToKeep, decideMerge, survivingName, type MergeRequest, type MergeResult } from '../domain/merge.js';
import { normaliseNewRecipient, type NewRecipientInput } from '../domain/recipient.js';
import type { RecipientLoaders } from '../loaders.js';
import type { CodeLimits } from './code-limits.js';
import { recipientCreatedEvent } from '../../../lib/events/contracts/recipient-created.js';
import { recipientIdentityAddedEvent } from '../../../lib/events/contracts/recipient-identity-added.js';
import { recipientMergedEvent } from '../../../lib/events/contracts/recipient-merged.js';
import { recipientSignedInEvent } from '../../../lib/events/contracts/recipient-signed-in.js';

/**
 * Extra work a merge must do on other tables of this subgraph keyed by recipient (wallet visibility, portfolios,
 * shares...). Steps run in the merge transaction, before identities and credentials move, so a step can settle
 * duplicates (the same credential in both wallets) first.
 */
export type RecipientMergeStep = (
  tx: Db,
  merge: { survivorId: string; mergedRecipientId: string; replacedCredentials: ReadonlyArray<{ droppedId: string; keptId: string }> },
) => Promise<void>;

export interface IdentityServiceDeps {
  db: Db;
  store: RecipientStore;
  identities: IdentityStore;
  mailer: Mailer;
  /** HMAC key for codes (see `deriveCodeKey`). */
  codeKey: Buffer;
  /** Rate limits on asking for and trying codes, per client IP and per address or recipient. */
  codeLimits: CodeLimits;
  mergeSteps?: readonly RecipientMergeStep[];
  /** The request's loaders, told what a write changed; absent outside a GraphQL request (OB API), where nothing caches. */
  loaders?: RecipientLoaders;
  log: Logger;
}

/** @default 366 days: a personal token may live a year at most, so a forgotten script key dies eventually */
const MAX_PERSONAL_TOKEN_DAYS = 366;

const MESSAGES: Record<EmailCodePurpose, { subject: string; text: (code: string) => string }> = {
  SIGN_IN: {
    subject: 'Your Cairn sign-in code',
    text: (code) => `Your Cairn sign-in code is ${code}.\n\nIt works once, for 10 minutes. If you did not ask to sign in, ignore this mail.`,
  },
  VERIFY_EMAIL: {
    subject: 'Confirm this address for your Cairn wallet',
    text: (code) =>
      `Your Cairn confirmation code is ${code}.\n\nEnter it to add this address to your wallet; credentials issued to it will then land there. ` +
      'It works once, for 10 minutes. If you did not ask for it, ignore this mail.',
  },
};

const emailOf = (value: string, field = 'email') => normaliseIdentity({ type: IdentityType.EMAIL, value }, field).value;

/** The events of recipient records and their identities, each payload built here and nowhere else in this service. */
const events = {
  /** `verified` when opening the record proved its identities (a sign-in code), not when an operator typed them. */
  recipientCreated: (recipientId: string, identities: readonly Identity[], verified: boolean): NewEvent =>
    recipientCreatedEvent.build({ recipientId, identities: identities.map(({ type, value }) => ({ type, value, verified })) }),
  identityAdded: (recipientId: string, identity: Identity, verified: boolean): NewEvent =>
    recipientIdentityAddedEvent.build({ recipientId, identity: { type: identity.type, value: identity.value }, verified }),
  /** One part per issuer whose credentials the recipient holds, each scoped to it alone; unscoped when there is none. */
  signedIn: (recipientId: string, method: 'EMAIL_CODE' | 'OAUTH', issuerIds: readonly string[]): NewEvent[] => {
    const signInId = newId();
    const scopes = issuerIds.length > 0 ? issuerIds : [null];
    return scopes.map((issuerId) => recipientSignedInEvent.build({ recipientId, method, signInId }, { issuerId }));
  },
  recipientsMerged: (result: MergeResult, reason: MergeRequest['reason'], identities: readonly Identity[]): NewEvent =>
    recipientMergedEvent.build({
      survivorId: result.survivorId,
      mergedRecipientId: result.mergedRecipientId,
      reason,
      identities: identities.map(({ type, value }) => ({ type, value })),
      credentialIds: result.movedCredentialIds,
      replacedCredentialIds: result.replacedCredentialIds,
    }),
};

/** Recipient records, their identities, e-mail proof, sign-in, tokens and merging. */
export function createIdentityService(deps: IdentityServiceDeps) {
  const { db, identities } = deps;
  const mergeSteps = deps.mergeSteps ?? [];

  /** After a write, this request's loaders must not answer from what they read before it. */
  function forgetRecipient(recipientId: string): void {
    deps.loaders?.recipientById.clear(recipientId);
    deps.loaders?.identitiesByRecipientId.clear(recipientId);
  }

  /**
   * Stores a fresh code and mails it. The row commits before the mail goes out, so a slow SMTP server holds no
   * transaction open; if sending fails the code simply never arrives, and the person asks again.
   */
  async function sendEmailCode(request: { email: string; purpose: EmailCodePurpose; requestedBy: string | null }, clientAddress: string | null | undefined, now = new Date()) {
    await deps.codeLimits.codeRequested(clientAddress);
    const code = generateCode();
    const expiresAt = new Date(now.getTime() + CODE_LIFETIME_MS);
    await db.transaction(async (tx) => {
      await identities.lockAddress(tx, request.email);
      assertCodeAllowed(await identities.codeTimesSince(tx, request.email, new Date(now.getTime() - CODE_WINDOW_MS)), now);
      const id = newId();
      await identities.insertCode(tx, { id, ...request, codeHash: hashCode(deps.codeKey, id, code), expiresAt, createdAt: now });
    });
    const message = MESSAGES[request.purpose];
    await deps.mailer.send({ to: request.email, subject: message.subject, text: message.text(code) });
    deps.log.info({ purpose: request.purpose }, 'one-time code sent');
    return { expiresAt };
  }

  /**
   * Runs `work` in the transaction that uses the code up, only if the guess is right. A wrong guess is recorded and
   * committed (that is what makes the attempt limit hold) and then refused with `refusal`. If `work` throws, the code
   * is not used up: the whole transaction rolls back. Every guess first spends the rate limits on attempts: a
   * sign-in's on its address, an address proof's on the signed-in recipient, both on the client IP.
   */
  async function redeemEmailCode<T>(
    request: { emails: readonly string[]; purpose: EmailCodePurpose; requestedBy: string | null; guess: string; clientAddress: string | null | undefined },
    refusal: 'UNAUTHENTICATED' | 'BAD_USER_INPUT',
    work: (tx: Db, email: string) => Promise<T>,
  ): Promise<T> {
    const subject = request.requestedBy ? { recipientId: request.requestedBy } : { email: request.emails[0]! };
    await deps.codeLimits.codeAttempted(subject, request.clientAddress);
    const outcome = await db.transaction(async (tx): Promise<{ accepted: true; value: T } | { accepted: false }> => {
      const stored = await identities.latestCodeForUpdate(tx, request.emails, request.purpose, request.requestedBy);
      const check = checkCode(deps.codeKey, stored, request.guess);
      if (check === 'WRONG') await identities.recordWrongGuess(tx, stored!.id);
      if (check !== 'ACCEPTED') return { accepted: false };
      await identities.consumeCode(tx, stored!.id);
      return { accepted: true, value: await work(tx, stored!.email) };
    });
    if (!outcome.accepted) throw codeRefused(refusal);
    return outcome.value;
  }

  async function attachIdentity(tx: Db, recipientId: string, identity: Identity, verified: boolean): Promise<void> {
    if ((await identities.countIdentities(tx, recipientId)) >= MAX_IDENTITIES) {
      throw new AppError('BAD_USER_INPUT', `A recipient may have at most ${MAX_IDENTITIES} identities`, { field: 'value' });
    }
    await identities.insertIdentity(tx, recipientId, identity);
    await appendEvents(tx, [events.identityAdded(recipientId, identity, verified)]);
  }

  /**
   * The holder of the address, or a new recipient for it (a first sign-in opens an empty wallet), with the event
   * to append as the transaction's last step.
   */
  async function recipientForEmail(tx: Db, email: string): Promise<{ recipientId: string; events: NewEvent[] }> {
    const identity = { type: IdentityType.EMAIL, value: email };
    const holder = await identities.findHolderOf(tx, identity);
    if (holder) return { recipientId: holder, events: [] };
    try {
      const { recipient } = await deps.store.insertRecipient(tx, { id: newId(), name: null }, [identity]);
      return { recipientId: recipient.id, events: [events.recipientCreated(recipient.id, [identity], true)] };
    } catch (error) {
      // Wallet delivery created the recipient for this address meanwhile: that is the one to sign in as.
      const winner = isAppError(error) && error.code === 'CONFLICT' ? error.details.recipientId : null;
      if (typeof winner !== 'string') throw error;
      return { recipientId: winner, events: [] };
    }
  }

  /**
   * Folds one recipient record into another inside the caller's transaction: every identity, credential and key of
   * the merged record moves to the survivor, the merged record is retired, and RecipientMerged is appended.
   */
  async function mergeRecipientsInto(tx: Db, request: MergeRequest, mergedBy: string | null): Promise<MergeResult> {
    const locked = await identities.lockRecipients(tx, [request.survivorId, request.mergedRecipientId]);
    const survivor = locked.find((row) => row.id === request.survivorId.toLowerCase());
    const merged = locked.find((row) => row.id === request.mergedRecipientId.toLowerCase());
    if (!survivor) throw new NotFoundError('Recipient', request.survivorId);
    if (!merged) throw new NotFoundError('Recipient', request.mergedRecipientId);

    const replacedCredentials: Array<{ droppedId: string; keptId: string }> = [];
    for (const pair of await identities.equalCredentialPairs(tx, merged.id, survivor.id)) {
      const settled = copyToKeep(pair);
      await identities.replaceCredential(tx, settled.droppedId, settled.keptId);
      replacedCredentials.push(settled);
    }
    // Tables added later (shares, consents) follow in the same transaction, told which copies replaced which.
    for (const step of mergeSteps) await step(tx, { survivorId: survivor.id, mergedRecipientId: merged.id, replacedCredentials });
    const moved = await identities.moveIdentities(tx, merged.id, survivor.id);
    let movedCredentialIds: string[];
    try {
      movedCredentialIds = await identities.moveCredentials(tx, merged.id, survivor.id);
    } catch (error) {
      // A copy the wallet rules still forbid (a race with an import): refuse the whole merge rather than drop it.
      if (!isUniqueViolation(error)) throw error;
      throw new AppError('CONFLICT', 'Both recipients hold the same credential; the merge was not made', { recipientId: merged.id });
    }
    await identities.movePortfolios(tx, merged.id, survivor.id);
    await reassignRecipientKeys(tx, merged.id, survivor.id);
    const name = survivingName(survivor.name, merged.name);
    if (name !== survivor.name) await identities.renameRecipient(tx, survivor.id, name);
    await identities.retireMergedRecipient(tx, { mergedRecipientId: merged.id, survivorId: survivor.id, mergedBy, reason: request.reason });

    const result: MergeResult = {
      survivorId: survivor.id,
      mergedRecipientId: merged.id,
      movedIdentities: moved.length,
      movedCredentialIds,
      replacedCredentialIds: replacedCredentials.map((replaced) => replaced.droppedId),
    };
    await appendEvents(tx, [events.recipientsMerged(result, request.reason, moved)]);
    return result;
  }

  return {
    /** Operators and issuers register a person by their identities; CONFLICT names who already holds one. */
    async createRecipient(viewer: Viewer, input: NewRecipientInput) {
      assertCanCreateRecipient(viewer);
      const { name, identities: wanted } = normaliseNewRecipient(input);
      const created = await db.transaction(async (tx) => {
        const inserted = await deps.store.insertRecipient(tx, { id: newId(), name }, wanted);
        await appendEvents(tx, [events.recipientCreated(inserted.recipient.id, inserted.identities, false)]);
        return inserted;
      });
      deps.loaders?.identitiesByRecipientId.prime(created.recipient.id, created.identities);
      deps.log.info({ recipientId: created.recipient.id }, 'recipient created');
      return created.recipient;
    },

    /** The OB API's profile update: the only part of a profile the recipient changes there is the name. */
    async renameRecipient(recipientId: string, name: string | null): Promise<void> {
      await identities.renameRecipient(db, recipientId, name);
      forgetRecipient(recipientId);
    },

    /**
     * Public. Sends a code whether or not anyone holds the address, so the answer never tells which. `clientAddress`
     * (the caller's IP, signed by the gateway) is what per-IP limits count on, here and below.
     */
    requestSignInCode(email: string, clientAddress?: string | null) {
      return sendEmailCode({ email: emailOf(email), purpose: 'SIGN_IN', requestedBy: null }, clientAddress);
    },

    /** A right code opens a 12-hour session as the address's holder, creating the recipient on first sign-in. */
    async signIn(email: string, code: string, clientAddress?: string | null) {
      const address = emailOf(email);
      const request = { emails: [address], purpose: 'SIGN_IN' as const, requestedBy: null, guess: code, clientAddress };
      const signedIn = await redeemEmailCode(request, 'UNAUTHENTICATED', async (tx) => {
        const { recipientId, events: created } = await recipientForEmail(tx, address);
        const session = await createRecipientSession(tx, recipientId, address);
        await appendEvents(tx, [...created, ...events.signedIn(recipientId, 'EMAIL_CODE', await identities.issuerIdsHeldBy(tx, recipientId))]);
        return { recipientId, token: session.secret, session: session.row };
      });
      deps.log.info({ recipientId: signedIn.recipientId }, 'recipient signed in');
      return signedIn;
    },

    /**
     * A right code proves the address without opening a session: the OB 3.0 API's OAuth server signs the person in
     * for one authorization and keeps its own grant. Creates the recipient on first sign-in, like `signIn`.
     */
    proveSignInCode(email: string, code: string, clientAddress?: string | null): Promise<{ recipientId: string }> {
      const address = emailOf(email);
      return redeemEmailCode({ emails: [address], purpose: 'SIGN_IN', requestedBy: null, guess: code, clientAddress }, 'UNAUTHENTICATED', async (tx) => {
        const { recipientId, events: created } = await recipientForEmail(tx, address);
        await appendEvents(tx, [...created, ...events.signedIn(recipientId, 'OAUTH', await identities.issuerIdsHeldBy(tx, recipientId))]);
        return { recipientId };
      });
    },

    /** Sends a proof code to an address the signed-in recipient wants to add (even one another record holds). */
    async requestEmailVerification(viewer: Viewer, email: string, clientAddress?: string | null) {
      const recipientId = signedInRecipientId(viewer);
      const address = emailOf(email);
      const holder = await identities.findHolderOf(db, { type: IdentityType.EMAIL, value: address });
      if (holder === recipientId) throw new AppError('CONFLICT', 'This address is already yours', { field: 'email', recipientId });
      return sendEmailCode({ email: address, purpose: 'VERIFY_EMAIL', requestedBy: recipientId }, clientAddress);
    },

    /**
     * Attaches a proven address. If another record holds it, proving it proves being that person (signing in
     * with it would open that record anyway), so the other record is merged into the viewer's.
     */
    async verifyEmail(viewer: Viewer, email: string, code: string, clientAddress?: string | null): Promise<{ recipientId: string; merge: MergeResult | null }> {
      const recipientId = signedInRecipientId(viewer);
      const address = emailOf(email);
      const request = { emails: [address], purpose: 'VERIFY_EMAIL' as const, requestedBy: recipientId, guess: code, clientAddress };
      const verified = await redeemEmailCode(request, 'BAD_USER_INPUT', async (tx) => {
        const identity = { type: IdentityType.EMAIL, value: address };
        const holder = await identities.findHolderOf(tx, identity);
        if (holder === recipientId) return { recipientId, merge: null };
        if (holder) {
          const mergedBy = viewer.kind === 'RECIPIENT' ? viewer.apiKeyId : null;
          return { recipientId, merge: await mergeRecipientsInto(tx, { survivorId: recipientId, mergedRecipientId: holder, reason: 'EMAIL_PROOF' }, mergedBy) };
        }
        await attachIdentity(tx, recipientId, identity, true);
        return { recipientId, merge: null };
      });
      // A merge moved the other record's keys to this one: no gateway may still act for the merged record.
      if (verified.merge) await keyChangesAcknowledged(db);
      forgetRecipient(recipientId);
      return verified;
    },

    /** Operators add any identity type; recipients are told how to prove theirs (see `recipientForNewIdentity`). */
    async addIdentity(viewer: Viewer, input: { recipientId?: string | null; type: IdentityType; value: string }) {
      const identity = normaliseIdentity({ type: input.type, value: input.value });
      const recipientId = recipientForNewIdentity(viewer, input.recipientId, identity);
      await db.transaction(async (tx) => {
        const [recipient] = await identities.lockRecipients(tx, [recipientId]);
        if (!recipient) throw new NotFoundError('Recipient', recipientId);
        await attachIdentity(tx, recipient.id, identity, false);
      });
      forgetRecipient(recipientId);
      return { recipientId };
    },

    /**
     * Operators merge any two records. A recipient merges another record into themselves with the code sent to one
     * of that record's addresses (requestEmailVerification).
     */
    async mergeRecipients(
      viewer: Viewer,
      input: { recipientId?: string | null; otherRecipientId: string; emailProofCode?: string | null },
      clientAddress?: string | null,
    ) {
      const request = decideMerge(viewer, { ...input, hasProof: Boolean(input.emailProofCode) });
      const mergedBy = viewer.kind === 'ANONYMOUS' ? null : viewer.apiKeyId;
      const merge = (tx: Db) => mergeRecipientsInto(tx, request, mergedBy);
      let result: MergeResult;
      if (request.reason === 'ADMIN') {
        result = await db.transaction(merge);
      } else {
        const emails = await identities.emailsOf(db, request.mergedRecipientId);
        const proof = { emails, purpose: 'VERIFY_EMAIL' as const, requestedBy: request.survivorId, guess: input.emailProofCode!, clientAddress };
        result = await redeemEmailCode(proof, 'BAD_USER_INPUT', merge);
      }
      await keyChangesAcknowledged(db);
      forgetRecipient(request.survivorId);
      deps.log.info({ survivorId: result.survivorId, mergedRecipientId: result.mergedRecipientId }, 'recipients merged');
      return result;
    },

    async createPersonalToken(viewer: Viewer, input: { name: string; expiresAt?: Date | null }, now = new Date()) {
      const recipientId = signedInRecipientId(viewer);
      const name = requiredText(input.name, 'name', 100);
      const expiresAt = input.expiresAt ?? null;
      if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new AppError('BAD_USER_INPUT', 'expiresAt must be in the future', { field: 'expiresAt' });
      if (expiresAt && expiresAt.getTime() > now.getTime() + MAX_PERSONAL_TOKEN_DAYS * 86_400_000) {
        throw new AppError('BAD_USER_INPUT', `expiresAt must be within ${MAX_PERSONAL_TOKEN_DAYS} days`, { field: 'expiresAt' });
      }
      return createPersonalToken(db, recipientId, name, expiresAt ?? new Date(now.getTime() + MAX_PERSONAL_TOKEN_DAYS * 86_400_000));
    },

    /** Revokes one of the viewer's own sessions or tokens; someone else's id is NOT_FOUND, as if it did not exist. */
    async revokeToken(viewer: Viewer, id: string) {
      const revoked = await revokeRecipientToken(db, signedInRecipientId(viewer), id);
      if (!revoked) throw new NotFoundError('AccessToken', id);
      await keyChangesAcknowledged(db);
      return revoked;
    },

    /** Ends the session (or token) this request came with. */
    async signOut(viewer: Viewer) {
      const recipientId = signedInRecipientId(viewer);
      const ended = await revokeRecipientToken(db, recipientId, viewer.kind === 'RECIPIENT' ? viewer.apiKeyId : '');
      await keyChangesAcknowledged(db);
      return ended;
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
