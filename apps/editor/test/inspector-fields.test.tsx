import { buildEventContext, renderTemplate } from '@switchyard/engine';
import { sampleEvent } from '@switchyard/engine/samples';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { EDITOR_CATALOG, entryOf } from '../src/flow/catalog.js';
import type { StepNode } from '../src/flow/convert.js';
import { collectPaths } from '../src/inspector/contextPaths.js';
import { ExpressionEnvContext } from '../src/inspector/ExpressionContext.js';
import { describeIssue, messagesByField } from '../src/inspector/fieldMeta.js';
import { Inspector } from '../src/inspector/Inspector.js';
import { issueText, runErrorText } from '../src/inspector/issueText.js';
import type { JsonSchema } from '../src/inspector/jsonSchema.js';
import { parseJsonText } from '../src/inspector/jsonText.js';
import { previewTemplate, sampleContext } from '../src/inspector/preview.js';
import { type FormOptions, SchemaForm } from '../src/inspector/SchemaForm.js';

afterEach(cleanup);

const schemaOf = (type: string) => entryOf(type)!.configJsonSchema as JsonSchema;
const fieldsOf = (type: string) => entryOf(type)!.ui?.fields ?? {};

/** The form as the inspector holds it: its value, and the touched fields. */
function Harness({
  type,
  initial,
  issues = new Map(),
  onChange,
}: {
  type: string;
  initial: Record<string, unknown>;
  issues?: Map<string, string[]>;
  onChange: (v: Record<string, unknown>) => void;
}) {
  const [value, setValue] = useState(initial);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const options: FormOptions = {
    idPrefix: 't',
    issues,
    fields: fieldsOf(type),
    touched,
    onTouch: (paths) => setTouched((t) => new Set([...t, ...paths])),
  };
  return (
    <SchemaForm
      schema={schemaOf(type)}
      value={value}
      onChange={(v) => {
        onChange(v);
        setValue(v);
      }}
      options={options}
    />
  );
}

function renderForm(type: string, initial: Record<string, unknown>, issues?: Map<string, string[]>) {
  const changes: Record<string, unknown>[] = [];
  render(<Harness type={type} initial={initial} issues={issues} onChange={(v) => changes.push(v)} />);
  return { last: () => changes.at(-1), count: () => changes.length };
}

describe('what a field shows first', () => {
  it('puts the HTTP node’s rarely used fields under a collapsed More options', () => {
    renderForm('http.request', { url: '' });
    const more = screen.getByText('More options').closest('details')!;
    expect(more.open).toBe(false);
    const inside = within(more);
    expect(inside.getByLabelText(/^Timeout \(ms\)/)).toBeTruthy();
    expect(inside.getByLabelText(/^Text body/)).toBeTruthy();
    expect(more.contains(screen.getByLabelText(/^URL/))).toBe(false);
    expect(more.contains(screen.getByLabelText(/^Method/))).toBe(false);
  });

  it('opens More options when one of its fields holds a value', () => {
    renderForm('http.request', { url: 'x', timeoutMs: 500 });
    expect(screen.getByText('More options').closest('details')!.open).toBe(true);
  });
});

