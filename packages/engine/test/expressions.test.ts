import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPRESSION_LIMITS } from '../src/expressions.js';
import {
  buildEventContext,
  checkTemplates,
  ExpressionError,
  parseTemplate,
  renderTemplate,
  walkExpression,
} from '../src/index.js';
import { loadEvent } from './helpers.js';

const event = buildEventContext(loadEvent('customer.subscription.updated'));
const scope = { context: { event, env: 'editor', steps: { prev: { n: 2 } } } };
const loc = { field: 'nodes[x].config.value' };
const fast = { ...DEFAULT_EXPRESSION_LIMITS, timeoutMs: 50 };
const render = (t: string, limits = fast) => renderTemplate(t, scope, loc, limits);

async function failure(t: string): Promise<ExpressionError> {
  try {
    await render(t);
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return err as ExpressionError;
  }
  throw new Error(`expected ${t} to fail`);
}

describe('context', () => {
  it('builds context.event as docs/triggers.md describes', () => {
    const raw = loadEvent('customer.subscription.updated');
    expect(event).toEqual({
      id: raw.id,
      type: 'customer.subscription.updated',
      action: 'updated',
      created: raw.created,
      livemode: raw.livemode,
      api_version: raw.api_version,
      object: raw.data.object,
      previous_attributes: raw.data.previous_attributes,
      data: raw.data,
    });
    expect(buildEventContext({ ...raw, account: 'acct_1' }).account).toBe('acct_1');
    expect(() => buildEventContext({ id: 'x' })).toThrow(/not a Stripe event/);
  });
});

describe('templates', () => {
  it('keeps the type of a whole {{ }} and interpolates otherwise', async () => {
    expect(await render('{{ context.event.object.id }}')).toBe(event.object.id);
    expect(await render('{{ context.steps.prev.n * 2 }}')).toBe(4);
    expect(await render('{{ context.event.previous_attributes }}')).toEqual(event.previous_attributes);
    expect(await render('sub {{ context.event.object.id }} is {{ context.steps.prev }}')).toBe(
      `sub ${event.object.id} is {"n":2}`,
    );
    expect(await render('{{ {"a": {"b": 1}} }}')).toEqual({ a: { b: 1 } });
    expect(await render('no template')).toBe('no template');
    expect(await render('{{ context.nothing }}')).toBeUndefined();
  });

  it('names the field and the position of an error', async () => {
    const err = await failure('abc {{ context.event. }}');
    expect(err.field).toBe('nodes[x].config.value');
    expect(err.position).toBeGreaterThan(6);
    expect(err.message).toMatch(/^nodes\[x\]\.config\.value: invalid expression at position \d+/);
    expect((await failure('{{ context.event.id')).message).toMatch(/unclosed/);
  });
});

