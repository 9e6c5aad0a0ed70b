import { describe, expect, it } from 'vitest';
import { defaultRegistry, runWorkflow, type StepRecord } from '../src/index.js';
import { createMemoryPorts } from '../src/testing/index.js';
import { chain, loadEvent } from './helpers.js';

const registry = defaultRegistry;

const event = loadEvent('invoice.paid');
const inv = event.data.object as { id: string; customer: string; lines: { data: unknown[] } };

// Four steps after the trigger: two writes, an HTTP call, an email.
const fourSteps = chain('stripe.invoice', [
  { id: 's1', type: 'table.insert', config: { table: 'a', key: '{{ context.event.object.id }}', values: { n: 1 } } },
  { id: 's2', type: 'set', config: { values: { total: '{{ context.event.object.amount_due }}' } } },
  {
    id: 's3',
    type: 'http.request',
    config: {
      url: 'https://hooks.example.com/x',
      json: { total: '{{ context.steps.s2.total }}' },
      retry: { attempts: 1 },
    },
  },
  {
    id: 's4',
    type: 'email.send',
    config: { to: 'ops@example.com', subject: 'Invoice {{ context.event.object.id }}', text: 'ok' },
  },
]);

describe('memoized resume', () => {
  it('a run interrupted after step 2 of 4 resumes with steps 3 and 4 only', async () => {
    const first = createMemoryPorts({
      http: () => {
        throw new Error('worker crashed'); // stands in for the process dying mid-run
      },
    });
    const recorded: StepRecord[] = [];
    const r1 = await runWorkflow({
      registry,
      workflow: fourSteps,
      event,
      ports: first,
      onStep: (s) => void recorded.push(s),
    });
    expect(r1.status).toBe('failed');
    const finished = recorded.filter((s) => s.status === 'succeeded');
    expect(finished.map((s) => s.stepKey)).toEqual(['trigger', 's1', 's2']);

    // Resume against the same store: s1 (an insert that would now conflict) must not run again.
    const second = createMemoryPorts();
    second.data.set('a', first.data.get('a')!);
    const r2 = await runWorkflow({ registry, workflow: fourSteps, event, ports: second, memo: finished });
    expect(r2.status).toBe('succeeded');
    expect(r2.executed).toEqual(['s3', 's4']);
    expect(second.httpRequests).toHaveLength(1);
    expect(JSON.parse(second.httpRequests[0]!.body!)).toEqual({
      total: (event.data.object as { amount_due: number }).amount_due,
    });
    expect(second.emails).toHaveLength(1);
    expect(r2.steps.map((s) => s.stepKey)).toEqual(['trigger', 's1', 's2', 's3', 's4']);
  });

  it('accepts memo as a record keyed by step key and keeps switch routing', async () => {
    const doc = chain('stripe.invoice', [{ id: 'log', type: 'log', config: { message: 'hi' } }]);
    const ports = createMemoryPorts();
    const r1 = await runWorkflow({ registry, workflow: doc, event, ports });
    const memo = Object.fromEntries(r1.steps.map((s) => [s.stepKey, s]));
    const r2 = await runWorkflow({ registry, workflow: doc, event, ports, memo });
    expect(r2.executed).toEqual([]);
    expect(ports.logs).toHaveLength(1);
  });
});

