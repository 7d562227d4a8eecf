import nodemailer from 'nodemailer';
import type { Mailer } from './mailer.js';

/**
 * SMTP through nodemailer, with a pooled connection: sign-in codes come in bursts and a new TLS handshake per
 * message would slow every one of them. `url` is smtp://user:pass@host:port (STARTTLS) or smtps://… (implicit TLS).
 */
export function createSmtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url.includes('?') ? `${url}&pool=true` : `${url}?pool=true`);
  return {
    async send({ to, subject, text }) {
      await transport.sendMail({ from, to, subject, text });
    },
    async close() {
      transport.close();
    },
  };
}
