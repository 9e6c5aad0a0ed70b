import { z } from 'zod';
import { NonRetriableError } from '../../errors.js';
import { briefValue, defineNode, MAIN_OUTPUT } from '../../registry.js';
import { DEFAULT_RETRY } from '../../retry.js';
import { asOptionalText, asRecord, asText } from '../values.js';
import { classifyStatus, retryField } from './shared.js';

const MAX_BODY_OUTPUT = 256 * 1024;

export const httpRequestNode = defineNode({
  type: 'http.request',
  version: 1,
  category: 'integrations',
  label: 'HTTP request',
  description:
    'Calls a URL with an Idempotency-Key header; retries network errors, 5xx and 429 (honouring Retry-After).',
  config: z
    .object({
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('POST'),
      url: z.string().min(1, 'required').max(2_000),
      headers: z.record(z.string().min(1).max(200), z.string().max(8_000)).default({}),
      json: z.unknown().optional().describe('JSON body (sent as application/json)'),
      text: z.string().max(1_000_000).optional().describe('Text body'),
      contentType: z.string().max(200).optional().describe('Content-Type of a text body'),
      timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
      failOnStatus: z.boolean().default(true).describe('Fail the step on a 4xx/5xx response'),
      retry: retryField,
    })
    .refine((c) => c.json === undefined || c.text === undefined, {
      path: ['text'],
      message: 'give either json or text, not both',
    }),
  outputs: [MAIN_OUTPUT],
  retry: DEFAULT_RETRY,
  icon: 'globe',
  summary: (c) => `${String(c.method ?? 'POST')} ${briefValue(c.url) || '…'}`,
  externalEffects: true,
  ui: {
    fields: {
      method: { label: 'Method' },
      url: { label: 'URL', placeholder: 'https://example.com/hook' },
      json: { label: 'JSON body', widget: 'code', language: 'json' },
      headers: { label: 'Headers' },
      text: { label: 'Text body', widget: 'multiline', advanced: true },
      contentType: { label: 'Content type', advanced: true },
      timeoutMs: { label: 'Timeout (ms)', advanced: true },
      failOnStatus: { label: 'Fail on 4xx/5xx', advanced: true },
      retry: { label: 'Retries', advanced: true },
    },
  },
  async run({ config, ports, nodeId, idempotencyKey }) {
    const url = asText(config.url, 'url', nodeId);
    // No URL global without DOM/node types; the port re-parses and applies its own network policy.
    const match = /^https?:\/\/([^\s/?#@]+)[^\s]*$/i.exec(url);
    if (!match) throw new NonRetriableError(`nodes[${nodeId}].config.url: not an http(s) URL: ${url.slice(0, 200)}`);
    const host = match[1]!;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(asRecord(config.headers, 'headers', nodeId)))
      headers[k] = asText(v, `headers.${k}`, nodeId, { required: false });
    const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name.toLowerCase());
    if (!has('idempotency-key')) headers['Idempotency-Key'] = idempotencyKey;
    let body: string | undefined;
    if (config.json !== undefined) {
      body = JSON.stringify(config.json);
      if (!has('content-type')) headers['Content-Type'] = 'application/json';
    } else if (config.text !== undefined) {
      body = asOptionalText(config.text, 'text', nodeId) ?? '';
      if (!has('content-type'))
        headers['Content-Type'] =
          asOptionalText(config.contentType, 'contentType', nodeId) ?? 'text/plain; charset=utf-8';
    }
    const res = await ports.http.request({
      method: config.method,
      url,
      headers,
      timeoutMs: config.timeoutMs,
      ...(body !== undefined ? { body } : {}),
    });
    const output = {
      status: res.status,
      headers: res.headers,
      // Binary content arrives as base64; cut like text, on a whole 4-character group.
      ...(res.bodyEncoding
        ? { body: res.body.slice(0, MAX_BODY_OUTPUT), bodyEncoding: res.bodyEncoding }
        : { body: parseBody(res.body, res.headers) }),
    };
    if (config.failOnStatus) {
      const err = classifyStatus(res.status, res.headers, ports.now(), `${config.method} ${host}`);
      if (err) throw err;
    }
    return { output };
  },
});

function parseBody(body: string, headers: Record<string, string>): unknown {
  const text = body.length > MAX_BODY_OUTPUT ? body.slice(0, MAX_BODY_OUTPUT) : body;
  const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (type.includes('json') && text === body) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
