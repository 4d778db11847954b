/**
 * @module
 * `npm run bench`: prints figures. Nothing here passes or fails on a time.
 * `npm run bench -- sizes mfa` runs only the named sections. The database sections run on
 * SQLite, and on PostgreSQL when one answers at the test address (127.0.0.1:5432).
 */
import { Sequelize } from 'sequelize';
import { postgresAdminUrl } from '../test/server/support/test-context.ts';
import { compareBenchmarks } from './compare.ts';
import { mfaBenchmarks } from './mfa-verify.ts';
import { measureSizes, overBudget, readBudgets } from './sizes.ts';
import { walletBenchmarks } from './wallet.ts';

const sections = ['sizes', 'compare', 'mfa', 'wallet'] as const;
type Section = (typeof sections)[number];
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(sections as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown section(s) ${unknown.join(', ')}; known: ${sections.join(', ')}`);
  process.exit(2);
}
const wanted = (section: Section) => asked.length === 0 || asked.includes(section);

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(2)} kB`;
}

async function reachableDialects(): Promise<('sqlite' | 'postgres')[]> {
  const probe = new Sequelize(postgresAdminUrl, { logging: false });
  try {
    await probe.authenticate();
    return ['sqlite', 'postgres'];
  } catch {
    console.log(`  (no PostgreSQL at ${postgresAdminUrl}: SQLite only)`);
    return ['sqlite'];
  } finally {
    await probe.close();
  }
}

function sizeSection(): void {
  const budgets = readBudgets();
  const sizes = measureSizes();
  console.log('gzip sizes (level 9; element = module + shared chunks it imports, Lit excluded)');
  console.log(`  bundle (self-contained, Lit included)  ${kb(sizes.bundle)}  budget ${kb(budgets.bundleGzipBytesMax)}`);
  console.log(`  core (chunks shared by >= 2 elements)  ${kb(sizes.core)}  budget ${kb(budgets.coreGzipBytesMax)}`);
  for (const [name, bytes] of Object.entries(sizes.elements).sort()) {
    const max = budgets.elementGzipBytesMax[name] ?? budgets.elementDefaultGzipBytesMax;
    console.log(`  ${name.padEnd(38)} ${kb(bytes)}  budget ${kb(max)}`);
  }
  const over = overBudget(sizes, budgets);
  if (over.length > 0) console.log(`over budget:\n  ${over.join('\n  ')}`);
}

if (wanted('sizes')) sizeSection();
if (wanted('compare')) console.log((await compareBenchmarks()).join('\n'));
const dialects = wanted('mfa') || wanted('wallet') ? await reachableDialects() : [];
if (wanted('mfa')) console.log((await mfaBenchmarks(dialects)).join('\n'));
if (wanted('wallet')) await walletBenchmarks(dialects);