describe('retries', () => {
  const httpDoc = (retry?: Record<string, number>) =>
    chain('stripe.invoice', [
      { id: 'call', type: 'http.request', config: { url: 'https://api.example.com', ...(retry ? { retry } : {}) } },
    ]);

  it('retries 5xx in-process with exponential backoff through ports.sleep', async () => {
    let n = 0;
    const ports = createMemoryPorts({
      http: () => (++n < 3 ? { status: 503, headers: {}, body: '' } : { status: 200, headers: {}, body: 'ok' }),
    });
    const steps: StepRecord[] = [];
    const r = await runWorkflow({
      registry,
      workflow: httpDoc({ attempts: 3, backoffMs: 100, factor: 2 }),
      event,
      ports,
      onStep: (s) => void steps.push(s),
    });
    expect(r.status).toBe('succeeded');
    expect(ports.sleeps).toEqual([100, 200]);
    expect(steps.filter((s) => s.nodeId === 'call').map((s) => [s.status, s.attempt])).toEqual([
      ['failed', 1],
      ['failed', 2],
      ['succeeded', 3],
    ]);
    // The same idempotency key on every attempt.
    expect(new Set(ports.httpRequests.map((q) => q.headers['Idempotency-Key'])).size).toBe(1);
  });

  it('honours Retry-After on 429 and returns status retry when the wait is long', async () => {
    const ports = createMemoryPorts({ http: () => ({ status: 429, headers: { 'Retry-After': '120' }, body: '' }) });
    const r = await runWorkflow({ registry, workflow: httpDoc({ attempts: 5 }), event, ports });
    expect(r.status).toBe('retry');
    if (r.status !== 'retry') return;
    expect(r.retryAt).toBe(ports.now() + 120_000);
    expect(r.nodeId).toBe('call');
    expect(r.nextAttempt).toBe(2);
    expect(ports.sleeps).toEqual([]);

    // The caller reschedules with the recorded steps; the failed step runs again as attempt 2.
    const later = createMemoryPorts({ now: r.retryAt });
    const r2 = await runWorkflow({ registry, workflow: httpDoc({ attempts: 5 }), event, ports: later, memo: r.steps });
    expect(r2.status).toBe('succeeded');
    expect(r2.executed).toEqual(['call']);
    expect(r2.steps.find((s) => s.nodeId === 'call')?.attempt).toBe(2);
  });

  it('without ports.sleep every retry is scheduled', async () => {
    const { sleep: _sleep, ...noSleep } = createMemoryPorts({ http: () => ({ status: 500, headers: {}, body: '' }) });
    const r = await runWorkflow({ registry, workflow: httpDoc({ attempts: 2, backoffMs: 10 }), event, ports: noSleep });
    expect(r.status).toBe('retry');
  });

  it('treats network failures as retryable and fails once attempts run out', async () => {
    const ports = createMemoryPorts({
      http: () => {
        throw new Error('ECONNRESET');
      },
    });
    const r = await runWorkflow({ registry, workflow: httpDoc({ attempts: 2, backoffMs: 1 }), event, ports });
    expect(r.status).toBe('failed');
    expect(ports.httpRequests).toHaveLength(2);
    if (r.status === 'failed') expect(r.error.message).toContain('ECONNRESET');
  });

  it('fails at once on a non-retryable error (4xx)', async () => {
    const ports = createMemoryPorts({ http: () => ({ status: 404, headers: {}, body: 'nope' }) });
    const r = await runWorkflow({ registry, workflow: httpDoc({ attempts: 5 }), event, ports });
    expect(r.status).toBe('failed');
    expect(ports.httpRequests).toHaveLength(1);
    if (r.status === 'failed') {
      expect(r.nodeId).toBe('call');
      expect(r.error.retryable).toBe(false);
    }
  });
});

describe('loops', () => {
  const loopDoc = {
    name: 'lines',
    nodes: [
      { id: 'trigger', type: 'stripe.invoice', config: {} },
      { id: 'each_line', type: 'loop', config: { items: '{{ [1, 2, 3] }}' } },
      { id: 'double', type: 'set', config: { values: { v: '{{ context.item * 2 }}', i: '{{ context.index }}' } } },
      {
        id: 'save',
        type: 'table.upsert',
        config: { table: 'lines', key: 'line-{{ context.index }}', values: { v: '{{ context.steps.double.v }}' } },
      },
      { id: 'after', type: 'log', config: { message: 'done {{ context.steps.each_line.count }}' } },
    ],
    edges: [
      { id: 'e1', source: 'trigger', target: 'each_line' },
      { id: 'e2', source: 'each_line', sourceHandle: 'each', target: 'double' },
      { id: 'e3', source: 'double', target: 'save' },
      { id: 'e4', source: 'each_line', sourceHandle: 'done', target: 'after' },
    ],
  };

  it('runs the each branch per item with context.item/index, then done', async () => {
    const ports = createMemoryPorts();
    const r = await runWorkflow({ registry, workflow: loopDoc, event, ports });
    expect(r.status).toBe('succeeded');
    expect(ports.rows('lines').map((x) => [x.key, x.values.v])).toEqual([
      ['line-0', 2],
      ['line-1', 4],
      ['line-2', 6],
    ]);
    expect(r.steps.map((s) => s.stepKey)).toEqual([
      'trigger',
      'each_line',
      'double[0]',
      'save[0]',
      'double[1]',
      'save[1]',
      'double[2]',
      'save[2]',
      'after',
    ]);
    expect(ports.logs[0]?.message).toBe('done 3');
  });

  it('gives each iteration its own idempotency key', async () => {
    const doc = structuredClone(loopDoc);
    doc.nodes[3] = { id: 'save', type: 'http.request', config: { url: 'https://x.example.com' } } as never;
    const ports = createMemoryPorts();
    await runWorkflow({ registry, workflow: doc, event, ports });
    expect(ports.httpRequests.map((q) => q.headers['Idempotency-Key'])).toEqual([
      `editor:${event.id}:save:0`,
      `editor:${event.id}:save:1`,
      `editor:${event.id}:save:2`,
    ]);
  });

  it('puts the environment in idempotency keys, so one event in two environments never collides', async () => {
    const doc = structuredClone(loopDoc);
    doc.nodes[3] = { id: 'save', type: 'http.request', config: { url: 'https://x.example.com' } } as never;
    const keys = async (env: 'staging' | 'production') => {
      const ports = createMemoryPorts();
      await runWorkflow({ registry, workflow: doc, event, env, ports, idempotencyScope: 'wf_1' });
      return ports.httpRequests.map((q) => q.headers['Idempotency-Key']);
    };
    expect(await keys('production')).toEqual([0, 1, 2].map((i) => `production:wf_1:${event.id}:save:${i}`));
    expect(await keys('staging')).toEqual([0, 1, 2].map((i) => `staging:wf_1:${event.id}:save:${i}`));
  });

  it('fails clearly when a loop has too many items', async () => {
    const r = await runWorkflow({
      registry,
      workflow: loopDoc,
      event,
      ports: createMemoryPorts(),
      limits: { maxLoopIterations: 2 },
    });
    expect(r.status).toBe('failed');
    if (r.status === 'failed') {
      expect(r.nodeId).toBe('each_line');
      expect(r.error.message).toMatch(/exceeds 2/);
    }
  });
});

