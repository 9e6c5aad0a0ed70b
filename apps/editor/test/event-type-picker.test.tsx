import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOG, entryOf } from '../src/flow/catalog.js';
import type { JsonSchema } from '../src/inspector/jsonSchema.js';
import { SchemaForm } from '../src/inspector/SchemaForm.js';

afterEach(cleanup);

/** Holds the generic trigger's config as the inspector would, with the node definition's field hints. */
function Harness({
  initial,
  issues,
  changes,
}: {
  initial: string[];
  issues: Map<string, string[]>;
  changes: unknown[];
}) {
  const entry = entryOf('stripe.event')!;
  const [value, setValue] = useState<Record<string, unknown>>({ types: initial });
  return (
    <SchemaForm
      schema={entry.configJsonSchema as JsonSchema}
      value={value}
      onChange={(v) => {
        changes.push(v.types);
        setValue(v);
      }}
      options={{ idPrefix: 't', issues, ...(entry.ui?.fields ? { fields: entry.ui.fields } : {}) }}
    />
  );
}

function renderTrigger(initial: string[], issues = new Map<string, string[]>()) {
  const changes: unknown[] = [];
  render(<Harness initial={initial} issues={issues} changes={changes} />);
  return { changes, search: () => screen.getByRole('combobox', { name: /search types/i }) };
}

const options = () =>
  within(screen.getByRole('listbox', { name: 'Stripe event types' }))
    .getAllByRole('option')
    .map((o) => o.textContent);

const chips = () =>
  screen.queryByRole('list', { name: 'Chosen event types' })
    ? within(screen.getByRole('list', { name: 'Chosen event types' }))
        .getAllByRole('listitem')
        .map((li) => li.querySelector('code')!.textContent)
    : [];

describe('the event type picker', () => {
  it('typing payout offers payout.* and each payout type, from the catalogue', () => {
    const { search } = renderTrigger([]);
    expect(screen.getByText('No event type chosen yet.')).toBeTruthy();
    fireEvent.change(search(), { target: { value: 'payout' } });
    expect(options()).toEqual([
      'payout.*6 types',
      'payout.canceled',
      'payout.created',
      'payout.failed',
      'payout.paid',
      'payout.reconciliation_completed',
      'payout.updated',
    ]);
  });

  it('adds a clicked wildcard and a type picked by keyboard as chips, and removes them', () => {
    const { search, changes } = renderTrigger([]);
    fireEvent.change(search(), { target: { value: 'payout' } });
    fireEvent.mouseDown(screen.getByRole('option', { name: /payout\.\*/ }));
    expect(chips()).toEqual(['payout.*']);
    expect(changes.at(-1)).toEqual(['payout.*']);
    expect((search() as HTMLInputElement).value).toBe('');

    fireEvent.change(search(), { target: { value: 'invoice_payment' } });
    // invoice_payment.* first, then invoice_payment.paid: the arrow moves to the exact type.
    expect(options()).toEqual(['invoice_payment.*1 type', 'invoice_payment.paid']);
    fireEvent.keyDown(search(), { key: 'ArrowDown' });
    fireEvent.keyDown(search(), { key: 'Enter' });
    expect(chips()).toEqual(['payout.*', 'invoice_payment.paid']);
    expect(changes.at(-1)).toEqual(['payout.*', 'invoice_payment.paid']);

    // Chosen entries are not offered again.
    fireEvent.change(search(), { target: { value: 'payout' } });
    expect(options()).not.toContain('payout.*6 types');

    fireEvent.click(screen.getByRole('button', { name: 'Remove payout.*' }));
    expect(chips()).toEqual(['invoice_payment.paid']);
    expect(changes.at(-1)).toEqual(['invoice_payment.paid']);
  });

  it("shows the engine's messages about the list and its entries under the field", () => {
    renderTrigger(
      ['payout.pad'],
      new Map([['types[0]', ['"payout.pad" is not a Stripe event type (did you mean "payout.paid"?)']]]),
    );
    expect(chips()).toEqual(['payout.pad']);
    expect(screen.getByText('"payout.pad" is not a Stripe event type (did you mean "payout.paid"?)')).toBeTruthy();
  });

  it('the palette lists the new triggers with the labels of their definitions', () => {
    const triggers = CATALOG.filter((e) => e.category === 'trigger');
    expect(triggers.map((e) => [e.type, e.label])).toEqual(
      expect.arrayContaining([
        ['stripe.dispute', 'On dispute event'],
        ['stripe.refund', 'On refund event'],
        ['stripe.event', 'On any Stripe event'],
      ]),
    );
  });
});
