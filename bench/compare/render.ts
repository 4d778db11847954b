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

/**
 * In the page: builds the form, waits for the elements to render, measures. A string, not a
 * function: tsx would wrap a function's inner functions in a helper the page does not have.
 */
const renderInPage = `async ({ html, tag, count }) => {
  if (tag) await customElements.whenDefined(tag);
  gc();
  const heapBefore = performance.memory.usedJSHeapSize;
  const started = performance.now();
  const form = document.createElement('form');
  let markup = '';
  for (let i = 0; i < count; i++) markup += html.replaceAll('{i}', String(i));
  form.innerHTML = markup;
  document.body.append(form);
  await Promise.all([...form.querySelectorAll('*')].map((element) => element.updateComplete));
  void form.offsetHeight;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const ms = performance.now() - started;
  gc();
  return { ms, heapBytes: performance.memory.usedJSHeapSize - heapBefore };
}`;

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
    const input = JSON.stringify({ html: control.html, tag: control.tag, count });
    const figures = (await page.evaluate(`(${renderInPage})(${input})`)) as RenderFigures;
    times.push(figures.ms);
    heaps.push(figures.heapBytes);
    await page.close();
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
  return { ms: median(times), heapBytes: median(heaps) };
}
