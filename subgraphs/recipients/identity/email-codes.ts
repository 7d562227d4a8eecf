import type { Db } from '../../../lib/db/client.js';
import type { Logger } from '../../../lib/log.js';
import type { Mailer } from '../../../lib/mail/mailer.js';
import { newId } from '../../../lib/ids.js';
import type { IdentityStore } from '../db/identity-store.js';
import type { EmailCodePurpose } from '../db/identity-tables.js';
import {
  assertCodeAllowed,
  checkCode,
  CODE_LIFETIME_MS,
  CODE_WINDOW_MS,
  codeRefused,
  generateCode,
  hashCode,
} from '../domain/email-code.js';

export interface EmailCodeDeps {
  db: Db;
  identities: IdentityStore;
  mailer: Mailer;
  /** HMAC key for codes (see `deriveCodeKey`). */
  codeKey: Buffer;
  log: Logger;
}

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

/**
 * Stores a fresh code and mails it. The row commits before the mail goes out, so a slow SMTP server holds no
 * transaction open; if sending fails the code simply never arrives, and the person asks again.
 */
export async function sendEmailCode(
  deps: EmailCodeDeps,
  request: { email: string; purpose: EmailCodePurpose; requestedBy: string | null },
  now = new Date(),
): Promise<{ expiresAt: Date }> {
  const code = generateCode();
  const expiresAt = new Date(now.getTime() + CODE_LIFETIME_MS);
  await deps.db.transaction(async (tx) => {
    await deps.identities.lockAddress(tx, request.email);
    assertCodeAllowed(await deps.identities.codeTimesSince(tx, request.email, new Date(now.getTime() - CODE_WINDOW_MS)), now);
    const id = newId();
    await deps.identities.insertCode(tx, { id, ...request, codeHash: hashCode(deps.codeKey, id, code), expiresAt, createdAt: now });
  });
  const message = MESSAGES[request.purpose];
  await deps.mailer.send({ to: request.email, subject: message.subject, text: message.text(code) });
  deps.log.info({ purpose: request.purpose }, 'one-time code sent');
  return { expiresAt };
}

/**
 * Runs `work` in the transaction that uses the code up, only if the guess is right. A wrong guess is recorded and
 * committed (that is what makes the attempt limit hold) and then refused with `refusal`. If `work` throws, the code
 * is not used up: the whole transaction rolls back.
 */
export async function redeemEmailCode<T>(
  deps: EmailCodeDeps,
  request: { emails: readonly string[]; purpose: EmailCodePurpose; requestedBy: string | null; guess: string },
  refusal: 'UNAUTHENTICATED' | 'BAD_USER_INPUT',
  work: (tx: Db, email: string) => Promise<T>,
): Promise<T> {
  const outcome = await deps.db.transaction(async (tx): Promise<{ accepted: true; value: T } | { accepted: false }> => {
    const stored = await deps.identities.latestCodeForUpdate(tx, request.emails, request.purpose, request.requestedBy);
    const check = checkCode(deps.codeKey, stored, request.guess);
    if (check === 'WRONG') await deps.identities.recordWrongGuess(tx, stored!.id);
    if (check !== 'ACCEPTED') return { accepted: false };
    await deps.identities.consumeCode(tx, stored!.id);
    return { accepted: true, value: await work(tx, stored!.email) };
  });
  if (!outcome.accepted) throw codeRefused(refusal);
  return outcome.value;
}
