/**
 * @module
 * Opens the database named by the configuration: a SQLite file (WAL, busy timeout, foreign
 * keys on every connection) or PostgreSQL. Both run the same migrations and the same code.
 */
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Sequelize, Transaction } from 'sequelize';
import sqlite3 from 'sqlite3';
import type { DatabaseTarget } from './config.ts';

/** How long a SQLite connection waits for another writer before giving up. */
export const sqliteBusyTimeoutMs = 5000;

/** Largest number of PostgreSQL connections one process holds. */
export const postgresPoolMax = 10;

/**
 * sqlite3's Database with the busy timeout set on every connection. Sequelize opens one
 * connection per database transaction on SQLite, so a per-connection setting has to be made
 * where connections are born.
 */
class BusyTimeoutDatabase extends sqlite3.Database {
  constructor(filename: string, mode?: number, callback?: (error: Error | null) => void) {
    super(filename, mode ?? sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, callback);
    this.configure('busyTimeout', sqliteBusyTimeoutMs);
  }
}

const sqliteModule = { ...sqlite3, Database: BusyTimeoutDatabase };

/** Opens (and for SQLite creates) the database, and checks that it answers. */
export async function openDatabase(target: DatabaseTarget): Promise<Sequelize> {
  const sequelize =
    target.dialect === 'sqlite'
      ? openSqlite(target.storage)
      : new Sequelize(target.url, {
          dialect: 'postgres',
          logging: false,
          pool: { max: postgresPoolMax, min: 0, idle: 10_000, acquire: 30_000 },
        });
  await sequelize.authenticate();
  if (target.dialect === 'sqlite') {
    // WAL lets readers run beside one writer; the setting is kept in the file.
    await sequelize.query('PRAGMA journal_mode = WAL');
  }
  return sequelize;
}

function openSqlite(storage: string): Sequelize {
  if (storage !== ':memory:') mkdirSync(dirname(storage), { recursive: true });
  const sequelize = new Sequelize({
    dialect: 'sqlite',
    storage,
    dialectModule: sqliteModule,
    logging: false,
    // Take the write lock at BEGIN: a deferred transaction that later upgrades its lock can
    // fail with SQLITE_BUSY at once, whatever the busy timeout.
    transactionType: Transaction.TYPES.IMMEDIATE,
  });
  serializeTransactions(sequelize);
  return sequelize;
}

/**
 * Runs one process's managed SQLite transactions one at a time.
 *
 * Why: Sequelize gives each SQLite transaction its own connection, and a connection waiting
 * for the write lock blocks one of libuv's four worker threads. Four waiters can then starve
 * the transaction that holds the lock, so it cannot commit until a wait times out. SQLite runs
 * one writer at a time anyway; queuing in JavaScript keeps the threads free. Other processes
 * are still kept apart by the database's own lock and the busy timeout.
 *
 * A transaction nested in another (`{ transaction }` given: a savepoint on the same
 * connection) and an unmanaged one (no callback) are not queued.
 */
const insideQueuedTransaction = new AsyncLocalStorage<boolean>();

function serializeTransactions(sequelize: Sequelize): void {
  const original = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  const queued = (...args: unknown[]): Promise<unknown> => {
    const [first, second] = args;
    const isManaged = typeof first === 'function' || typeof second === 'function';
    const isNested = typeof first === 'object' && first !== null && 'transaction' in first &&
      (first as { transaction?: unknown }).transaction != null;
    if (!isManaged || isNested) return original(...args);
    // Waiting on the queue from inside a queued transaction would wait forever: fail loudly.
    assert(!insideQueuedTransaction.getStore(), 'nested SQLite transaction without { transaction }');
    const run = tail.then(() => insideQueuedTransaction.run(true, () => original(...args)));
    tail = run.catch(() => undefined);
    return run;
  };
  // The overloads of `transaction` cannot be expressed on a plain function; the wrapper takes
  // and returns exactly what the original does.
  sequelize.transaction = queued as unknown as Sequelize['transaction'];
}