describe('a Switch case', () => {
  it('offers its condition as one choice with one input, and writes only the chosen field', () => {
    const form = renderForm('switch', { value: '{{ context.event.action }}', cases: [] });
    fireEvent.click(screen.getByRole('button', { name: 'Add case' }));
    const item = within(screen.getByRole('group', { name: 'Case 1' }));
    // One input for the condition, not Equals, In, Matches, Flags and Expression together.
    expect(item.queryByLabelText(/Pattern flags/)).toBeNull();
    expect(item.getAllByRole('combobox', { name: /Condition/ }).length).toBeGreaterThan(0);
    fireEvent.change(item.getByLabelText('Condition: equals'), { target: { value: 'completed' } });
    expect(form.last()!.cases).toEqual([{ id: 'completed', equals: 'completed' }]);
    fireEvent.change(item.getByLabelText('Condition kind'), { target: { value: 'in' } });
    expect(form.last()!.cases).toEqual([{ id: 'completed', in: ['completed'] }]);
    fireEvent.change(item.getByLabelText('Condition kind'), { target: { value: 'matches' } });
    expect(form.last()!.cases).toEqual([{ id: 'completed', matches: 'completed' }]);
    // Flags belong to a pattern, so they appear with it.
    fireEvent.change(item.getByLabelText(/^Pattern flags/), { target: { value: 'i' } });
    fireEvent.change(item.getByLabelText('Condition kind'), { target: { value: 'expression' } });
    expect(form.last()!.cases).toEqual([{ id: 'completed', expression: 'completed' }]);
  });

  it('makes unique case ids from the value until the user names one', () => {
    const form = renderForm('switch', { value: '{{ context.event.action }}', cases: [] });
    fireEvent.click(screen.getByRole('button', { name: 'Add case' }));
    fireEvent.click(screen.getByRole('button', { name: 'Add case' }));
    const ids = () => (form.last()!.cases as { id: string }[]).map((c) => c.id);
    expect(ids()).toEqual(['case_1', 'case_2']);
    const one = within(screen.getByRole('group', { name: 'Case 1' }));
    const two = within(screen.getByRole('group', { name: 'Case 2' }));
    fireEvent.change(one.getByLabelText('Condition: equals'), { target: { value: 'payment_failed' } });
    fireEvent.change(two.getByLabelText('Condition: equals'), { target: { value: 'Payment failed' } });
    expect(ids()).toEqual(['payment_failed', 'payment_failed_2']);
    fireEvent.change(two.getByLabelText(/^Output name/), { target: { value: 'retry' } });
    fireEvent.change(two.getByLabelText('Condition: equals'), { target: { value: 'paid' } });
    expect(ids()).toEqual(['payment_failed', 'retry']);
  });

  it('keeps the label under More options', () => {
    renderForm('switch', { value: 'x', cases: [{ id: 'a', equals: 'a' }] });
    const item = screen.getByRole('group', { name: 'Case 1' });
    const more = within(item).getByText('More options').closest('details')!;
    expect(more.contains(within(item).getByLabelText(/^Label/))).toBe(true);
  });
});

describe('problems', () => {
  const switchSchema = schemaOf('switch');
  const ui = fieldsOf('switch');

  it('says what is missing in the field’s words, never the engine’s path', () => {
    expect(describeIssue(switchSchema, ui, 'cases[0].equals', 'required')).toBe('Case 1 needs a value to compare with');
    expect(describeIssue(switchSchema, ui, 'cases[2].id', 'letters, digits, _ and - only')).toBe(
      'Case 3: Output name: letters, digits, _ and - only',
    );
    expect(describeIssue(schemaOf('http.request'), fieldsOf('http.request'), 'url', 'required')).toBe(
      'URL is required',
    );
    expect(
      describeIssue(
        schemaOf('stripe.request'),
        fieldsOf('stripe.request'),
        'resource',
        'Invalid option: expected one of "customers"|"subscriptions"',
      ),
    ).toBe('Resource: pick one of the options');
  });

  it('shows each problem once: a missing id is not also "letters and digits"', () => {
    const map = messagesByField(switchSchema, ui, [
      { field: 'cases[0].id', message: 'required' },
      { field: 'cases[0].id', message: 'letters, digits, _ and - only' },
      { field: 'cases[0].id', message: 'required' },
    ]);
    expect(map.get('cases[0].id')).toEqual(['Case 1 needs an output name']);
  });

  it('names the node in the workflow’s problem list', () => {
    const node = {
      id: 'route',
      type: 'step',
      position: { x: 0, y: 0 },
      data: { type: 'switch', config: {} },
    } as unknown as StepNode;
    const text = issueText(
      { path: 'nodes[route].config.cases[0].equals', message: 'required', text: '' },
      [node],
      EDITOR_CATALOG,
    );
    expect(text).toBe('Switch: Case 1 needs a value to compare with');
  });

  it('names the field in a step’s error instead of its engine path', () => {
    const http = {
      id: 'notify',
      type: 'step',
      position: { x: 0, y: 0 },
      data: { type: 'http.request', config: {} },
    } as unknown as StepNode;
    expect(runErrorText('nodes[notify].config.url: not an http(s) URL: ftp://x', [http], EDITOR_CATALOG)).toBe(
      'URL: not an http(s) URL: ftp://x',
    );
    const sw = { ...http, id: 'route', data: { type: 'switch', config: {} } } as unknown as StepNode;
    expect(runErrorText('nodes[route].config.cases[1].matches: bad pattern', [sw], EDITOR_CATALOG)).toBe(
      'Case 2: matches pattern: bad pattern',
    );
    expect(runErrorText('POST example.com: status 500', [http], EDITOR_CATALOG)).toBe('POST example.com: status 500');
  });

  it('shows no error under a field before the user touched it, then the plain message', () => {
    const issues = new Map([['cases[0].equals', ['Case 1 needs a value to compare with']]]);
    renderForm('switch', { value: 'x', cases: [{ id: 'case_1' }] }, issues);
    expect(document.querySelector('.field-error')).toBeNull();
    const input = screen.getByLabelText('Condition: equals');
    fireEvent.focus(input);
    fireEvent.blur(input);
    expect(screen.getByText('Case 1 needs a value to compare with')).toBeTruthy();
    expect(screen.getAllByText('Case 1 needs a value to compare with')).toHaveLength(1);
  });
});

