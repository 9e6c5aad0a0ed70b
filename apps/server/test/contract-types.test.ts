/**
 * Compile-time checks, enforced by `npm run typecheck`: a route built from a contract operation accepts only the
 * contract's answer and status, so the server cannot drift from what the editor reads.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { operations } from '@switchyard/contract';
import { expect, it } from 'vitest';
import { contractRoute } from '../src/admin/schemas.js';

const replay = createRoute(contractRoute(operations.replayEvent, { tags: ['events'], answered: 'the new executions' }));

it('rejects a handler that answers another shape or status than the contract', async () => {
  const app = new OpenAPIHono()
    // @ts-expect-error the contract answers Execution[], not { executionId }
    .openapi(replay, (c) => c.json([{ executionId: 'ex_1' }], 201))
    .openapi(
      createRoute(contractRoute(operations.getExecution, { tags: ['executions'], answered: 'one' })),
      // @ts-expect-error the contract's status is 200
      (c) => c.json(null, 202),
    );
  expect(app).toBeInstanceOf(OpenAPIHono);
});
