import type { Db } from '../../../lib/db/client.js';
import { pathwayProgressMails } from './notification-tables.js';

/** What the recipients service has told its recipients by e-mail: the only SQL for it. */
export function createNotificationStore() {
  return {
    /** Records the mail for an event; false when it was recorded (sent) already. */
    async claimProgressMail(tx: Db, eventCursor: number, recipientId: string): Promise<boolean> {
      const inserted = await tx.insert(pathwayProgressMails).values({ eventCursor, recipientId }).onConflictDoNothing().returning({ eventCursor: pathwayProgressMails.eventCursor });
      return inserted.length > 0;
    },
  };
}

export type NotificationStore = ReturnType<typeof createNotificationStore>;
