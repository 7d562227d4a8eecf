import type { Db } from '../../../lib/db/client.js';
import type { PathwayProgressedPayload } from '../../../lib/events/contracts/pathway-progressed.js';
import type { Mailer } from '../../../lib/mail/mailer.js';
import type { IdentityStore } from '../db/identity-store.js';
import type { NotificationStore } from '../db/notification-store.js';

export interface PathwayMailDeps {
  identities: Pick<IdentityStore, 'emailsOf'>;
  notifications: NotificationStore;
  mailer: Mailer;
  publicBaseUrl: string;
}

/** The mail a follower gets when a credential moved them forward on a pathway. Plain text, one link, to this hub. */
export function progressMail(progress: PathwayProgressedPayload, publicBaseUrl: string): { subject: string; text: string } {
  const done = progress.percent >= 100;
  return {
    subject: done ? `You completed ${progress.pathwayName}` : `${progress.percent}% of ${progress.pathwayName}`,
    text: [
      done
        ? `Your credentials now complete the pathway "${progress.pathwayName}". Its award is on its way to your wallet.`
        : `A new credential moved you forward on the pathway "${progress.pathwayName}", from ${progress.previousPercent}% to ${progress.percent}%.`,
      '',
      `See what is left and what counts: ${publicBaseUrl}/pathways/${progress.pathwayId}`,
      '',
      'You get these messages because you follow this pathway.',
    ].join('\n'),
  };
}

/**
 * Tells a pathway's follower they moved forward, at most once per event: the mail is recorded in the consumer's
 * transaction before it is sent, so a replay sends nothing and a failed send rolls the record back to be tried again.
 */
export function createPathwayMailService(deps: PathwayMailDeps) {
  return {
    async notify(tx: Db, eventCursor: number, progress: PathwayProgressedPayload): Promise<void> {
      if (!(await deps.notifications.claimProgressMail(tx, eventCursor, progress.recipientId))) return;
      // A recipient known only by a DID or a hashed address has no mailbox here: the wallet shows the progress.
      const [email] = await deps.identities.emailsOf(tx, progress.recipientId);
      if (!email) return;
      await deps.mailer.send({ to: email, ...progressMail(progress, deps.publicBaseUrl) });
    },
  };
}

export type PathwayMailService = ReturnType<typeof createPathwayMailService>;
