/**
 * @module
 * Email over SMTP with nodemailer, used when `SMTP_URL` is set.
 *
 * The connection URL may hold a password; it is handed to nodemailer and never logged. Every
 * network step has a timeout, so a dead mail server delays a request by at most
 * {@link smtpTimeoutMs} per step instead of hanging it.
 */
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config.ts';
import { DeliveryError, type EmailMessage, type Mailer } from './senders.ts';

/** Longest wait for the connection, the greeting, and any socket inactivity. */
export const smtpTimeoutMs = 10_000;

/**
 * A mailer that sends through the SMTP server of `config`.
 *
 * @param config - `SMTP_URL` and `SMTP_FROM`.
 * @returns the mailer; call `close()` when done.
 * @example
 * const mailer = smtpMailer({ url: 'smtp://127.0.0.1:2525', from: 'Shop <no-reply@shop.test>' });
 * await mailer.send({ to: 'a@example.com', subject: 'Hi', text: 'Hello', userId: null });
 */
export function smtpMailer(config: SmtpConfig): Mailer {
  const transport = nodemailer.createTransport(
    {
      url: config.url,
      connectionTimeout: smtpTimeoutMs,
      greetingTimeout: smtpTimeoutMs,
      socketTimeout: smtpTimeoutMs,
    },
    { from: config.from },
  );
  return {
    kind: 'smtp',
    async send(message: EmailMessage): Promise<void> {
      try {
        await transport.sendMail({ to: message.to, subject: message.subject, text: message.text });
      } catch (error) {
        // nodemailer's messages may quote the envelope; only the code is passed on.
        const code = error instanceof Error && 'code' in error ? String(error.code) : 'unknown';
        throw new DeliveryError('email', `SMTP error ${code}`);
      }
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}
