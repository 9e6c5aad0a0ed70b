import type { Hook } from '@hono/zod-openapi';
import type { Context, Env } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { InvalidCursorError } from '../executions/search.js';
import { ConflictError, InvalidEventError } from '../executions/service.js';
import { InvalidWorkflowError, NotFoundError, VersionConflictError } from '../workflows/service.js';
import { failure } from './schemas.js';

/** zod failures as `{ error: 'invalid_request', issues: [{ path, message }] }`, with paths written the way users read them. */
export const validationHook: Hook<unknown, Env, string, unknown> = (result, c) => {
  if (result.success) return;
  const issues = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  return c.json(failure('invalid_request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues), 400);
};

function formatPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
      '',
    ) || '(body)'
  );
}

/** The workflow and execution services' errors as answers, each with its stable code. */
export function mapDomainError(error: Error, c: Context) {
  if (error instanceof InvalidWorkflowError) {
    const issues = error.issues.map(({ path, message }) => ({ path, message }));
    return c.json(failure('invalid_workflow', error.message, issues), 400);
  }
  if (error instanceof InvalidEventError) return c.json(failure('invalid_event', error.message), 400);
  if (error instanceof InvalidCursorError) return c.json(failure('invalid_request', error.message), 400);
  if (error instanceof NotFoundError) return c.json(failure('not_found', error.message), 404);
  if (error instanceof ConflictError) return c.json(failure('not_retryable', error.message), 409);
  if (error instanceof VersionConflictError)
    return c.json({ ...failure('version_conflict', error.message), current: error.current }, 412);
  throw error;
}

/**
 * Hono's own 400s (a body that is not JSON) as `invalid_request` answers, so every admin error carries a code;
 * anything else goes on to the app's handler.
 */
export function answerAdminError(error: Error, c: Context) {
  if (error instanceof HTTPException && error.status === 400)
    return c.json(failure('invalid_request', error.message), 400);
  throw error;
}
