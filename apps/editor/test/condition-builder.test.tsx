import { buildEventContext, checkTemplates, renderTemplate } from '@switchyard/engine';
import { sampleEvent } from '@switchyard/engine/samples';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { ConditionField } from '../src/inspector/ConditionField.js';
import { type Condition, parseCondition, patternProblem, toExpression } from '../src/inspector/conditions.js';
import { collectPaths } from '../src/inspector/contextPaths.js';
import { ExpressionEnvContext } from '../src/inspector/ExpressionContext.js';
import { sampleContext } from '../src/inspector/preview.js';

afterEach(cleanup);

/** The CodeMirror editable area named `name`, once the lazy editor has loaded. */
function codeEditor(name: string): Promise<HTMLElement> {
  return waitFor(() => {
    const el = document.querySelector(`.cm-content[aria-label="${name}"]`);
    if (!el) throw new Error(`no editor ${name} yet`);
    return el as HTMLElement;
  });
}

const invoice = sampleEvent('invoice.paid')!;
const invoiceObject = (invoice.data as { object: Record<string, unknown> }).object;
const context = sampleContext(invoice)!;
const evaluate = (expr: string) => renderTemplate(expr, { context }, { field: 'condition' });

describe('conditions as JSONata', () => {
  it('writes each operator and reads it back', () => {
    const all: Condition = {
      join: 'all',
      rows: [
        { path: 'context.event.object.status', op: 'eq', value: 'paid' },
        { path: 'context.event.object.currency', op: 'ne', value: 'eur' },
        { path: 'context.event.object.customer_email', op: 'contains', value: '@' },
        { path: 'context.event.object.amount_due', op: 'gt', value: '100' },
        { path: 'context.event.object.amount_paid', op: 'lt', value: '5' },
        { path: 'context.event.object.customer', op: 'exists', value: '' },
        { path: 'context.event.object.description', op: 'empty', value: '' },
        { path: 'context.event.object.number', op: 'matches', value: '^[A-Z0-9]+-\\d+/x' },
      ],
    };
    const expr = toExpression(all);
    expect(expr.startsWith('{{ context.event.object.status = "paid" and ')).toBe(true);
    expect(expr).toContain('context.event.object.amount_due > 100');
    expect(parseCondition(expr)).toEqual(all);
    const any = { ...all, join: 'any' as const };
    expect(parseCondition(toExpression(any))).toEqual(any);
  });

  it('leaves expressions it did not write to the raw editor', () => {
    expect(parseCondition('{{ context.event.object.amount_paid > 0 }}')).toEqual({
      join: 'all',
      rows: [{ path: 'context.event.object.amount_paid', op: 'gt', value: '0' }],
    });
    expect(parseCondition('{{ a = 1 and b = 2 or c = 3 }}')).toBeNull();
    expect(parseCondition('{{ $count(context.event.object.lines.data) > 1 }}')).toBeNull();
    expect(parseCondition(true)).toBeNull();
    expect(parseCondition('')).toEqual({ join: 'all', rows: [] });
  });

  it('evaluates as the engine runs it, on a real sample event', async () => {
    const o = invoiceObject as { status: string; currency: string; amount_paid: number };
    const is = (c: Condition) => evaluate(toExpression(c));
    const row = (path: string, op: Condition['rows'][0]['op'], value = '') => ({ path, op, value });
    expect(await is({ join: 'all', rows: [row('context.event.object.status', 'eq', o.status)] })).toBe(true);
    expect(await is({ join: 'all', rows: [row('context.event.object.currency', 'ne', o.currency)] })).toBe(false);
    expect(await is({ join: 'all', rows: [row('context.event.object.amount_paid', 'gt', '-1')] })).toBe(true);
    expect(await is({ join: 'all', rows: [row('context.event.object.nothing_here', 'exists')] })).toBe(false);
    expect(await is({ join: 'all', rows: [row('context.event.object.nothing_here', 'empty')] })).toBe(true);
    expect(await is({ join: 'all', rows: [row('context.event.object.customer_email', 'empty')] })).toBe(
      invoiceObject.customer_email == null,
    );
    expect(await is({ join: 'all', rows: [row('context.event.type', 'matches', '^invoice\\.')] })).toBe(true);
    expect(await is({ join: 'all', rows: [row('context.event.type', 'contains', 'paid')] })).toBe(true);
    expect(
      await is({
        join: 'any',
        rows: [row('context.event.type', 'eq', 'nope'), row('context.event.type', 'eq', 'invoice.paid')],
      }),
    ).toBe(true);
  });
});

