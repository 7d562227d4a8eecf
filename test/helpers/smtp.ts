import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  /** The plain-text body, with quoted-printable soft line breaks undone. */
  text: string;
}

export interface TestMailbox {
  /** smtp://127.0.0.1:<port>, for CAIRN_SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** The next unread mail to `to`, waiting for it to arrive (up to `timeoutMs`). */
  nextMailTo(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** The 6-digit code in the next unread mail to `to`. */
  nextCodeFor(to: string): Promise<string>;
  close(): Promise<void>;
}

function parse(raw: string, to: string[]): ReceivedMail {
  const [head = '', ...body] = raw.replace(/\r\n/g, '\n').split('\n\n');
  const subject = /^Subject: (.*)$/im.exec(head)?.[1] ?? '';
  const text = body.join('\n\n').replace(/=\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return { to, subject, text };
}

/** A real SMTP server on an ephemeral port that keeps every message: tests read codes as a person would. */
export async function startTestMailbox(): Promise<TestMailbox> {
  const received: ReceivedMail[] = [];
  const read = new Set<ReceivedMail>();
  let waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase())));
        for (const wake of waiters) wake();
        waiters = [];
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  const unread = (to: string) => received.find((mail) => !read.has(mail) && mail.to.includes(to.toLowerCase()));

  const mailbox: TestMailbox = {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async nextMailTo(to, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = unread(to);
        if (mail) {
          read.add(mail);
          return mail;
        }
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    async nextCodeFor(to) {
      const mail = await mailbox.nextMailTo(to);
      const code = /code is (\d{6})/.exec(mail.text)?.[1];
      if (!code) throw new Error(`no code in mail to ${to}: ${mail.text}`);
      return code;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return mailbox;
}
