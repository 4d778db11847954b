/**
 * @module
 * `createApp(context)`: the Hono application. It mounts every domain's routes under `/api`,
 * turns every error into problem+json in one place, and serves the demo page and the gallery.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { readFileSync } from 'node:fs';
import { analysisRoutes } from './analysis/routes.ts';
import { authRoutes } from './auth/routes.ts';
import type { AppContext } from './context.ts';
import { healthRoutes } from './health/routes.ts';
import { ApiRouter } from './http/api-router.ts';
import { cors } from './http/cors.ts';
import { csrf } from './http/csrf.ts';
import type { AppEnv } from './http/env.ts';
import { buildOpenApiDocument } from './http/openapi.ts';
import { ProblemError, notFoundProblem, problemContentType, type ProblemBody } from './http/problem.ts';
import { requestLog } from './http/request-log.ts';
import { confinePendingSessions, loadSession, requireAccess } from './http/session.ts';
import { mfaRoutes } from './mfa/routes.ts';
import { staticSite } from './static-site.ts';
import { walletApiRoutes } from './wallet/routes.ts';

/** Largest request body the API reads. */
export const requestBodyBytesMax = 1024 * 1024;

const packageVersion = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Builds the application for `ctx`; no port is opened. */
export function createApp(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', async function provideContext(c, next) {
    c.set('ctx', ctx);
    await next();
  });
  app.use('*', requestLog(ctx.logger));
  app.onError(respondWithProblem);

  const api = new Hono<AppEnv>();
  // Order matters: CORS answers preflights before anything else runs; CSRF refuses foreign
  // pages before a body is read; the session is loaded only for requests that got this far.
  const { allowedOrigins, publicOrigin } = ctx.config;
  api.use('*', cors({ allowedOrigins }));
  api.use('*', csrf({ allowedOrigins, publicOrigin }));
  api.use(
    '*',
    bodyLimit({
      maxSize: requestBodyBytesMax,
      onError: () => {
        const detail = `The API reads at most ${requestBodyBytesMax} bytes.`;
        throw new ProblemError(413, 'payload-too-large', 'Request body too large.', detail);
      },
    }),
  );
  api.use('*', loadSession());
  api.use('*', confinePendingSessions());
  const router = new ApiRouter(api, requireAccess);
  healthRoutes(router);
  authRoutes(router);
  mfaRoutes(router);
  analysisRoutes(router);
  walletApiRoutes(router);
  api.get('/openapi.json', (c) => c.json(buildOpenApiDocument(router.routes, packageVersion)));
  // Registered last, so it answers only what no route above matched, before the static site.
  api.all('*', (c) => {
    throw notFoundProblem(`No API route answers ${c.req.method} ${c.req.path}.`);
  });
  app.route('/api', api);
  app.route('/', staticSite());
  return app;
}

/** The single place where an error becomes a response. */
function respondWithProblem(error: Error, c: Context<AppEnv>): Response {
  const problem = toProblem(error, c);
  const body: ProblemBody = problem.toBody(c.req.path);
  const response = new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'Content-Type': problemContentType, 'Cache-Control': 'no-store', ...problem.headers },
  });
  const requestId = c.get('requestId');
  if (requestId) response.headers.set('X-Request-Id', requestId);
  return response;
}

function toProblem(error: Error, c: Context<AppEnv>): ProblemError {
  if (error instanceof ProblemError) return error;
  if (error instanceof HTTPException) {
    return new ProblemError(error.status, `http-${error.status}`, error.message || 'Request refused.', error.message);
  }
  (c.get('log') ?? c.var.ctx.logger).error('unhandled error', {
    error: { name: error.name, message: error.message, stack: error.stack },
  });
  return new ProblemError(500, 'internal', 'Internal server error.', 'Something went wrong on our side. It has been logged.');
}
