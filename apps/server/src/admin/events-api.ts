import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { EnvironmentParam } from '../connections/schemas.js';
import type { EventService } from '../events/service.js';
import { validationHook } from './errors.js';
import { ErrorBody } from './schemas.js';

const EventSummary = z
  .object({
    id: z.string().openapi({ description: 'the Stripe event id', example: 'evt_1NG8Du2eZvKYlo2CUI79vXWy' }),
    type: z.string().openapi({ example: 'invoice.paid' }),
    action: z.string().openapi({ example: 'paid' }),
    objectId: z.string().nullable(),
    created: z.number().int().openapi({ description: 'Stripe `created`, unix seconds' }),
    livemode: z.boolean(),
    receivedAt: z.string(),
    status: z.string(),
  })
  .openapi('EventSummary');

const listEvents = createRoute({
  method: 'get',
  path: '/environments/{env}/events',
  tags: ['events'],
  summary: 'Received events, newest first',
  request: {
    params: z.object({ env: EnvironmentParam }),
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      type: z.string().optional(),
      cursor: z.string().optional().openapi({ description: 'the X-Next-Cursor of the previous page' }),
    }),
  },
  responses: {
    200: {
      description: 'newest first; the next page is in the X-Next-Cursor header',
      content: { 'application/json': { schema: z.array(EventSummary) } },
    },
  },
});

const getEvent = createRoute({
  method: 'get',
  path: '/environments/{env}/events/{eventId}',
  tags: ['events'],
  summary: 'One received event with its payload',
  request: { params: z.object({ env: EnvironmentParam, eventId: z.string() }) },
  responses: {
    200: {
      description: 'the event',
      content: { 'application/json': { schema: EventSummary.extend({ payload: z.unknown() }) } },
    },
    404: { description: 'not received in this environment', content: { 'application/json': { schema: ErrorBody } } },
  },
});

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
      if (!event) return c.json({ error: 'not_found', message: `event ${eventId} was not received in ${env}` }, 404);
      return c.json(event, 200);
    });
}
