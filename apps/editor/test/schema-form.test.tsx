import { buildEventContext } from '@switchyard/engine';
import { sampleEvent } from '@switchyard/engine/samples';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { entryOf } from '../src/flow/catalog.js';
import { collectPaths } from '../src/inspector/contextPaths.js';
import { ExpressionEnvContext } from '../src/inspector/ExpressionContext.js';
import type { JsonSchema } from '../src/inspector/jsonSchema.js';
import { fieldKind } from '../src/inspector/jsonSchema.js';
import { sampleContext } from '../src/inspector/preview.js';
import { SchemaForm } from '../src/inspector/SchemaForm.js';

afterEach(cleanup);

function schemaOf(type: string): JsonSchema {
  const entry = entryOf(type);
  if (!entry) throw new Error(`no ${type}`);
  return entry.configJsonSchema as JsonSchema;
}

/** Holds the form's value as a page would, reporting every change. */
function FormHarness({
  schema,
  initial,
  options,
  onChange,
}: {
  schema: JsonSchema;
  initial: Record<string, unknown>;
  options: Parameters<typeof SchemaForm>[0]['options'];
  onChange: (value: Record<string, unknown>) => void;
}) {
  const [value, setValue] = useState(initial);
  return (
    <SchemaForm
      schema={schema}
      value={value}
      onChange={(v) => {
        onChange(v);
        setValue(v);
      }}
      options={options}
    />
  );
}

/** Renders the generated form for a node type and records every change. */
function renderForm(
  type: string,
  initial: Record<string, unknown>,
  issues = new Map<string, string[]>(),
  choices?: Record<string, string[]>,
) {
  const changes: Record<string, unknown>[] = [];
  render(
    <FormHarness
      schema={schemaOf(type)}
      initial={initial}
      options={{ idPrefix: 't', issues, fields: entryOf(type)?.ui?.fields ?? {}, ...(choices ? { choices } : {}) }}
      onChange={(v) => changes.push(v)}
    />,
  );
  return { last: () => changes.at(-1) };
}

describe('field kinds from JSON Schema', () => {
  it('maps schema shapes to widgets', () => {
    const http = schemaOf('http.request').properties!;
    expect(fieldKind(http.method!)).toBe('enum');
    expect(fieldKind(http.timeoutMs!)).toBe('number');
    expect(fieldKind(http.failOnStatus!)).toBe('boolean');
    expect(fieldKind(http.url!)).toBe('text');
    expect(fieldKind(http.headers!)).toBe('keyValue');
    expect(fieldKind(http.retry!)).toBe('object');
    expect(fieldKind(schemaOf('switch').properties!.cases!)).toBe('objectList');
    expect(fieldKind(schemaOf('switch').properties!.value!)).toBe('any');
    expect(fieldKind(schemaOf('if').properties!.condition!)).toBe('text');
    expect(fieldKind(schemaOf('email.send').properties!.to!)).toBe('text');
  });
});

