/**
 * @module
 * What `npm start` serves besides the API: the demo page at `/`, the built elements at
 * `/dist/`, and the built Storybook gallery at `/gallery/`.
 */
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where each public prefix is read from, relative to the project. */
export const staticFolders = { demo: 'demo', dist: 'dist', gallery: 'dist-gallery' } as const;

/** Serves `folder` below `prefix`, or a clear 404 when it has not been built. */
function folder(prefix: string, name: string): MiddlewareHandler {
  const root = projectRoot + name;
  // Made on first use: serveStatic complains at creation about a folder not yet built.
  let serve: MiddlewareHandler | null = null;
  return async function staticFolder(c, next) {
    if (!existsSync(root)) {
      return c.text(`${name}/ has not been built yet: run \`npm run build\`.`, 404);
    }
    serve ??= serveStatic({ root, rewriteRequestPath: (path) => path.slice(prefix.length) || '/' });
    return serve(c, next);
  };
}

/** The static part of the site. */
export function staticSite(): Hono {
  const site = new Hono();
  site.use('*', async function securityHeaders(c, next) {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
  });
  site.get('/gallery', (c) => c.redirect('/gallery/', 301));
  site.use('/gallery/*', folder('/gallery', staticFolders.gallery));
  site.use('/dist/*', folder('/dist', staticFolders.dist));
  site.use('/*', folder('', staticFolders.demo));
  return site;
}
