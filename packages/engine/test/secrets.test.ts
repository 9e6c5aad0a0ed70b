import { describe, expect, it } from 'vitest';
import {
  createRedactor,
  defaultRegistry,
  maskSecretValue,
  referencedSecrets,
  runWorkflow,
  type StepRecord,
} from '../src/index.js';
import { createMemoryPorts } from '../src/testing/index.js';
import { chain, loadEvent } from './helpers.js';

const SLACK = 'https://hooks.slack.example/T000/B000/abcdefgh1234';
const TOKEN = 'tok_9f8e7d6c5b4a';

describe('maskSecretValue', () => {
  it('shows the last four characters of a long value, dots only of a short one', () => {
    expect(maskSecretValue(SLACK)).toBe('••••1234');
    expect(maskSecretValue('short-pw')).toBe('••••');
  });
});

describe('createRedactor', () => {
  const redact = createRedactor({ SLACK, TOKEN });

  it('masks every occurrence in nested strings, arrays and object keys', () => {
    const value = {
      url: SLACK,
      headers: { Authorization: `Bearer ${TOKEN}`, [TOKEN]: 'as a key' },
      list: [`${TOKEN} and ${TOKEN}`, 42, null, true, { deep: [SLACK] }],
    };
    expect(redact(value)).toEqual({
      url: '••••1234',
      headers: { Authorization: 'Bearer ••••5b4a', '••••5b4a': 'as a key' },
      list: ['••••5b4a and ••••5b4a', 42, null, true, { deep: ['••••1234'] }],
    });
    // The input is not changed: the run keeps the real values in memory.
    expect(value.url).toBe(SLACK);
  });

  it('masks a value as it appears JSON-escaped in a body and percent-encoded in a URL', () => {
    const quoted = createRedactor({ Q: 'pa"ss\\word-123' });
    expect(quoted(JSON.stringify({ p: 'pa"ss\\word-123' }))).toBe('{"p":"••••-123"}');
    expect(redact(`https://x.example/?next=${encodeURIComponent(SLACK)}`)).toBe('https://x.example/?next=••••1234');
  });

  it('masks the longer of two overlapping values whole, and never leaks one through the other’s mask', () => {
    const overlap = createRedactor({ LONG: 'abcdefghijklmnop', SHORT: 'mnop', MID: 'efgh' });
    expect(overlap('x abcdefghijklmnop y mnop z efgh')).toBe('x •••• y •••• z ••••');
    const nested = createRedactor({ A: 'secret-value-XYZW', B: 'value' });
    expect(nested('secret-value-XYZW/value')).toBe('••••XYZW/••••');
  });

  it('leaves values without secrets as they are and does nothing without secrets', () => {
    expect(redact({ a: 'plain', n: 1 })).toEqual({ a: 'plain', n: 1 });
    const none = createRedactor({});
    const v = { a: SLACK };
    expect(none(v)).toBe(v);
  });
});

describe('referencedSecrets', () => {
  it('finds the names used in templates only', () => {
    expect(
      referencedSecrets({
        url: '{{ context.secrets.SLACK_URL }}',
        headers: { a: 'Bearer {{ context.secrets["API_KEY"] }}', b: 'context.secrets.NOT_A_TEMPLATE' },
        list: ['{{ context.vars.X }}'],
      }).sort(),
    ).toEqual(['API_KEY', 'SLACK_URL']);
  });
});

describe('secrets in a run', () => {
  const event = loadEvent('invoice.paid');
  const workflow = chain('stripe.invoice', [
    {
      id: 'call',
      type: 'http.request',
      config: {
        method: 'POST',
        url: '{{ context.secrets.SLACK }}',
        headers: { Authorization: 'Bearer {{ context.secrets.TOKEN }}' },
        json: { env: '{{ context.vars.LABEL }}', limit: '{{ context.vars.LIMITS.max }}' },
        retry: { attempts: 1 },
      },
    },
    { id: 'note', type: 'log', config: { message: 'sent with {{ context.secrets.TOKEN }}' } },
  ]);

  it('sends the real values and hands back only masks', async () => {
    const ports = createMemoryPorts({
      // A service that echoes the credential back.
      http: (req) => ({ status: 200, headers: {}, body: JSON.stringify({ echoed: req.headers.Authorization }) }),
    });
    const recorded: StepRecord[] = [];
    const result = await runWorkflow({
      registry: defaultRegistry,
      workflow,
      event,
      env: 'production',
      ports,
      secrets: { SLACK, TOKEN },
      vars: { LABEL: 'prod', LIMITS: { max: 5 } },
      onStep: (s) => void recorded.push(s),
    });
    expect(result.status).toBe('succeeded');
    expect(ports.httpRequests[0]!.url).toBe(SLACK);
    expect(ports.httpRequests[0]!.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(ports.httpRequests[0]!.body!)).toEqual({ env: 'prod', limit: 5 });
    const everything = JSON.stringify({ recorded, result, logs: ports.logs });
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(SLACK);
    const call = recorded.find((s) => s.nodeId === 'call')!;
    expect((call.input as { url: string }).url).toBe('••••1234');
    expect(JSON.stringify(call.output)).toContain('Bearer ••••5b4a');
    expect(ports.logs[0]!.message).toBe('sent with ••••5b4a');
  });

  it('fails a step whose secret is not set, at once and naming it, before calling out', async () => {
    const ports = createMemoryPorts();
    const result = await runWorkflow({
      registry: defaultRegistry,
      workflow,
      event,
      env: 'production',
      ports,
      secrets: { TOKEN },
    });
    expect(result.status).toBe('failed');
    if (result.status !== 'failed') return;
    expect(result.nodeId).toBe('call');
    expect(result.error).toMatchObject({
      name: 'MissingSecretError',
      message: 'secret SLACK is not set in production',
      retryable: false,
    });
    expect(ports.httpRequests).toHaveLength(0);
  });
});
