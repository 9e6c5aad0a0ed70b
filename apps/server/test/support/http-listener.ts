import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { ADMIN_TOKEN } from './app.js';
import { send } from './server-process.js';
import { signatureHeader } from './stripe-events.js';

/** A test app served on a loopback port, so deliveries and admin calls go over real HTTP. */
export interface Listening {
  url: string;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  /** Signs (stripe-node's test helper) and posts a Stripe event to `/api<path>`. */
  deliver(path: string, payload: string, secret: string): Promise<Response>;
  close(): Promise<void>;
}

export async function listen(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<Listening> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    admin: (method, path, body) =>
      send(`${url}/admin/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    deliver: async (path, payload, secret) =>
      send(`${url}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': await signatureHeader(payload, secret) },
        body: payload,
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
