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
    test: z.boolean().meta({
      description: "a test run's sample from the editor, never a delivery from Stripe (not counted in delivery stats)",
    }),
  })
  .meta({ id: 'EventSummary' });
export type EventSummary = z.infer<typeof EventSummary>;

/**
 * Why a workflow ran on an event or not. `not running then`: it matches and runs now, but was not deployed or
 * was paused when the event arrived.
 */
export const WHY_NOT_REASONS = [
  'ran',
  'other trigger',
  'action not selected',
  'not published here',
  'paused',
  'not running then',
] as const;
export const WhyNotReason = z.enum(WHY_NOT_REASONS);
export type WhyNotReason = z.infer<typeof WhyNotReason>;

export const EventWorkflow = z
  .object({
    workflowId: z.string(),
    name: z.string(),
    ran: z.boolean().meta({ description: 'an execution of this workflow exists for the event' }),
    reason: WhyNotReason,
  })
  .meta({ id: 'EventWorkflow' });
export type EventWorkflow = z.infer<typeof EventWorkflow>;

export const EventDetail = EventSummary.extend({
  payload: z.unknown(),
  workflows: z.array(EventWorkflow).meta({ description: "the environment's workflows: why each ran or not" }),
});
export type EventDetail = z.infer<typeof EventDetail>;

export const eventOperations = {
  listEvents: operation({
    ...routes.listEvents,
    params: EnvParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      type: z.string().optional().meta({
        description: 'only events whose type starts with this: `invoice` finds `invoice.paid`, `invoice.created`…',
      }),
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
