/**
 * @module
 * `npm run bench`: prints figures. Nothing here passes or fails on a time.
 */
import { measureSizes, overBudget, readBudgets } from './sizes.ts';

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(2)} kB`;
}

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