describe('generated forms', () => {
  it('edits text, select, number and boolean fields of http.request', () => {
    const form = renderForm('http.request', { url: '' });
    fireEvent.change(screen.getByLabelText(/^URL/), { target: { value: 'https://example.com/hook' } });
    expect(form.last()).toEqual({ url: 'https://example.com/hook' });
    fireEvent.change(screen.getByLabelText(/^Method/), { target: { value: 'PUT' } });
    expect(form.last()).toMatchObject({ method: 'PUT' });
    fireEvent.change(screen.getByLabelText(/^Timeout \(ms\)/), { target: { value: '2500' } });
    expect(form.last()).toMatchObject({ timeoutMs: 2500 });
    fireEvent.click(screen.getByLabelText(/Fail on 4xx/));
    expect(form.last()).toMatchObject({ failOnStatus: false });
  });

  it('removes an optional field when it is emptied', () => {
    const form = renderForm('http.request', { url: 'x', contentType: 'text/plain' });
    fireEvent.change(screen.getByLabelText(/^Content type/), { target: { value: '' } });
    expect(form.last()).toEqual({ url: 'x' });
  });

  it('builds Switch cases as a list of objects', () => {
    const form = renderForm('switch', { value: '{{ context.event.action }}', cases: [] });
    fireEvent.click(screen.getByRole('button', { name: 'Add case' }));
    expect(form.last()).toEqual({ value: '{{ context.event.action }}', cases: [{ id: 'case_1' }] });
    const first = screen.getByRole('group', { name: 'Case 1' });
    fireEvent.change(within(first).getByLabelText(/^Output name/), { target: { value: 'paid' } });
    fireEvent.change(within(first).getByLabelText('Condition: equals'), { target: { value: 'paid' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add case' }));
    fireEvent.change(within(screen.getByRole('group', { name: 'Case 2' })).getByLabelText(/^Output name/), {
      target: { value: 'failed' },
    });
    expect(form.last()).toEqual({
      value: '{{ context.event.action }}',
      cases: [{ id: 'paid', equals: 'paid' }, { id: 'failed' }],
    });
    fireEvent.click(screen.getByRole('button', { name: 'Move case 2 up' }));
    expect((form.last()!.cases as { id: string }[]).map((c) => c.id)).toEqual(['failed', 'paid']);
    fireEvent.click(screen.getByRole('button', { name: 'Remove case 1' }));
    expect((form.last()!.cases as { id: string }[]).map((c) => c.id)).toEqual(['paid']);
  });

  it('edits key/value pairs of table.upsert values', () => {
    const form = renderForm('table.upsert', { table: 'invoices', key: 'k', values: {} });
    fireEvent.click(screen.getByRole('button', { name: 'Add field' }));
    fireEvent.change(screen.getByLabelText('Values name 1'), { target: { value: 'status' } });
    fireEvent.change(screen.getByLabelText('Values value 1'), { target: { value: 'paid' } });
    expect(form.last()).toEqual({ table: 'invoices', key: 'k', values: { status: 'paid' } });
  });

  it('offers the trigger actions as checkboxes', () => {
    const form = renderForm('stripe.invoice', { actions: [] }, new Map(), {
      actions: ['paid', 'payment_failed', 'created'],
    });
    fireEvent.click(screen.getByLabelText('payment_failed'));
    fireEvent.click(screen.getByLabelText('paid'));
    expect(form.last()).toEqual({ actions: ['paid', 'payment_failed'] });
  });

  it('shows engine issues under the field they name', () => {
    renderForm('switch', { value: 'x', cases: [{ id: 'a' }] }, new Map([['cases[0].equals', ['required']]]));
    const equals = within(screen.getByRole('group', { name: 'Case 1' })).getByLabelText('Condition: equals');
    expect(equals.closest('.field')!.textContent).toContain('required');
  });

  it('completes {{ }} paths from the sample event and previews the value', async () => {
    vi.useFakeTimers();
    const sample = sampleEvent('invoice.paid')!;
    const env = {
      paths: collectPaths(buildEventContext(sample), 'context.event'),
      context: sampleContext(sample),
      templates: true,
    };
    const changes: Record<string, unknown>[] = [];
    render(
      <ExpressionEnvContext.Provider value={env}>
        <FormHarness
          schema={schemaOf('table.upsert')}
          initial={{ table: 'invoices', key: '', values: {} }}
          options={{ idPrefix: 't', issues: new Map() }}
          onChange={(v) => changes.push(v)}
        />
      </ExpressionEnvContext.Provider>,
    );
    const key = screen.getByLabelText(/^Key/) as HTMLInputElement;
    fireEvent.change(key, { target: { value: '{{ context.event.obj', selectionStart: 20 } });
    const options = screen.getAllByRole('option');
    expect(options[0]!.textContent).toContain('context.event.object');
    fireEvent.keyDown(key, { key: 'Enter' });
    expect(changes.at(-1)!.key).toBe('{{ context.event.object }}');
    fireEvent.change(key, { target: { value: '{{ context.event.object.id }}', selectionStart: 0 } });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(300);
    });
    vi.useRealTimers();
    await screen.findByText(`= "${String((sample.data as { object: { id: string } }).object.id)}"`);
  });
});
