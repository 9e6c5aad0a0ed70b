import { z } from 'zod';
import { operation } from './operation.js';

/** The calls a browser uses to get past the admin guard; they need no credentials. */
export const sessionOperations = {
  getSession: operation({
    method: 'get',
    path: '/session',
    status: 200,
    answer: z.object({ authenticated: z.boolean() }),
  }),
  login: operation({
    method: 'post',
    path: '/session',
    body: z.object({ token: z.string().min(1) }),
    status: 200,
    answer: z.object({ authenticated: z.literal(true) }),
  }),
  logout: operation({
    method: 'delete',
    path: '/session',
    status: 200,
    answer: z.object({ authenticated: z.literal(false) }),
  }),
};
