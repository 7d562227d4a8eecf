import type { ConsumerOptions } from '../../../lib/events/consumer.js';
import { pathwayProgressedEvent } from '../../../lib/events/contracts/pathway-progressed.js';
import { EventType } from '../../../lib/events/types.js';
import type { Logger } from '../../../lib/log.js';
import type { PathwayMailService } from '../services/pathway-mail.js';

export const PATHWAY_MAIL_CONSUMER = 'recipients.pathway-mail';

/** Mails a pathway's followers as credentials move them forward (achievements appends PathwayProgressed). */
export function pathwayMailConsumer(mail: PathwayMailService, log: Logger): ConsumerOptions {
  return {
    name: PATHWAY_MAIL_CONSUMER,
    types: [EventType.PATHWAY_PROGRESSED],
    handle: async (tx, event) => {
      const read = pathwayProgressedEvent.read(event.payload);
      // A malformed event fails the same way on every retry; stopping here would block every later one.
      if ('problem' in read) return void log.error({ cursor: event.cursor, problem: read.problem }, 'skipping malformed PathwayProgressed event');
      await mail.notify(tx, event.cursor, read.payload);
    },
  };
}
