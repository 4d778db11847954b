/**
 * @module
 * The bundle a page would load for one control: its defining module and everything it
 * imports (its framework included), minified by esbuild into one ES module, and its gzip size.
 * The `ab-` entries start from the built `dist/` modules, the others from their npm packages,
 * so every library goes through the same bundler with the same settings.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A bundle's code and its size. */
export interface Bundle {
  code: string;
  bytes: number;
  gzipBytes: number;
}

/** Bundles `module` (a package path, or a path relative to the project root). */
export async function bundleOf(module: string): Promise<Bundle> {
  const result = await build({
    stdin: { contents: `import ${JSON.stringify(module)};`, resolveDir: projectRoot,
      loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // Some packages ship CSS or font imports; a page would load them too, but they are not JS.
    loader: { '.css': 'text', '.woff2': 'empty', '.woff': 'empty' },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const code = result.outputFiles[0]?.text ?? '';
  return { code, bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length };
}