describe('selects', () => {
  it('shows what the config holds: an empty required choice is "Choose…", not the first option', () => {
    const form = renderForm('stripe.request', { resource: '' });
    const resource = screen.getByLabelText(/^Resource/) as HTMLSelectElement;
    expect(resource.value).toBe('');
    expect(resource.selectedOptions[0]!.textContent).toBe('Choose resource…');
    fireEvent.change(resource, { target: { value: 'customers' } });
    expect(form.last()).toMatchObject({ resource: 'customers' });
    // Once chosen, no empty option is left to fall back on.
    expect([...resource.options].map((o) => o.value)).not.toContain('');
  });

  it('shows a default as the chosen option while the field is unset', () => {
    renderForm('stripe.request', { resource: 'customers' });
    const op = screen.getByLabelText(/^Operation/) as HTMLSelectElement;
    expect(op.value).toBe('retrieve');
    expect(op.selectedOptions[0]!.textContent).toBe('retrieve (default)');
  });
});

describe('the HTTP JSON body', () => {
  it('parses what was typed: objects stay objects, null stays null, templates stay in strings', () => {
    const text = '{ "customer": "{{ context.event.object.customer }}", "note": null, "n": 2, "tags": ["a"] }';
    expect(parseJsonText(text)).toEqual({
      ok: true,
      value: { customer: '{{ context.event.object.customer }}', note: null, n: 2, tags: ['a'] },
    });
    expect(parseJsonText('null')).toEqual({ ok: true, value: null });
    expect(parseJsonText('  ')).toEqual({ ok: true, empty: true });
    const bad = parseJsonText('{ "customer": }');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^Not valid JSON yet/);
  });

  it('is edited in CodeMirror and saved as the JSON value; invalid text keeps the last valid one', async () => {
    const form = renderForm('http.request', { url: 'https://example.com', json: { a: 1 } });
    const content = await waitFor(() => {
      const el = document.querySelector('.cm-content');
      if (!el) throw new Error('CodeMirror not loaded yet');
      return el as HTMLElement;
    });
    const { EditorView } = await import('@codemirror/view');
    const view = EditorView.findFromDOM(content)!;
    expect(view.state.doc.toString()).toBe('{\n  "a": 1\n}');
    const body = '{"customer":"{{ context.event.object.customer }}","coupon":null,"meta":{"plan":"pro"}}';
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: body } });
    await waitFor(() =>
      expect(form.last()!.json).toEqual({
        customer: '{{ context.event.object.customer }}',
        coupon: null,
        meta: { plan: 'pro' },
      }),
    );
    const before = form.count();
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: '{"customer": ' } });
    await screen.findByText(/Not valid JSON yet.*The last valid value is kept\./);
    expect(form.count()).toBe(before);
  });
});

