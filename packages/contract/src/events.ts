import { z } from 'zod';
import { EnvParams } from './connections.js';
import { Environment } from './environment.js';
import { operation } from './operation.js';
import { routes } from './routes.js';

export const EventSummary = z
  .object({
    id: z.string().meta({ description: 'the Stripe event id', example: 'evt_1NG8Du2eZvKYlo2CUI79vXWy' }),
    type: z.string().meta({ example: 'invoice.paid' }),
    action: z.string().meta({ example: 'paid' }),
    objectId: z.string().nullable(),
    created: z.number().int().meta({ description: 'Stripe `created`, unix seconds' }),
    livemode: z.boolean(),
    receivedAt: z.string(),
    status: z.string(),
  })
  .meta({ id: 'EventSummary' });
export type EventSummary = z.infer<typeof EventSummary>;

export const EventDetail = EventSummary.extend({ payload: z.unknown() });
export type EventDetail = z.infer<typeof EventDetail>;

export const eventOperations = {
  listEvents: operation({
    ...routes.listEvents,
    params: EnvParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      type: z.string().optional(),
      cursor: z.string().optional().meta({ description: 'the X-Next-Cursor of the previous page' }),
    }),
    answer: z.array(EventSummary),
  }),
  getEvent: operation({
    ...routes.getEvent,
    params: z.object({ env: Environment, eventId: z.string() }),
    answer: EventDetail,
  }),
};
