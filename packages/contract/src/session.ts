import { z } from 'zod';
import { operation } from './operation.js';
import { routes } from './routes.js';

/** The calls a browser uses to get past the admin guard; they need no credentials. */
export const sessionOperations = {
  getSession: operation({ ...routes.getSession, answer: z.object({ authenticated: z.boolean() }) }),
  login: operation({
    ...routes.login,
    body: z.object({ token: z.string().min(1) }),
    answer: z.object({ authenticated: z.literal(true) }),
  }),
  logout: operation({ ...routes.logout, answer: z.object({ authenticated: z.literal(false) }) }),
};
