import type { OpenAPIHono } from '@hono/zod-openapi';
import { ErrorBody, type Operation } from '@switchyard/contract';
import type { z } from 'zod';
import { SESSION_COOKIE } from './auth.js';

export { ErrorBody };

type Json<S> = { description: string; content: { 'application/json': { schema: S } } };

/** An error answer of the route, always `ErrorBody`. */
export const errorAnswer = (description: string): Json<typeof ErrorBody> => ({
  description,
  content: { 'application/json': { schema: ErrorBody } },
});

/** An absent part of a request (an empty object type, unlike `unknown`, is a valid createRoute request). */
type Nothing = Record<never, never>;

type RequestOf<O extends Operation> = (O['params'] extends z.ZodObject ? { params: O['params'] } : Nothing) &
  (O['query'] extends z.ZodObject ? { query: O['query'] } : Nothing) &
  (O['body'] extends z.ZodType
    ? { body: { required: boolean; content: { 'application/json': { schema: O['body'] } } } }
    : Nothing);

type SuccessOf<O extends Operation> = {
  [K in O['status']]: O['answer'] extends z.ZodType ? Json<O['answer']> : { description: string };
};

interface RouteDoc<E> {
  tags: string[];
  summary?: string;
  description?: string;
  /** Description of the success answer. */
  answered: string;
  /** The error answers by status, each `errorAnswer(...)`. */
  errors?: E;
  /** An absent or non-JSON body validates as `{}` (defaults to required). */
  bodyOptional?: boolean;
  /** `[]` for a call that needs no credentials. */
  security?: [];
}

/**
 * The createRoute config of a contract operation: method, path, request schemas and the success answer come from
 * `@switchyard/contract`, the route adds only its documentation and error answers. The handler's `c.json(x, status)`
 * is then checked against the contract's answer and status.
 */
export function contractRoute<const O extends Operation, const E extends Record<number, Json<typeof ErrorBody>>>(
  op: O,
  doc: RouteDoc<E>,
) {
  const request: Record<string, unknown> = {};
  if (op.params) request.params = op.params;
  if (op.query) request.query = op.query;
  if (op.body) request.body = { required: !doc.bodyOptional, content: { 'application/json': { schema: op.body } } };
  const success = op.answer
    ? { description: doc.answered, content: { 'application/json': { schema: op.answer } } }
    : { description: doc.answered };
  return {
    method: op.method,
    path: op.path,
    tags: doc.tags,
    ...(doc.summary ? { summary: doc.summary } : {}),
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.security ? { security: doc.security } : {}),
    request: request as RequestOf<O>,
    responses: { ...doc.errors, [op.status]: success } as SuccessOf<O> & E,
  };
}

/** An error answer in the contract's shape; the code is checked against ERROR_CODES. */
export const failure = (error: ErrorBody['error'], message: string, issues?: ErrorBody['issues']): ErrorBody =>
  issues ? { error, message, issues } : { error, message };

export const SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];

/**
 * Declares the credentials in the OpenAPI document: the bearer token and the editor's session cookie as security
 * schemes, and on every route that does not opt out with `security: []`, that security and its 401 answer. Done
 * over the registry, so a route added later cannot forget it.
 */
export function declareAdminSecurity(registry: OpenAPIHono['openAPIRegistry']): void {
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'Authorization: Bearer <SWITCHYARD_ADMIN_TOKEN>',
  });
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'the editor session set by POST /session',
  });
  for (const definition of registry.definitions) {
    if (definition.type !== 'route') continue;
    const route = definition.route;
    if (route.security && route.security.length === 0) continue;
    route.security = SECURITY;
    route.responses[401] ??= errorAnswer('no valid token or session');
  }
}
