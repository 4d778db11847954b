/**
 * @module
 * Opens the database named by the configuration: a SQLite file (WAL, busy timeout, foreign
 * keys on every connection) or PostgreSQL. Both run the same migrations and the same code.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Sequelize } from 'sequelize';
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
  return new Sequelize({
    dialect: 'sqlite',
    storage,
    dialectModule: sqliteModule,
    logging: false,
  });
}
