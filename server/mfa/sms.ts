/**
 * @module
 * SMS through Twilio's REST API (`POST /2010-04-01/Accounts/{sid}/Messages.json`), used when
 * the `TWILIO_*` variables are set. Plain `fetch`, no SDK: one request, HTTP Basic auth with the
 * account SID and auth token, a form body, a JSON answer.
 *
 * Invariants:
 *  1. The auth token, the recipient and the body never appear in a log line or an error.
 *  2. A request takes at most {@link twilioRequestTimeoutMs}; a slow provider fails the send.
 *  3. A send counts as done only when Twilio answers 2xx with a message `sid`.
 */
import assert from 'node:assert/strict';
import type { TwilioConfig } from '../config.ts';
import { DeliveryError, type SmsMessage, type SmsSender } from './senders.ts';

/** Longest wait for Twilio's answer. */
export const twilioRequestTimeoutMs = 10_000;

/** What Twilio answers when it accepts a message (only what is read). */
interface TwilioMessage {
  sid?: unknown;
  status?: unknown;
}

/** What Twilio answers when it refuses (only what is read). */
interface TwilioError {
  code?: unknown;
}

/**
 * An SMS sender that posts to Twilio's Messages resource.
 *
 * @param config - the account, its token, the sender number or messaging service, the API base.
 * @returns the sender.
 * @example
 * const sms = twilioSmsSender(config.twilio);
 * await sms.send({ to: '+15005550006', body: 'Your code is 123456', userId: 7 });
 */
export function twilioSmsSender(config: TwilioConfig): SmsSender {
  const url =
    `${config.apiBase}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}` +
    '/Messages.json';
  const credentials = Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64');
  const fromField = config.from.startsWith('MG') ? 'MessagingServiceSid' : 'From';
  return {
    kind: 'twilio',
    async send(message: SmsMessage): Promise<void> {
      const form = new URLSearchParams({
        To: message.to,
        [fromField]: config.from,
        Body: message.body,
      });
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            Authorization: `Basic ${credentials}`,
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
          },
          body: form,
          signal: AbortSignal.timeout(twilioRequestTimeoutMs),
        });
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        throw new DeliveryError('sms', `Twilio unreachable (${name})`);
      }
      const answer = (await response.json().catch(() => ({}))) as TwilioMessage & TwilioError;
      if (!response.ok) {
        const code = typeof answer.code === 'number' ? ` code ${answer.code}` : '';
        throw new DeliveryError('sms', `Twilio answered ${response.status}${code}`);
      }
      if (typeof answer.sid !== 'string') {
        throw new DeliveryError('sms', 'Twilio answered without a message sid');
      }
      assert(answer.sid.length > 0);
    },
  };
}
