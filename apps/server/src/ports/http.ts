/**
 * The engine's HttpPort over node:http(s): every hop's host is resolved,
 * checked against the network policy and pinned, so the address that was
 * approved is the one connected to (no DNS rebinding between check and use).
 */
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import {
  type HttpPort,
  type HttpRequest,
  type HttpResponse,
  NonRetriableError,
  RetryableError,
} from '@switchyard/engine';
import { type LookupFn, type NetworkPolicy, type ResolvedAddress, resolveAllowedAddress } from './ssrf.js';

export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
export const MAX_REDIRECTS = 5;
const USER_AGENT = 'Switchyard/0.1 (+workflow http.request)';

export interface HttpPortOptions {
  /** Let requests reach private, loopback and link-local addresses (ALLOW_PRIVATE_NETWORK_REQUESTS=true). */
  allowPrivateNetwork: boolean;
  /** Exact IP addresses reachable even though private (tests use 127.0.0.1 as a stand-in public host). */
  allowedAddresses?: readonly string[];
  /** Largest (decoded) response body accepted; default 5 MB. */
  maxResponseBytes?: number;
  /** DNS resolution, injectable for tests; defaults to the system resolver. */
  lookup?: LookupFn;
}

/** Headers the port computes itself; a workflow cannot set them. */
const CONTROLLED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
]);
/**
 * The only headers a redirect to another origin keeps. fetch drops Authorization alone, but a workflow's
 * credentials travel in any header (X-Api-Key, a vendor token...), so everything not known to be harmless goes.
 */