describe('previews', () => {
  const sample = sampleEvent('checkout.session.completed')!;
  const context = sampleContext(sample);

  it('warns when a required field previews to null or nothing', async () => {
    // The checkout sample has no customer: a key built from it would be empty.
    const r = await previewTemplate('{{ context.event.object.customer }}', context, 'key', { required: true });
    expect(r).toMatchObject({ kind: 'warn', value: null });
    const optional = await previewTemplate('{{ context.event.object.customer }}', context, 'key');
    expect(optional).toEqual({ kind: 'value', value: null });
    const given = await previewTemplate('{{ context.event.object.id }}', context, 'key', { required: true });
    expect(given.kind).toBe('value');
  });

  it('shows the warning in amber under a required field', async () => {
    const env = { paths: collectPaths(buildEventContext(sample), 'context.event'), context, templates: true };
    render(
      <ExpressionEnvContext.Provider value={env}>
        <Harness
          type="table.upsert"
          initial={{ table: 'customers', key: '{{ context.event.object.customer }}', values: {} }}
          onChange={() => undefined}
        />
      </ExpressionEnvContext.Provider>,
    );
    const out = await screen.findByText(/this field is required/);
    expect(out.className).toContain('warn');
  });

  it('renders against the event it is given, as the engine does', async () => {
    const paid = sampleEvent('invoice.paid')!;
    const v = await renderTemplate('{{ context.event.type }}', { context: sampleContext(paid)! }, { field: 'x' });
    expect(v).toBe('invoice.paid');
  });
});

describe('expression fields', () => {
  it('are one line of CodeMirror that completes {{ }} paths from the event and previews the value', async () => {
    const sample = sampleEvent('invoice.paid')!;
    const env = {
      paths: collectPaths(buildEventContext(sample), 'context.event'),
      context: sampleContext(sample),
      templates: true,
    };
    const changes: Record<string, unknown>[] = [];
    render(
      <ExpressionEnvContext.Provider value={env}>
        <Harness type="switch" initial={{ value: '', cases: [] }} onChange={(v) => changes.push(v)} />
      </ExpressionEnvContext.Provider>,
    );
    const content = await waitFor(() => {
      const el = document.querySelector('.cm-content[aria-label="Value to route on"]');
      if (!el) throw new Error('CodeMirror not loaded yet');
      return el as HTMLElement;
    });
    const { EditorView } = await import('@codemirror/view');
    const { startCompletion, currentCompletions, acceptCompletion } = await import('@codemirror/autocomplete');
    const view = EditorView.findFromDOM(content)!;
    // One line: a pasted line break does not get in.
    view.dispatch({ changes: { from: 0, insert: 'a\nb' } });
    expect(view.state.doc.lines).toBe(1);
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: '{{ context.event.act' } });
    view.dispatch({ selection: { anchor: view.state.doc.length } });
    startCompletion(view);
    await waitFor(() => expect(currentCompletions(view.state).map((c) => c.label)).toContain('context.event.action'));
    await waitFor(() => expect(acceptCompletion(view)).toBe(true));
    expect(view.state.doc.toString()).toBe('{{ context.event.action }}');
    await waitFor(() => expect(changes.at(-1)!.value).toBe('{{ context.event.action }}'));
    await screen.findByText('= "paid"', {}, { timeout: 3000 });
  });
});

const switchNode = (config: Record<string, unknown>) =>
  ({ id: 'route', type: 'step', position: { x: 0, y: 0 }, data: { type: 'switch', config } }) as unknown as StepNode;

function Edited({ issues }: { issues: { path: string; message: string; text: string }[] }) {
  const [config, setConfig] = useState<Record<string, unknown>>({ value: 'x', cases: [{ id: 'case_1' }] });
  return (
    <Inspector
      node={switchNode(config)}
      issues={issues}
      steps={[]}
      readOnly={false}
      onConfigChange={setConfig}
      onLabelChange={() => undefined}
      onDelete={() => undefined}
    />
  );
}

