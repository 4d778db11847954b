/**
 * @module
 * The client's IP address, for the per-address login throttle and the session's record.
 *
 * Directly on the network, it is the socket's peer (what `@hono/node-server` passes as
 * `env.incoming`). Behind a proxy (`PUBLIC_ORIGIN` set) the peer is the proxy, which would put
 * every client in one throttling bucket; the client is then the last `X-Forwarded-For` entry,
 * the one the proxy itself appended. Earlier entries are whatever the client claimed and are
 * never read. Anything that is not an IP address counts as unknown.
 */
import type { Context } from 'hono';
import { isIP } from 'node:net';
import type { Config } from '../config.ts';

/** What `@hono/node-server` puts in `c.env`; absent under `app.request()` without an env. */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The client's IP address, or null when it cannot be known.
 *
 * @param c - the request's context.
 * @param config - the configuration; `publicOrigin` set means "behind a proxy".
 * @returns an IPv4 or IPv6 address, or null.
 */
export function clientAddress(c: Context, config: Pick<Config, 'publicOrigin'>): string | null {
  if (config.publicOrigin !== null) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last && isIP(last) !== 0) return last;
  }
  const bindings = c.env as NodeBindings | undefined;
  const peer = bindings?.incoming?.socket?.remoteAddress;
  return peer && isIP(peer) !== 0 ? peer : null;
}
