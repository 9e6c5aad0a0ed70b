import type { Hook } from '@hono/zod-openapi';
import type { Env } from 'hono';

/** zod failures as `{ error, issues: [{ path, message }] }`, with the path written the way users read it. */
export const validationHook: Hook<unknown, Env, string, unknown> = (result, c) => {
  if (result.success) return;
  const issues = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  return c.json(
    { error: 'invalid_request', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues },
    400,
  );
};

function formatPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
      '',
    ) || '(body)'
  );
}