describe('the inspector', () => {
  it('lists what is still missing in grey, once, and moves it under the field when it is touched', () => {
    const issue = { path: 'nodes[route].config.cases[0].equals', message: 'required' };
    // The editor's own validation and a failed save's answer say the same thing.
    render(
      <Edited
        issues={[
          { ...issue, text: `${issue.path}: required` },
          { ...issue, text: `${issue.path}: required (server)` },
        ]}
      />,
    );
    const pending = screen.getByRole('list', { name: 'Still to fill in' });
    expect(within(pending).getAllByText('Case 1 needs a value to compare with')).toHaveLength(1);
    expect(document.querySelector('.field-error')).toBeNull();
    expect(screen.queryByText(/nodes\[route\]/)).toBeNull();
    const input = screen.getByLabelText('Condition: equals');
    fireEvent.focus(input);
    fireEvent.blur(input);
    expect(screen.queryByRole('list', { name: 'Still to fill in' })).toBeNull();
    expect(screen.getAllByText('Case 1 needs a value to compare with')).toHaveLength(1);
    expect(screen.getByText('Case 1 needs a value to compare with').className).toBe('field-error');
  });

  it('offers the expression guide where fields are template-rendered, not on triggers', () => {
    render(
      <ExpressionEnvContext.Provider value={{ paths: [], context: null, templates: true }}>
        <Edited issues={[]} />
      </ExpressionEnvContext.Provider>,
    );
    expect(screen.getByText('How expressions work')).toBeTruthy();
    cleanup();
    render(
      <ExpressionEnvContext.Provider value={{ paths: [], context: null, templates: false }}>
        <Edited issues={[]} />
      </ExpressionEnvContext.Provider>,
    );
    expect(screen.queryByText('How expressions work')).toBeNull();
  });
});

describe('a JSON body saved as text before', () => {
  it('says it would be sent as one string, and turns it back into JSON', async () => {
    const form = renderForm('http.request', { url: 'x', json: '{"customer":"{{ context.event.object.customer }}"}' });
    fireEvent.click(await screen.findByRole('button', { name: 'Send it as JSON' }));
    expect(form.last()!.json).toEqual({ customer: '{{ context.event.object.customer }}' });
    expect(screen.queryByRole('button', { name: 'Send it as JSON' })).toBeNull();
  });
});

describe('the JSON body preview', () => {
  it('renders the {{ }} values inside the body against the event, keeping null', async () => {
    const sample = sampleEvent('invoice.paid')!;
    const customer = (sample.data as { object: { customer: string } }).object.customer;
    const env = { paths: [], context: sampleContext(sample), templates: true };
    render(
      <ExpressionEnvContext.Provider value={env}>
        <Harness
          type="http.request"
          initial={{ url: 'x', json: { customer: '{{ context.event.object.customer }}', coupon: null } }}
          onChange={() => undefined}
        />
      </ExpressionEnvContext.Provider>,
    );
    const out = await screen.findByText((t) => t.startsWith('= {'));
    expect(JSON.parse(out.textContent!.slice(2))).toEqual({ customer, coupon: null });
  });
});

describe('a read-only inspector (an execution view)', () => {
  it('leaves the code editors read-only too, which a disabled fieldset does not do', async () => {
    render(
      <ExpressionEnvContext.Provider value={{ paths: [], context: null, templates: true }}>
        <Inspector
          node={switchNode({ value: '{{ context.event.action }}', cases: [] })}
          issues={[]}
          steps={[]}
          readOnly
          onConfigChange={() => undefined}
          onLabelChange={() => undefined}
          onDelete={() => undefined}
        />
      </ExpressionEnvContext.Provider>,
    );
    const content = await waitFor(() => {
      const el = document.querySelector('.cm-content[aria-label="Value to route on"]');
      if (!el) throw new Error('CodeMirror not loaded yet');
      return el;
    });
    expect(content.getAttribute('contenteditable')).toBe('false');
  });
});
