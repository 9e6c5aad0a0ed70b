import type { z } from 'zod';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type SuccessStatus = 200 | 201 | 202 | 204;

/**
 * One admin API call: what the server's OpenAPI route is built from and what the editor's client calls. The
 * server takes `method`, `path`, the request schemas and `answer` under `status` from here, so neither side can
 * name a path, a status or an answer shape the other does not.
 */
export interface Operation {
  method: Method;
  /** Below /admin/api, OpenAPI style: `/workflows/{id}`. */
  path: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The success status; errors answer `ErrorBody`. */
  status: SuccessStatus;
  /** The success answer; null for 204. */
  answer: z.ZodType | null;
  /** Answers one page: the next page's cursor is in the X-Next-Cursor header. */
  paged?: boolean;
}

/** Keeps the literal method, path and status, and checks the shape. */
export const operation = <const O extends Operation>(o: O): O => o;

/** What a call sends: its path parameters, query and body, each in the types the schemas accept. */
export type OperationInput<O extends Operation> = (O['params'] extends z.ZodObject
  ? { params: z.input<O['params']> }
  : { params?: never }) &
  (O['query'] extends z.ZodObject ? { query?: z.input<O['query']> } : { query?: never }) &
  (O['body'] extends z.ZodType ? { body: z.input<O['body']> } : { body?: never });

/** What a call answers on success. */
export type OperationAnswer<O extends Operation> = O['answer'] extends z.ZodType ? z.output<O['answer']> : undefined;