describe('patterns with quotes, slashes, braces and backslashes', () => {
  // The sample invoice, described with every character a pattern has to carry through the regex literal.
  const description = `don't say "a/b}}" \\(x) [y] {2} \\/`;
  const described = buildEventContext({ ...invoice, data: { object: { ...invoiceObject, description } } });
  const path = 'context.event.object.description';
  const matching = (pattern: string): Condition => ({ join: 'all', rows: [{ path, op: 'matches', value: pattern }] });

  it.each([
    "don't",
    '"a/b}}"',
    'a/b',
    '}}',
    '} \\\\',
    '^don\'t say "',
    'say "x',
    '[(]x\\)',
    '\\\\\\(x\\)',
    '\\\\(x)',
    '\\\\[(]',
    '[\\]y[]+ \\{2}',
    'y] {2',
    'o{2}',
    '\\w{2,}',
    '[/]b',
    '\\\\/$',
    '\\\\{2}',
    '[{}]{2}',
    '(a|b)/(b|c)',
  ])('%s: written, parsed, run as RegExp runs it, and read back', async (pattern) => {
    const cond = matching(pattern);
    const expr = toExpression(cond);
    expect(checkTemplates(expr, 'condition')).toEqual([]);
    const got = await renderTemplate(expr, { context: { ...context, event: described } }, { field: 'condition' });
    expect(got).toBe(new RegExp(pattern).test(description));
    expect(parseCondition(expr)).toEqual(cond);
    expect(patternProblem(pattern)).toBeUndefined();
  });

  it('carries any pattern RE2 runs through the literal unchanged in meaning (seeded random patterns)', async () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const alphabet = ['a', 'b', 'x', '/', '\\', '(', ')', '{', '}', '[', ']', "'", '"', '2', ',', '|', '?', '*', ' '];
    const scope = { context: { ...context, event: described } };
    let tried = 0;
    while (tried < 300) {
      const pattern = Array.from({ length: 1 + (next() % 8) }, () => alphabet[next() % alphabet.length]).join('');
      try {
        new RegExp(pattern);
      } catch {
        continue;
      }
      if (patternProblem(pattern)) continue;
      tried++;
      const expr = toExpression(matching(pattern));
      expect(checkTemplates(expr, 'condition'), pattern).toEqual([]);
      expect(await renderTemplate(expr, scope, { field: 'condition' }), pattern).toBe(
        new RegExp(pattern).test(description),
      );
      const back = parseCondition(expr);
      expect(back && toExpression(back), pattern).toBe(expr);
    }
  });

  it('writes what JSONata can read: slashes and stray braces escaped, the rest as typed', () => {
    const body = (p: string) => /\/(.*)\/\) \}\}$/.exec(toExpression(matching(p)))![1];
    expect(body("don't")).toBe("don't");
    expect(body('a/b')).toBe('a\\/b');
    expect(body('}}')).toBe('\\}\\}');
    expect(body('x{2,3}[{]')).toBe('x{2,3}[\\{]');
    expect(body('\\\\(a)')).toBe('\\x5c(a)');
  });

  it('reads an escape it would not write as the same pattern without it', () => {
    expect(parseCondition(toExpression(matching('a\\/b')))).toEqual(matching('a/b'));
    expect(parseCondition(toExpression(matching('\\}\\}')))).toEqual(matching('}}'));
    expect(parseCondition(toExpression(matching('\\{x')))).toEqual(matching('{x'));
    // `{2\}` unescaped would be a repetition, so an escaped `{` before one stays.
    expect(parseCondition(toExpression(matching('\\{2\\}')))).toEqual(matching('\\{2}'));
    // Written by hand, not as the builder writes it: left to the raw editor.
    expect(parseCondition(`{{ $contains(${path}, /a}/) }}`)).toBeNull();
    expect(parseCondition(`{{ $contains(${path}, /a) }}`)).toBeNull();
  });

  it('says why a pattern cannot run', () => {
    expect(patternProblem('(a)\\1')).toMatch(/backreference/);
    expect(patternProblem('abc\\')).toMatch(/ends with a lone \\/);
    expect(patternProblem('abc\\\\')).toBeUndefined();
    expect(patternProblem('')).toBeUndefined();
  });

  it('keeps a quote inside a pattern next to other rules', async () => {
    const cond: Condition = {
      join: 'any',
      rows: [
        { path: 'context.event.type', op: 'matches', value: "don't (and|or) }}" },
        { path: 'context.event.object.status', op: 'eq', value: "it's" },
      ],
    };
    const expr = toExpression(cond);
    expect(parseCondition(expr)).toEqual(cond);
    expect(await evaluate(expr)).toBe(false);
  });
});

function Harness({ initial, onChange }: { initial: unknown; onChange: (v: unknown) => void }) {
  const [value, setValue] = useState(initial);
  const env = { paths: collectPaths(buildEventContext(invoice), 'context.event'), context, templates: true };
  return (
    <ExpressionEnvContext.Provider value={env}>
      <ConditionField
        path="condition"
        label="Condition"
        required
        value={value}
        onChange={(v) => {
          onChange(v);
          setValue(v);
        }}
      />
    </ExpressionEnvContext.Provider>
  );
}

