/**
 * @module
 * The development outbox: without `SMTP_URL` or `TWILIO_*`, email and SMS are kept in
 * `ab_mfa_outbox` instead of sent, and the demo page shows them to the person they are for.
 *
 * Invariants:
 *  1. Recipient and body are stored as keyring tokens, never in the clear: an outbox message
 *     holds a code, and the database must hold no code in the clear in any mode. The subject
 *     is stored as is and never holds a code (see `senders.ts`).
 *  2. The outbox is read only by the account a message is for, and only outside production
 *     (`routes.ts` refuses it there).
 *  3. At most {@link outboxMessagesPerUserMax} messages are kept per account; a new message
 *     deletes the oldest beyond that, so a long-running demo cannot grow the table forever.
 */
import assert from 'node:assert/strict';
import { Op, type Sequelize } from 'sequelize';
import type { Clock } from '../clock.ts';
import type { Keyring } from '../crypto/keyring.ts';
import { mfaModels } from './models.ts';
import type { EmailMessage, Mailer, SmsMessage, SmsSender } from './senders.ts';

/** Messages kept per account; older ones are deleted when a new one arrives. */
export const outboxMessagesPerUserMax = 50;

/** What the outbox needs: where to store, how to encrypt, what time it is. */
export interface OutboxStore {
  sequelize: Sequelize;
  keys: Keyring;
  clock: Clock;
}

/** One kept message, decrypted, as the demo shows it. */
export interface OutboxMessage {
  id: number;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  body: string;
  createdAt: Date;
}

/** A mailer that keeps every email in the outbox. */
export function outboxMailer(store: OutboxStore): Mailer {
  return {
    kind: 'outbox',
    send: (message: EmailMessage) =>
      keep(store, {
        channel: 'email',
        to: message.to,
        subject: message.subject,
        body: message.text,
        userId: message.userId,
      }),
    close: async () => {},
  };
}

/** An SMS sender that keeps every message in the outbox. */
export function outboxSmsSender(store: OutboxStore): SmsSender {
  return {
    kind: 'outbox',
    send: (message: SmsMessage) =>
      keep(store, {
        channel: 'sms',
        to: message.to,
        subject: null,
        body: message.body,
        userId: message.userId,
      }),
  };
}

async function keep(
  store: OutboxStore,
  message: Omit<OutboxMessage, 'id' | 'createdAt'> & { userId: number | null },
): Promise<void> {
  const { Outbox } = mfaModels(store.sequelize);
  const row = await Outbox.create({
    userId: message.userId,
    channel: message.channel,
    recipient: store.keys.encryptString(message.to),
    subject: message.subject,
    body: store.keys.encryptString(message.body),
    createdAt: store.clock.now(),
  });
  assert(row.body !== message.body, 'an outbox body is stored encrypted');
  if (message.userId === null) return;
  const kept = await Outbox.findAll({
    attributes: ['id'],
    where: { userId: message.userId },
    order: [['id', 'DESC']],
    offset: outboxMessagesPerUserMax,
    limit: 1,
  });
  const oldestKept = kept[0];
  if (oldestKept) {
    await Outbox.destroy({ where: { userId: message.userId, id: { [Op.lte]: oldestKept.id } } });
  }
}

/**
 * The messages kept for `userId`, newest first, decrypted.
 *
 * @param store - the database, keys and clock.
 * @param userId - the account whose messages are read.
 * @param page - at most `limit` messages older than the message `beforeId` (all when null).
 * @returns the messages, and whether older ones exist.
 */
export async function readOutbox(
  store: OutboxStore,
  userId: number,
  page: { limit: number; beforeId: number | null },
): Promise<{ messages: OutboxMessage[]; more: boolean }> {
  assert(page.limit >= 1);
  const { Outbox } = mfaModels(store.sequelize);
  const rows = await Outbox.findAll({
    where: { userId, ...(page.beforeId === null ? {} : { id: { [Op.lt]: page.beforeId } }) },
    order: [['id', 'DESC']],
    limit: page.limit + 1,
  });
  const messages = rows.slice(0, page.limit).map((row): OutboxMessage => {
    const channel = row.channel;
    assert(channel === 'email' || channel === 'sms');
    return {
      id: row.id,
      channel,
      to: store.keys.decryptString(row.recipient),
      subject: row.subject,
      body: store.keys.decryptString(row.body),
      createdAt: row.createdAt,
    };
  });
  return { messages, more: rows.length > page.limit };
}