describe('limits and outcomes', () => {
  it('fails when the step limit is hit', async () => {
    const doc = chain(
      'stripe.invoice',
      [1, 2, 3, 4].map((i) => ({ id: `l${i}`, type: 'log', config: { message: 'x' } })),
    );
    const r = await runWorkflow({
      registry,
      workflow: doc,
      event,
      ports: createMemoryPorts(),
      limits: { maxSteps: 3 },
    });
    expect(r.status).toBe('failed');
    if (r.status === 'failed') expect(r.error.name).toBe('LimitExceededError');
  });

  it('fails when the time limit is hit', async () => {
    const ports = createMemoryPorts({
      http: () => {
        ports.advance(10_000);
        return { status: 200, headers: {}, body: '' };
      },
    });
    const doc = chain('stripe.invoice', [
      { id: 'slow', type: 'http.request', config: { url: 'https://x.example.com' } },
      { id: 'next', type: 'log', config: { message: 'x' } },
    ]);
    const r = await runWorkflow({ registry, workflow: doc, event, ports, limits: { maxDurationMs: 5_000 } });
    expect(r.status).toBe('failed');
    if (r.status === 'failed') expect(r.error.message).toMatch(/exceeded 5000 ms/);
  });

  it('skips events the trigger actions do not include', async () => {
    const doc = chain('stripe.invoice', [{ id: 'l', type: 'log', config: { message: 'x' } }], {
      actions: ['payment_failed'],
    });
    const r = await runWorkflow({ registry, workflow: doc, event, ports: createMemoryPorts() });
    expect(r.status).toBe('skipped');
  });

  it('fails an invalid workflow without running anything', async () => {
    const ports = createMemoryPorts();
    const r = await runWorkflow({ registry, workflow: { name: 'x', nodes: [], edges: [] }, event, ports });
    expect(r.status).toBe('failed');
    if (r.status === 'failed') expect(r.error.message).toMatch(/exactly one trigger/);
  });

  it('records input, output, attempt and timing for every step, and exposes context.env', async () => {
    const doc = chain('stripe.invoice', [
      {
        id: 'where',
        type: 'set',
        config: { values: { env: '{{ context.env }}', id: '{{ context.event.object.id }}' } },
      },
    ]);
    const r = await runWorkflow({ registry, workflow: doc, event, env: 'staging', ports: createMemoryPorts() });
    const step = r.steps.find((s) => s.nodeId === 'where')!;
    expect(step).toMatchObject({
      status: 'succeeded',
      attempt: 1,
      output: { env: 'staging', id: inv.id },
      input: { values: { env: 'staging' } },
    });
    expect(typeof step.startedAt).toBe('number');
  });
});
