/**
 * @module
 * Serves a fetch handler over real HTTP on a free port of 127.0.0.1, as `npm start` does, so a
 * benchmark pays for sockets, parsing and headers like a client would.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

/** A listening server: its origin and how to stop it. */
export interface Listening {
  origin: string;
  close(): Promise<void>;
}

/** Listens with `fetch` on an ephemeral port. */
export function listen(fetch: (request: Request, env?: unknown) => Response | Promise<Response>):
  Promise<Listening> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        origin: `http://127.0.0.1:${info.port}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
