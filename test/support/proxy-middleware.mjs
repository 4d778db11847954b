/**
 * @module
 * A Koa middleware for web-test-runner that forwards `/api/*` to the real API server, so
 * elements under test call the same-origin `/api` over real HTTP, cookies included.
 */

/** Headers that belong to one hop and are not forwarded. */
const hopHeaders = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

/**
 * A made-up client address per test page. The API server runs behind this proxy with
 * PUBLIC_ORIGIN set, so it reads the client from X-Forwarded-For. Giving each test page (each
 * test file's session) its own address keeps the per-address throttles of one test file from
 * spending the budget of the next, as separate people's browsers would.
 * @param {string | undefined} referer the page that made the request
 */
function clientAddressOf(referer) {
  let hash = 0;
  for (const char of referer ?? '') hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `10.${(hash >>> 16) & 255}.${(hash >>> 8) & 255}.${hash & 255}`;
}

/** @param {() => string} target returns the API server's base URL */
export function apiProxy(target) {
  return async function apiProxyMiddleware(ctx, next) {
    if (!ctx.url.startsWith('/api/')) return next();
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const headers = new Headers();
    for (const [name, value] of Object.entries(ctx.req.headers)) {
      if (!hopHeaders.has(name) && typeof value === 'string') headers.set(name, value);
    }
    headers.set('x-forwarded-host', ctx.host);
    headers.set('x-forwarded-for', clientAddressOf(ctx.get('referer')));
    const response = await fetch(target() + ctx.url, {
      method: ctx.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      redirect: 'manual',
    });
    ctx.status = response.status;
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie' && !hopHeaders.has(name) && name !== 'content-encoding') ctx.set(name, value);
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) ctx.set('set-cookie', cookies);
    ctx.body = Buffer.from(await response.arrayBuffer());
  };
}
