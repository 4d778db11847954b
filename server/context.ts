/**
 * @module
 * What routes and services receive: configuration, database, clock, logger, keys and the email
 * and SMS senders. Everything that reaches outside the process (time, mail, SMS, exchange
 * rates) comes through here, so a test swaps it for a fake without patching modules.
 */
import type { Sequelize } from 'sequelize';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { loadKeyring, type Keyring } from './crypto/keyring.ts';
import { openDatabase } from './database.ts';
import { createLogger, type Logger } from './logger.ts';
import { smtpMailer } from './mfa/mailer.ts';
import { outboxMailer, outboxSmsSender } from './mfa/outbox.ts';
import type { Mailer, SmsSender } from './mfa/senders.ts';
import { twilioSmsSender } from './mfa/sms.ts';

/** The server's context. */
export interface AppContext {
  config: Config;
  sequelize: Sequelize;
  clock: Clock;
  logger: Logger;
  /** The Fernet keys that encrypt stored secrets; newest first. */
  keys: Keyring;
  /** Sends email: SMTP when `SMTP_URL` is set, else the development outbox. */
  mailer: Mailer;
  /** Sends SMS: Twilio when `TWILIO_*` are set, else the development outbox. */
  sms: SmsSender;
}

/** Parts a caller may supply instead of the defaults (tests pass a manual clock, a log sink). */
export interface ContextOverrides {
  clock?: Clock;
  logger?: Logger;
  sequelize?: Sequelize;
  keys?: Keyring;
  mailer?: Mailer;
  sms?: SmsSender;
}

/** Opens the database and assembles the context for `config`. */
export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  // Keys before the database: production without SECRET_KEYS fails before opening anything.
  const keys = overrides.keys ?? loadKeyring(config, logger, clock);
  const sequelize = overrides.sequelize ?? (await openDatabase(config.database));
  const outbox = { sequelize, keys, clock };
  const mailer =
    overrides.mailer ?? (config.smtp ? smtpMailer(config.smtp) : outboxMailer(outbox));
  const sms =
    overrides.sms ?? (config.twilio ? twilioSmsSender(config.twilio) : outboxSmsSender(outbox));
  if (config.nodeEnv === 'production' && (mailer.kind === 'outbox' || sms.kind === 'outbox')) {
    logger.warn('email or SMS is kept in the development outbox; set SMTP_URL and TWILIO_*', {
      mailer: mailer.kind,
      sms: sms.kind,
    });
  }
  return { config, sequelize, clock, logger, keys, mailer, sms };
}

/** Releases what the context holds open. */
export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.mailer.close();
  await ctx.sequelize.close();
}
