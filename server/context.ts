/**
 * @module
 * What routes and services receive: configuration, database, clock, logger and keys. Everything
 * that reaches outside the process (time, mail, SMS, exchange rates) comes through here, so a
 * test swaps it for a fake without patching modules.
 */
import type { Sequelize } from 'sequelize';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { loadKeyring, type Keyring } from './crypto/keyring.ts';
import { openDatabase } from './database.ts';
import { createLogger, type Logger } from './logger.ts';

/** The server's context. */
export interface AppContext {
  config: Config;
  sequelize: Sequelize;
  clock: Clock;
  logger: Logger;
  /** The Fernet keys that encrypt stored secrets; newest first. */
  keys: Keyring;
}

/** Parts a caller may supply instead of the defaults (tests pass a manual clock, a log sink). */
export interface ContextOverrides {
  clock?: Clock;
  logger?: Logger;
  sequelize?: Sequelize;
  keys?: Keyring;
}

/** Opens the database and assembles the context for `config`. */
export async function createContext(config: Config, overrides: ContextOverrides = {}): Promise<AppContext> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  // Keys before the database: production without SECRET_KEYS fails before opening anything.
  const keys = overrides.keys ?? loadKeyring(config, logger, clock);
  const sequelize = overrides.sequelize ?? (await openDatabase(config.database));
  return { config, sequelize, clock, logger, keys };
}

/** Releases what the context holds open. */
export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.sequelize.close();
}