describe('where an expression ends', () => {
  const sources = (t: string) => parseTemplate(t).parts.flatMap((p) => (p.kind === 'expr' ? [p.source] : []));

  it('reads a quote inside a regex literal as part of the pattern', async () => {
    expect(await render(`{{ $contains("don't stop", /don't/) }}`)).toBe(true);
    expect(await render(`{{ $contains('say "hi"', /"hi"/) }}`)).toBe(true);
    expect(await render('{{ $contains("plain", /`/) }} and {{ 1 }}')).toBe('false and 1');
    expect(sources(`a {{ $contains(x, /don't/i) }} b {{ 'it''s' }}`)).toEqual([`$contains(x, /don't/i)`, `'it''s'`]);
  });

  it('reads a }} inside a regex literal as part of the pattern', async () => {
    expect(await render('{{ $replace("a}}b", /\\}\\}/, "-") }}')).toBe('a-b');
    // JSONata closes a regex at the first / outside the pattern's own brackets, so these }} are inside it.
    expect(await render('<{{ $replace("(}}", /[((]}}/, "x") }}>')).toBe('<x>');
    expect(sources('{{ $contains(x, /[((]}}/) }}')).toEqual(['$contains(x, /[((]}}/)']);
  });

  it('opens a regex only where JSONata reads one, so divisions stay divisions', async () => {
    expect(await render('{{ 12 / 3 / 2 }}')).toBe(2);
    expect(await render('{{ context.steps.prev.n / 2 / 1 }}')).toBe(1);
    expect(await render('{{ (12) / 3 / (2) }}')).toBe(2);
    expect(await render('{{ [12, 6][1] / 3 }}')).toBe(2);
    expect(await render('{{ {"a": 8}.a / 2 / 2 }}')).toBe(2);
    expect(await render('{{ ($x := 12; $x / 4 / 3) }}')).toBe(1);
    expect(await render('{{ context.steps.prev.(n / 2) }}')).toBe(1);
    // `%` (parent) and `*` (wildcard) stand for values, so the / after them divides.
    expect(await render('{{ context.steps.prev.n.(% .n / 2) }}')).toBe(1);
    expect(await render('{{ context.steps.prev.* / 2 }}')).toBe(1);
    expect(await render('{{ 6 / 3 }} and {{ 8 / 4 }}')).toBe('2 and 2');
    expect(await render('{{ $contains("b", true ? /a/ : /b/) }}')).toBe(false);
    expect(await render('{{ "sub_1" ~> /^sub_/ and 4 / 2 = 2 }}')).toBe(true);
  });

  it('keeps a / inside a string, a quoted name or a comment from opening anything', async () => {
    expect(await render('{{ "a/b" & "/" & \'c/\' }}')).toBe('a/b/c/');
    expect(await render('{{ $split("a/b/c", "/") }}')).toEqual(['a', 'b', 'c']);
    expect(await render('{{ {"x/y": 4}.`x/y` / 2 }}')).toBe(2);
    expect(await render("{{ /* it's 1 }} */ 1 }}")).toBe(1);
  });

  it('hands over operators, never what is inside a literal', () => {
    const tokens = (source: string) => {
      const seen: string[] = [];
      walkExpression(source, 0, (token) => {
        seen.push(token);
        return false;
      });
      return seen;
    };
    expect(tokens(`a = "x and y" and $contains(b, /don't (and|or) \\}\\}/) or c / 2 != 1`)).toEqual([
      '=',
      'and',
      '(',
      ',',
      ')',
      'or',
      '/',
      '!=',
    ]);
    // `and`, `or` and `in` where an operand belongs are field names.
    expect(tokens('and.or in [in]')).toEqual(['.', 'in', '[', ']']);
  });

  it('says which literal is left open', async () => {
    expect((await failure('{{ $contains("x", /abc) }}')).message).toMatch(
      /unclosed \{\{ \(the regular expression at position 18 is not closed\)/,
    );
    expect((await failure(`{{ "it's" & 'x }}`)).message).toMatch(/the string at position 12 is not closed/);
    const [err] = checkTemplates({ a: "{{ $contains(x, /don't/) }}", b: '{{ /x }}' }, 'config');
    expect(err?.message).toMatch(/^config\.b: invalid template.*regular expression/);
  });
});

describe('expression limits against hostile input', () => {
  it('rejects over-long expressions and deep nesting before parsing', async () => {
    expect((await failure(`{{ ${'1+'.repeat(2_000)}1 }}`)).message).toMatch(/too long/);
    expect((await failure(`{{ ${'('.repeat(500)}1${')'.repeat(500)} }}`)).message).toMatch(/too deep/);
    expect((await failure(`{{ ${'['.repeat(40)}1${']'.repeat(40)} }}`)).message).toMatch(/too deep/);
  });

  it('stops non-terminating and deeply recursive expressions', async () => {
    const started = Date.now();
    expect((await failure('{{ ($f := function($n){ $f($n + 1) }; $f(0)) }}')).message).toMatch(/timeout/i);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await failure('{{ ($f := function($n){ 1 + $f($n + 1) }; $f(0)) }}')).message).toMatch(/stack overflow/i);
  });

  it('caps huge strings and arrays', async () => {
    expect((await failure('{{ $reduce([1..40], function($a, $b){ $a & $a }, "xxxxxxxxxx") }}')).message).toMatch(
      /string result longer/,
    );
    expect((await failure('{{ $pad("", 100000000) }}')).message).toMatch(/\$pad width/);
    expect((await failure('{{ [1..5000000] }}')).message).toMatch(/array result longer/);
    const big = 'x'.repeat(600_000);
    await expect(renderTemplate('{{ context.a }}{{ context.a }}', { context: { a: big } }, loc, fast)).rejects.toThrow(
      /too long/,
    );
  });

  it('runs regexes that backtrack in JavaScript at once, and disables $eval', async () => {
    // On RegExp this takes about 2^40 steps; RE2 answers in one pass (regex.test.ts has the rest).
    expect(await render(`{{ $match("${'a'.repeat(40)}!", /(a+)+$/) }}`)).toBeUndefined();
    expect(await render('{{ $contains("aaa", /(a|aa)*b/) }}')).toBe(false);
    expect(await render('{{ $contains("abc", /b+/) }}')).toBe(true);
    expect((await failure('{{ $contains("aa", /(a)\\1/) }}')).message).toMatch(/backreference/);
    expect((await failure('{{ $eval("1 + 1") }}')).message).toMatch(/\$eval is disabled/);
  });
});
