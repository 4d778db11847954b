/**
 * @module
 * The side-by-side comparison for `npm run bench -- compare`: for each control, the `ab-`
 * element against the matching control of Shoelace, Web Awesome, Vaadin and Material Web and
 * the native element: gzip bytes of a bundle that imports only that control, and the time and
 * heap to render 500 of them in a form, in headless Chromium. Printed as a Markdown table.
 */
import { chromium } from 'playwright-core';
import { bundleOf } from './compare/bundle.ts';
import { controls, type Contender } from './compare/controls.ts';
import { measureRender } from './compare/render.ts';

interface Row {
  control: string;
  library: string;
  gzipBytes: number | null;
  ms: number;
  heapBytes: number;
}

async function measureContender(browser: Parameters<typeof measureRender>[0], name: string,
  contender: Contender): Promise<Row> {
  const bundle = contender.module === null ? null : await bundleOf(contender.module);
  const figures = await measureRender(browser, { code: bundle?.code ?? null,
    html: contender.html, tag: contender.tag });
  return { control: name, library: contender.library, gzipBytes: bundle?.gzipBytes ?? null,
    ...figures };
}

/** Runs the comparison; answers the lines of a Markdown table and a verdict per control. */
export async function compareBenchmarks(): Promise<string[]> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--js-flags=--expose-gc',
      '--enable-precise-memory-info', '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding'],
  });
  const lines = ['side by side: 500 controls in a form, headless Chromium (median of 5 fresh ' +
    'pages); bundle = that control alone, minified by esbuild, gzip -9',
  '', '| control | library | bundle gzip | render 500 | heap after | vs ab render |',
  '|---|---|---:|---:|---:|---:|'];
  const verdicts: string[] = [];
  try {
    for (const control of controls) {
      const rows: Row[] = [];
      for (const contender of control.contenders) {
        rows.push(await measureContender(browser, control.name, contender));
      }
      const ab = rows[0] as Row;
      for (const row of rows) {
        lines.push(`| ${row.control} | ${row.library} | ` +
          `${row.gzipBytes === null ? '—' : `${(row.gzipBytes / 1024).toFixed(1)} kB`} | ` +
          `${row.ms.toFixed(1)} ms | ${(row.heapBytes / 1024 / 1024).toFixed(2)} MB | ` +
          `${(row.ms / ab.ms).toFixed(2)}x |`);
      }
      const anchors = rows.filter((row) => row.library !== 'ab' && row.library !== 'native');
      const heavier = anchors.filter((row) => row.gzipBytes !== null &&
        (ab.gzipBytes ?? 0) >= row.gzipBytes).map((row) => row.library);
      const faster = anchors.filter((row) => row.ms <= ab.ms).map((row) => row.library);
      const native = rows.find((row) => row.library === 'native');
      verdicts.push(`${control.name}: ` +
        `${heavier.length === 0 ? 'smallest' : `not smaller than ${heavier.join(', ')}`}; ` +
        `${faster.length === 0 ? 'fastest' : `not faster than ${faster.join(', ')}`}` +
        (native ? `; ${(ab.ms / native.ms).toFixed(1)}x native render time` : ''));
    }
  } finally {
    await browser.close();
  }
  return [...lines, '', ...verdicts];
}