describe('the condition builder', () => {
  it('builds rows into the expression, with any/all', () => {
    const changes: unknown[] = [];
    render(<Harness initial="" onChange={(v) => changes.push(v)} />);
    fireEvent.change(screen.getByLabelText('Rule 1 field'), { target: { value: 'context.event.object.status' } });
    fireEvent.change(screen.getByLabelText('Rule 1 value'), { target: { value: 'paid' } });
    expect(changes.at(-1)).toBe('{{ context.event.object.status = "paid" }}');
    // The picker offers the sample's value paths, not its objects.
    const options = [...document.querySelectorAll('datalist option')].map((o) => (o as HTMLOptionElement).value);
    expect(options).toContain('context.event.object.status');
    expect(options).not.toContain('context.event.object');
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    fireEvent.change(screen.getByLabelText('Rule 2 field'), { target: { value: 'context.event.object.amount_paid' } });
    fireEvent.change(screen.getByLabelText('Rule 2 operator'), { target: { value: 'gt' } });
    fireEvent.change(screen.getByLabelText('Rule 2 value'), { target: { value: '0' } });
    fireEvent.change(screen.getByLabelText('Condition match'), { target: { value: 'any' } });
    expect(changes.at(-1)).toBe('{{ context.event.object.status = "paid" or context.event.object.amount_paid > 0 }}');
    fireEvent.change(screen.getByLabelText('Rule 1 operator'), { target: { value: 'exists' } });
    expect(screen.queryByLabelText('Rule 1 value')).toBeNull();
    expect(changes.at(-1)).toBe('{{ $exists(context.event.object.status) or context.event.object.amount_paid > 0 }}');
  });

  it('reads back what it wrote, and switches to the raw expression', async () => {
    render(<Harness initial='{{ context.event.object.status = "paid" }}' onChange={() => undefined} />);
    expect((screen.getByLabelText('Rule 1 field') as HTMLInputElement).value).toBe('context.event.object.status');
    expect((screen.getByLabelText('Rule 1 value') as HTMLInputElement).value).toBe('paid');
    fireEvent.click(screen.getByRole('button', { name: 'Expression' }));
    const raw = await codeEditor('Condition expression');
    expect(raw.textContent).toBe('{{ context.event.object.status = "paid" }}');
  });

  it('writes a pattern with a quote and }} that the engine runs, and shows it again', async () => {
    const changes: unknown[] = [];
    render(<Harness initial="" onChange={(v) => changes.push(v)} />);
    fireEvent.change(screen.getByLabelText('Rule 1 field'), { target: { value: 'context.event.type' } });
    fireEvent.change(screen.getByLabelText('Rule 1 operator'), { target: { value: 'matches' } });
    fireEvent.change(screen.getByLabelText('Rule 1 value'), { target: { value: "^invoice\\.(paid|don't)(}})?" } });
    const written = changes.at(-1) as string;
    expect(written).toBe("{{ $contains(context.event.type, /^invoice\\.(paid|don't)(\\}\\})?/) }}");
    expect(await evaluate(written)).toBe(true);
    cleanup();
    render(<Harness initial={written} onChange={() => undefined} />);
    expect((screen.getByRole('button', { name: 'Builder' }) as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByLabelText('Rule 1 value') as HTMLInputElement).value).toBe("^invoice\\.(paid|don't)(}})?");
  });

  it('says why a pattern cannot run while it is typed', () => {
    render(<Harness initial="" onChange={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Rule 1 field'), { target: { value: 'context.event.type' } });
    fireEvent.change(screen.getByLabelText('Rule 1 operator'), { target: { value: 'matches' } });
    const value = screen.getByLabelText('Rule 1 value');
    fireEvent.change(value, { target: { value: '(in)\\1' } });
    expect(screen.getByRole('status').textContent).toMatch(/backreference/);
    expect(value.getAttribute('aria-describedby')).toBe(screen.getByRole('status').id);
    fireEvent.change(value, { target: { value: '^in' } });
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('keeps an expression it cannot show as raw, with a note', async () => {
    const changes: unknown[] = [];
    render(<Harness initial="{{ $count(context.event.object.lines.data) > 1 }}" onChange={(v) => changes.push(v)} />);
    expect(screen.getByText(/The builder cannot show this expression/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Builder' }) as HTMLButtonElement).disabled).toBe(true);
    expect((await codeEditor('Condition expression')).textContent).toBe(
      '{{ $count(context.event.object.lines.data) > 1 }}',
    );
    expect(changes).toEqual([]);
  });
});
