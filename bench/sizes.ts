/**
 * @module
 * Gzip sizes of what a page downloads: each element module with the shared chunks it imports
 * (Lit excluded: it is a peer the page may already have), the shared core, and the
 * self-contained bundle with its static imports. Deterministic, so budgets may be tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const distDir = fileURLToPath(new URL('../dist/', import.meta.url));

/** Budgets in gzip bytes, kept in the repository beside this file. */
export interface SizeBudgets {
  bundleGzipBytesMax: number;
  coreGzipBytesMax: number;
  elementGzipBytesMax: Record<string, number>;
  /** Applies to an element without its own entry. */
  elementDefaultGzipBytesMax: number;
}

export function readBudgets(): SizeBudgets {
  return JSON.parse(readFileSync(new URL('./size-budgets.json', import.meta.url), 'utf8')) as SizeBudgets;
}

/** `import x from "./a.js"`, `import"./a.js"`, `export{y}from"./a.js"`, minified or not. */
const staticImportRe = /(?:import|export)\s*(?:[\w*{}\s,$]*?from\s*)?["'](\.{1,2}\/[^"']+)["']/g;

/** `file` and every file it imports statically, transitively. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  for (const match of code.matchAll(staticImportRe)) {
    const target = resolve(dirname(file), match[1] ?? '');
    if (existsSync(target)) staticClosure(target, seen);
  }
  return seen;
}

function gzipBytes(files: Iterable<string>): number {
  let total = 0;
  for (const file of files) total += gzipSync(readFileSync(file), { level: 9 }).length;
  return total;
}

/** Measured sizes in gzip bytes. */
export interface Sizes {
  bundle: number;
  core: number;
  elements: Record<string, number>;
}

/** Measures the built `dist/`; throws when it has not been built. */
export function measureSizes(): Sizes {
  if (!existsSync(join(distDir, 'ab-elements.bundle.js'))) {
    throw new Error('dist/ is not built: run `npm run build` first.');
  }
  const elements: Record<string, number> = {};
  for (const family of ['ui', 'forms', 'mfa', 'wallet']) {
    const folder = join(distDir, family);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.js'))) {
      elements[`${family}/${file.replace(/\.js$/, '')}`] = gzipBytes(staticClosure(join(folder, file)));
    }
  }
  const chunkFolder = join(distDir, 'chunks');
  const chunks = existsSync(chunkFolder)
    ? readdirSync(chunkFolder).filter((name) => name.endsWith('.js')).map((name) => join(chunkFolder, name))
    : [];
  // The core is what every element shares: the chunks imported by at least two elements.
  const importCount = new Map<string, number>();
  for (const family of ['ui', 'forms', 'mfa', 'wallet']) {
    const folder = join(distDir, family);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.js'))) {
      for (const imported of staticClosure(join(folder, file))) {
        if (chunks.includes(imported)) importCount.set(imported, (importCount.get(imported) ?? 0) + 1);
      }
    }
  }
  const shared = [...importCount].filter(([, count]) => count >= 2).map(([file]) => file);
  return {
    bundle: gzipBytes(staticClosure(join(distDir, 'ab-elements.bundle.js'))),
    core: gzipBytes(shared),
    elements,
  };
}

/** Lines saying which measured sizes exceed their budget; empty when all fit. */
export function overBudget(sizes: Sizes, budgets: SizeBudgets): string[] {
  const over: string[] = [];
  if (sizes.bundle > budgets.bundleGzipBytesMax) over.push(`bundle: ${sizes.bundle} > ${budgets.bundleGzipBytesMax}`);
  if (sizes.core > budgets.coreGzipBytesMax) over.push(`core: ${sizes.core} > ${budgets.coreGzipBytesMax}`);
  for (const [name, bytes] of Object.entries(sizes.elements)) {
    const max = budgets.elementGzipBytesMax[name] ?? budgets.elementDefaultGzipBytesMax;
    if (bytes > max) over.push(`${name}: ${bytes} > ${max}`);
  }
  return over;
}
