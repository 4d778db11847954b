/**
 * The library build. Two passes share this file (`AB_BUILD=bundle` selects the second):
 *  - modules: one ES module per element (`dist/<family>/<name>.js`) and `dist/index.js`, with
 *    Lit left as an import so an app that uses Lit itself loads it once;
 *  - bundle: `dist/ab-elements.bundle.js`, self-contained (Lit included) for a plain
 *    `<script type="module">`, with lazily loaded heavy parts split into chunks beside it.
 * Storybook reuses this file for its own build; `build.lib` does not disturb it.
 */
import { readdirSync } from 'node:fs';
import { defineConfig } from 'vite';

const families = ['ui', 'forms', 'mfa', 'wallet'] as const;

/** `{ 'ui/text-field': 'components/ui/text-field.ts', ... }` for every element module. */
function elementEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const family of families) {
    let files: string[] = [];
    try {
      files = readdirSync(`components/${family}`);
    } catch {
      continue; // a family with no elements yet
    }
    for (const file of files.filter((name) => name.endsWith('.ts'))) {
      entries[`${family}/${file.replace(/\.ts$/, '')}`] = `components/${family}/${file}`;
    }
  }
  return entries;
}

const isBundle = process.env.AB_BUILD === 'bundle';

export default defineConfig({
  build: {
    target: 'es2022',
    sourcemap: true,
    outDir: 'dist',
    emptyOutDir: !isBundle,
    minify: true,
    lib: isBundle
      ? { entry: { 'ab-elements.bundle': 'components/index.ts' }, formats: ['es'] }
      : { entry: { index: 'components/index.ts', ...elementEntries() }, formats: ['es'] },
    rolldownOptions: {
      external: isBundle ? [] : [/^lit($|\/)/, /^@lit\//, /^@lit-labs\//],
      output: {
        // Lib mode leaves ES output unminified; these files are what pages download.
        minify: true,
        chunkFileNames: isBundle ? 'bundle-chunks/[name]-[hash].js' : 'chunks/[name]-[hash].js',
      },
    },
  },
});
