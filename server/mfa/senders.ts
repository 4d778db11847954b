/**
 * @module
 * The two ways the server reaches a person: email and SMS. Services send through these
 * interfaces, taken from the context (`ctx.mailer`, `ctx.sms`), so a deployment picks SMTP and
 * Twilio, development keeps messages in the outbox, and a test can do either without patching
 * a module.
 *
 * Invariants:
 *  1. A sender never logs a recipient or a body: bodies carry codes and recipients are
 *     personal data. Failures are reported with a {@link DeliveryError}, whose message names
 *     only the channel and the provider's status.
 *  2. `send` resolves only once the provider (or the outbox) has accepted the message.
 */

/** One email. */
export interface EmailMessage {
  /** The address it goes to. */
  to: string;
  /** The subject line; never holds a code (the outbox stores it in the clear). */
  subject: string;
  /** The plain-text body. */
  text: string;
  /** The account it concerns, for the development outbox; null for none. */
  userId: number | null;
}

/** One text message. */
export interface SmsMessage {
  /** The E.164 number it goes to. */
  to: string;
  /** The text. */
  body: string;
  /** The account it concerns, for the development outbox; null for none. */
  userId: number | null;
}

/** What a sender is, for the status page and the outbox route. */
export type SenderKind = 'smtp' | 'twilio' | 'outbox';

/** Sends email. */
export interface Mailer {
  readonly kind: SenderKind;
  /**
   * Sends `message`.
   *
   * @throws DeliveryError when the message could not be handed over.
   */
  send(message: EmailMessage): Promise<void>;
  /** Releases connections; called when the context closes. */
  close(): Promise<void>;
}

/** Sends text messages. */
export interface SmsSender {
  readonly kind: SenderKind;
  /**
   * Sends `message`.
   *
   * @throws DeliveryError when the message could not be handed over.
   */
  send(message: SmsMessage): Promise<void>;
}

/** A message that could not be handed to its provider. */
export class DeliveryError extends Error {
  constructor(
    readonly channel: 'email' | 'sms',
    detail: string,
  ) {
    super(`${channel} delivery failed: ${detail}`);
    this.name = 'DeliveryError';
  }
}