const CROSS_ORIGIN_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-encoding',
  'content-language',
  'content-type',
  'idempotency-key',
  'pragma',
  'user-agent',
]);
const BODY_HEADERS = new Set(['content-type', 'content-encoding', 'content-language', 'content-location']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** TLS failures a retry will not fix. */
const PERMANENT_TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

export function createHttpPort(options: HttpPortOptions): HttpPort {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const policy: NetworkPolicy = {
    allowPrivateNetwork: options.allowPrivateNetwork,
    ...(options.allowedAddresses ? { allowedAddresses: options.allowedAddresses } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  };

  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), req.timeoutMs);
      const what = `${req.method} ${describeUrl(req.url)}`;
      try {
        return await withAbort(controller.signal, () => follow(req, policy, maxBytes, controller.signal));
      } catch (err) {
        if (controller.signal.aborted && !(err instanceof NonRetriableError)) {
          throw new RetryableError(`${what}: timed out after ${req.timeoutMs} ms`, { cause: err });
        }
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function follow(
  first: HttpRequest,
  policy: NetworkPolicy,
  maxBytes: number,
  signal: AbortSignal,
): Promise<HttpResponse> {
  let url = parseUrl(first.url);
  let method: string = first.method;
  let body = first.body;
  let headers = cleanHeaders(first.headers);
  for (let hop = 0; ; hop++) {
    const target = await resolveAllowedAddress(url.hostname, policy);
    const res = await send({ url, method, headers, body, target, signal });
    const location = res.headers.location;
    if (!REDIRECT_STATUSES.has(res.statusCode ?? 0) || location === undefined) {
      return {
        status: res.statusCode ?? 0,
        headers: flattenHeaders(res),
        ...(await readBody(res, maxBytes, method, `${method} ${describeUrl(url.href)}`)),
      };
    }
    res.resume(); // discard a redirect's body
    if (hop >= MAX_REDIRECTS)
      throw new NonRetriableError(`${first.method} ${describeUrl(first.url)}: more than ${MAX_REDIRECTS} redirects`);
    let next: URL;
    try {
      next = parseUrl(new URL(location, url).href);
    } catch (err) {
      throw new NonRetriableError(
        `${method} ${describeUrl(url.href)}: redirect to an unusable location: ${location.slice(0, 200)}`,
        { cause: err },
      );
    }
    const status = res.statusCode!;
    // As fetch: 303 turns anything but HEAD into GET; 301/302 turn POST into GET; 307/308 keep method and body.
    if (
      (status === 303 && method !== 'GET' && method !== 'HEAD') ||
      ((status === 301 || status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !BODY_HEADERS.has(k.toLowerCase())));
    }
    if (next.origin !== url.origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => CROSS_ORIGIN_HEADERS.has(k.toLowerCase())));
    }
    url = next;
  }
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch (err) {
    throw new NonRetriableError(`not a valid URL: ${text.slice(0, 200)}`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new NonRetriableError(`request to ${url.protocol}// refused: only http: and https: URLs are allowed`);
  if (url.username || url.password)
    throw new NonRetriableError(
      `request to ${url.hostname} refused: credentials in the URL are not allowed; send an Authorization header`,
    );
  return url;
}

/** Scheme, host and path without query or credentials, for error messages. */
function describeUrl(text: string): string {
  try {
    const u = new URL(text);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return text.slice(0, 100);
  }
}

function cleanHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (!CONTROLLED_HEADERS.has(k.toLowerCase())) out[k] = v;
  const has = (name: string) => Object.keys(out).some((k) => k.toLowerCase() === name);
  if (!has('user-agent')) out['User-Agent'] = USER_AGENT;
  if (!has('accept-encoding')) out['Accept-Encoding'] = 'gzip, deflate, br';
  return out;
}

interface SendArgs {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  target: ResolvedAddress;
  signal: AbortSignal;
}

function send({ url, method, headers, body, target, signal }: SendArgs): Promise<IncomingMessage> {
  // The connection goes to `target` whatever DNS says by now; TLS still verifies against the hostname.
  const pinned: LookupFunction = (_host, opts, callback) => {
    if ((opts as { all?: boolean }).all)
      (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  const outgoing: OutgoingHttpHeaders = { ...headers, connection: 'close' };
  if (payload !== undefined) outgoing['content-length'] = payload.length;
  const options: RequestOptions = {
    method,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    headers: outgoing,
    lookup: pinned,
    agent: false,
    signal,
  };
  return new Promise<IncomingMessage>((resolve, reject) => {
    const req = url.protocol === 'https:' ? httpsRequest(options) : httpRequest(options);
    req.on('response', resolve);
    req.on('error', (err: Error & { code?: string }) => {
      const what = `${method} ${describeUrl(url.href)}`;
      if (err.code && PERMANENT_TLS_CODES.has(err.code))
        reject(new NonRetriableError(`${what}: TLS failure: ${err.code}`, { cause: err }));
      else reject(new RetryableError(`${what}: ${err.code ?? err.message}`, { cause: err }));
    });
    req.end(payload);
  });
}

function flattenHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

async function readBody(
  res: IncomingMessage,
  maxBytes: number,
  method: string,
  what: string,
): Promise<Pick<HttpResponse, 'body' | 'bodyEncoding'>> {
  // A HEAD answer declares the length of a body it does not send.
  const declared = method === 'HEAD' ? Number.NaN : Number(res.headers['content-length']);
  const tooLarge = () => new NonRetriableError(`${what}: response body larger than ${maxBytes} bytes`);
  const encoding = (res.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = decoderFor(encoding);
  if (!decoder && Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    throw tooLarge();
  }
  const stream: Readable = decoder ? res.pipe(decoder) : res;
  if (decoder) res.on('error', (err) => decoder.destroy(err));
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(buf);
    }
  } catch (err) {
    res.destroy();
    if (err instanceof NonRetriableError) throw err;
    const code = (err as { code?: string }).code;
    if (decoder && code?.startsWith('Z_'))
      throw new NonRetriableError(`${what}: response body is not valid ${encoding}`, { cause: err });
    throw new RetryableError(`${what}: response interrupted: ${code ?? (err as Error).message}`, { cause: err });
  }
  return decodeBody(Buffer.concat(chunks), res.headers['content-type']);
}

function decoderFor(encoding: string) {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * Text when the content type is textual (or absent) and the bytes decode cleanly, else base64 with
 * `bodyEncoding: 'base64'`: an image or a PDF read as text would be mangled, and its NUL bytes could not be stored.
 */
export function decodeBody(
  bytes: Buffer,
  contentType: string | undefined,
): Pick<HttpResponse, 'body' | 'bodyEncoding'> {
  if (bytes.length === 0) return { body: '' };
  const text = isTextual(contentType) ? decodeText(bytes, contentType) : undefined;
  return text === undefined ? { body: bytes.toString('base64'), bodyEncoding: 'base64' } : { body: text };
}

const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql|yaml|x-yaml|x-ndjson|problem\+json|problem\+xml)$)|\+(json|xml)$/;

function isTextual(contentType: string | undefined): boolean {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return media === '' || TEXT_TYPES.test(media);
}

/** The text, or undefined when the bytes are not text in the declared charset (UTF-8 by default) or hold NUL. */
function decodeText(bytes: Buffer, contentType: string | undefined): string | undefined {
  const charset = /charset="?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  let label = charset ?? 'utf-8';
  try {
    new TextDecoder(label);
  } catch {
    label = 'utf-8'; // unknown label: try UTF-8
  }
  try {
    const text = new TextDecoder(label, { fatal: true }).decode(bytes);
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Runs `fn`, rejecting as soon as `signal` aborts (DNS lookups cannot be cancelled otherwise). */
function withAbort<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    fn().then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
