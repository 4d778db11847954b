/// <reference lib="dom" />
/**
 * @module
 * Renders 500 instances of one control inside a form in headless Chromium and measures the
 * time until they are defined, rendered and laid out, and the JavaScript heap they hold after
 * a garbage collection. Each run gets a fresh page; the figure is the median of the runs.
 */
import type { Browser } from 'playwright-core';

/** What one control cost to render. */
export interface RenderFigures {
  ms: number;
  heapBytes: number;
}

const origin = 'http://bench.invalid';

/** In the page: builds the form, waits for the elements to render, measures. */
async function renderInPage(input: { html: string; tag: string | null; count: number }) {
  type Gc = () => void;
  const gc = (globalThis as unknown as { gc: Gc }).gc;
  const memory = () => (performance as unknown as { memory: { usedJSHeapSize: number } })
    .memory.usedJSHeapSize;
  if (input.tag) await customElements.whenDefined(input.tag);
  gc();
  const heapBefore = memory();
  const started = performance.now();
  const form = document.createElement('form');
  let html = '';
  for (let i = 0; i < input.count; i++) html += input.html.replaceAll('{i}', String(i));
  form.innerHTML = html;
  document.body.append(form);
  const pending = [...form.querySelectorAll('*')].map((element) =>
    (element as Element & { updateComplete?: Promise<unknown> }).updateComplete);
  await Promise.all(pending);
  void form.offsetHeight;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const ms = performance.now() - started;
  gc();
  return { ms, heapBytes: memory() - heapBefore };
}

/**
 * Renders `count` instances of `html` `runs` times, each in a fresh page that loaded `code`.
 *
 * @returns the median time and heap.
 */
export async function measureRender(
  browser: Browser,
  control: { code: string | null; html: string; tag: string | null },
  count = 500,
  runs = 5,
): Promise<RenderFigures> {
  const times: number[] = [];
  const heaps: number[] = [];
  for (let run = 0; run < runs; run++) {
    const page = await browser.newPage();
    await page.route(`${origin}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/control.js') {
        return route.fulfill({ contentType: 'text/javascript', body: control.code ?? '' });
      }
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><html lang="en">' +
        '<body>' + (control.code ? '<script type="module" src="/control.js"></script>' : '') +
        '</body></html>' });
    });
    await page.goto(`${origin}/`);
    const figures = await page.evaluate(renderInPage, { html: control.html, tag: control.tag,
      count });
    times.push(figures.ms);
    heaps.push(figures.heapBytes);
    await page.close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
  return { ms: median(times), heapBytes: median(heaps) };
}
