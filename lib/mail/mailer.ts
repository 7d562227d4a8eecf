import type { MailConfig } from '../config/env.js';
import type { Logger } from '../log.js';
import { createSmtpMailer } from './smtp-mailer.js';

/** One plain-text message. One-time codes need nothing richer, and plain text cannot hide a phishing link. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail. Pluggable so production uses SMTP, development the log, and tests a real local SMTP server. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

/**
 * Development without SMTP: the message goes to the log so a developer can sign in with the code printed there.
 * Never chosen in production (CAIRN_SMTP_URL is required there), because the log would then hold live codes.
 */
export function createLogMailer(log: Logger): Mailer {
  return {
    async send(message) {
      log.info({ to: message.to, subject: message.subject, text: message.text }, 'mail not sent (no CAIRN_SMTP_URL): printed here instead');
    },
    async close() {},
  };
}

/** SMTP when configured, else the log (see `createLogMailer`). */
export function createMailer(config: MailConfig, log: Logger): Mailer {
  return config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.from) : createLogMailer(log);
}
