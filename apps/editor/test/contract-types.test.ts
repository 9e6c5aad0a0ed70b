/**
 * Compile-time checks, enforced by `npm run typecheck` (tsc over test/): the client's answers are the contract's
 * types, so editor code that reads a field the server does not answer does not compile.
 */
import type { ErrorCode, Execution } from '@switchyard/contract';
import { expect, expectTypeOf, it } from 'vitest';
import { type ApiError, api } from '../src/api/client.js';

it('types replay answers as the server’s executions, with id and no executionId', () => {
  expectTypeOf(api.replayEvent).returns.resolves.toEqualTypeOf<Execution[]>();
  const readFirst = (runs: Awaited<ReturnType<typeof api.replayEvent>>) => {
    // @ts-expect-error replay answers executions, each with `id`: the old client's `executionId` is gone
    void runs[0]?.executionId;
    return runs[0]?.id;
  };
  expect(readFirst([])).toBeUndefined();
});

it('types error codes as the contract’s list', () => {
  expectTypeOf<ApiError['code']>().toEqualTypeOf<ErrorCode | 'network' | 'unexpected_answer'>();
  const isTaken = (err: ApiError) => err.code === 'path_taken';
  // @ts-expect-error a code the server never answers cannot be compared with
  const isMadeUp = (err: ApiError) => err.code === 'conflict';
  expect([isTaken, isMadeUp]).toHaveLength(2);
});
