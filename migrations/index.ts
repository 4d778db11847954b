/**
 * @module
 * Every migration, in the order it runs. Append; never edit one that has shipped.
 */
import type { Migration } from '../server/migrator.ts';
import { core001 } from './core_001.ts';
import { mfa001 } from './mfa_001.ts';
import { wallet001 } from './wallet_001.ts';
import { wallet002 } from './wallet_002.ts';
import { wallet003 } from './wallet_003.ts';
import { wallet004 } from './wallet_004.ts';

export const migrations: Migration[] = [
  core001, wallet001, mfa001, wallet002, wallet003, wallet004,
];
