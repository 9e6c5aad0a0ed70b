import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import type { EventService } from '../events/service.js';
import { validationHook } from './errors.js';
import { contractRoute, errorAnswer, failure } from './schemas.js';

const listEvents = createRoute(
  contractRoute(operations.listEvents, {
    tags: ['events'],
    summary: 'Received events, newest first',
    answered: 'newest first; the next page is in the X-Next-Cursor header',
  }),
);

const getEvent = createRoute(
  contractRoute(operations.getEvent, {
    tags: ['events'],
    summary: 'One received event with its payload',
    answered: 'the event',
    errors: { 404: errorAnswer('not_found: not received in this environment') },
  }),
);

export function eventsApi(service: EventService) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(listEvents, async (c) => {
      const { env } = c.req.valid('param');
      const page = await service.list(env, c.req.valid('query'));
      if (page.nextCursor) c.header('X-Next-Cursor', page.nextCursor);
      return c.json(page.items, 200);
    })
    .openapi(getEvent, async (c) => {
      const { env, eventId } = c.req.valid('param');
      const event = await service.get(env, eventId);
      if (!event) return c.json(failure('not_found', `event ${eventId} was not received in ${env}`), 404);
      return c.json(event, 200);
    });
}
