import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPRESSION_LIMITS } from '../src/expressions.js';
import {
  buildEventContext,
  defaultRegistry,
  ExpressionError,
  LinearRegExp,
  MAX_REGEX_SEARCH_COST,
  RegexError,
  regexProblem,
  renderTemplate,
  runWorkflow,
  validateWorkflow,
} from '../src/index.js';
import { createMemoryPorts } from '../src/testing/index.js';
import { chain, loadEvent } from './helpers.js';

const registry = defaultRegistry;

// The pattern of the issue: a backtracking engine needs ~3^n steps to fail on n word characters.
const EVIL = '^(\\w?\\w?\\w?)+!';
const FORTY = 'a'.repeat(40);

const raw = loadEvent('invoice.paid');
const eventWith = (description: string) => ({
  ...raw,
  data: { ...raw.data, object: { ...raw.data.object, description } },
});
const scope = (description: string) => ({ context: { event: buildEventContext(eventWith(description)) } });
const loc = { field: 'nodes[x].config.value' };
const render = (t: string, description = FORTY, limits = DEFAULT_EXPRESSION_LIMITS) =>
  renderTemplate(t, scope(description), loc, limits);

async function failure(t: string, description = FORTY, limits = DEFAULT_EXPRESSION_LIMITS): Promise<ExpressionError> {
  try {
    await render(t, description, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(ExpressionError);
    return err as ExpressionError;
  }
  throw new Error(`expected ${t} to fail`);
}

describe('LinearRegExp', () => {
  it('follows the exec protocol of a global RegExp', () => {
    const re = new LinearRegExp('(\\d)(x)?', 'g');
    const first = re.exec('a1b2x');
    expect([...first!]).toEqual(['1', '1', undefined]);
    expect(first!.index).toBe(1);
    expect(re.lastIndex).toBe(2);
    const second = re.exec('a1b2x');
    expect([...second!]).toEqual(['2x', '2', 'x']);
    expect(second!.index).toBe(3);
    expect(re.exec('a1b2x')).toBeNull();
    expect(re.lastIndex).toBe(0);
    re.lastIndex = 99;
    expect(re.exec('a1')).toBeNull();
    expect(re.lastIndex).toBe(0);
  });

  it('anchors ^ to the start of the input, not to lastIndex', () => {
    const re = new LinearRegExp('^a', 'g');
    re.lastIndex = 1;
    expect(re.exec('aa')).toBeNull();
    const multi = new LinearRegExp('^b', 'gm');
    multi.lastIndex = 1;
    expect(multi.exec('a\nb')?.index).toBe(2);
  });

  it('reports named groups, and indexes in UTF-16 units as JavaScript does', () => {
    const m = new LinearRegExp('(?<year>\\d{4})-(?<month>\\d{2})').exec('on 2026-12');
    expect(m?.groups).toEqual({ year: '2026', month: '12' });
    expect(new LinearRegExp('b').exec('😀ab')?.index).toBe('😀ab'.indexOf('b'));
  });

  it('honours the i, m and s flags', () => {
    expect(new LinearRegExp('^abc$', 'i').test('ABC')).toBe(true);
    expect(new LinearRegExp('^abc$').test('ABC')).toBe(false);
    expect(new LinearRegExp('^b$', 'm').test('a\nb\nc')).toBe(true);
    expect(new LinearRegExp('^b$').test('a\nb\nc')).toBe(false);
    expect(new LinearRegExp('a.c', 's').test('a\nc')).toBe(true);
    expect(new LinearRegExp('a.c').test('a\nc')).toBe(false);
    expect(() => new LinearRegExp('a', 'y')).toThrow(/flag "y" is not supported/);
  });

  it('refuses what RE2 cannot run, in words a builder understands', () => {
    expect(regexProblem('(a)\\1')).toBe('this pattern uses a backreference (\\1), which Switchyard does not support');
    expect(regexProblem('(?<q>a)\\k<q>')).toMatch(/named backreference/);
    expect(regexProblem('in_(?=\\d)')).toBe('this pattern uses a lookahead ((?=…)), which Switchyard does not support');
    expect(regexProblem('a(?!b)')).toMatch(/negative lookahead/);
    expect(regexProblem('(?<=a)b')).toMatch(/^this pattern uses a lookbehind/);
    expect(regexProblem('(?<!a)b')).toMatch(/negative lookbehind/);
    expect(regexProblem('(a')).toMatch(/^invalid regular expression: missing closing \)/);
    // Escaped or inside a class, the same characters are plain text.
    expect(regexProblem('\\(?=x')).toBeUndefined();
    expect(regexProblem('[(?=]\\\\1')).toBeUndefined();
    expect(regexProblem('\\2')).toMatch(/backreference \(\\2\)/);
    expect(regexProblem('[z-a]')).toBe('invalid regular expression: invalid character class range: `z-a`');
    expect(regexProblem(EVIL)).toBeUndefined();
    expect(() => new LinearRegExp('(a)\\1')).toThrow(RegexError);
  });

  it('caps one search by pattern size times input length', () => {
    const re = new LinearRegExp('[a-z]{1,1000}!');
    expect(() => re.test('a'.repeat(MAX_REGEX_SEARCH_COST))).toThrow(/input too long: this pattern can search at most/);
    expect(re.test('abc!')).toBe(true);
  });
});

describe('the switch node on RE2', () => {
  const route = (cases: unknown[], value = '{{ context.event.object.description }}') =>
    chain('stripe.invoice', [{ id: 'route', type: 'switch', config: { value, cases } }]);
  const handles = async (description: string, cases: unknown[]) => {
    const r = await runWorkflow({
      registry,
      workflow: route(cases),
      event: eventWith(description),
      ports: createMemoryPorts(),
    });
    expect(r.status).toBe('succeeded');
    return r.steps.find((s) => s.nodeId === 'route')?.handles;
  };

  it('runs the issue pattern on 40 characters at once, with the right answer', async () => {
    expect(await handles(FORTY, [{ id: 'bang', matches: EVIL }])).toEqual(['default']);
    expect(await handles(`${FORTY}!`, [{ id: 'bang', matches: EVIL }])).toEqual(['bang']);
    expect(await handles(`${FORTY}-!`, [{ id: 'bang', matches: EVIL }])).toEqual(['default']);
  });

  it('applies flags', async () => {
    expect(await handles('Refund REQUESTED', [{ id: 'r', matches: 'refund requested', flags: 'i' }])).toEqual(['r']);
    expect(await handles('Refund REQUESTED', [{ id: 'r', matches: 'refund requested' }])).toEqual(['default']);
    expect(await handles('first\nsecond', [{ id: 'r', matches: '^second$', flags: 'm' }])).toEqual(['r']);
  });

  it('refuses a backreference and a lookahead at validation, naming node and field', () => {
    const doc = route([
      { id: 'ok', matches: EVIL },
      { id: 'twice', matches: '(\\w)\\1' },
      { id: 'ahead', matches: 'in_(?=\\d)' },
    ]);
    const r = validateWorkflow(doc, { registry });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors.map((e) => e.text)).toEqual([
      'nodes[route].config.cases[1].matches: this pattern uses a backreference (\\1), which Switchyard does not support',
      'nodes[route].config.cases[2].matches: this pattern uses a lookahead ((?=…)), which Switchyard does not support',
    ]);
  });

  it('matches quotes, slashes and }} in a pattern as written', async () => {
    expect(await handles("don't", [{ id: 'q', matches: "^don't$" }])).toEqual(['q']);
    expect(await handles('say "hi"', [{ id: 'q', matches: '"hi"$' }])).toEqual(['q']);
    expect(await handles('a/b', [{ id: 's', matches: '^a/b$' }])).toEqual(['s']);
    expect(await handles('{{x}}', [{ id: 'b', matches: 'x}}$' }])).toEqual(['b']);
    expect(await handles("don't", [{ id: 't', matches: `{{ "^don" & "'t$" }}` }])).toEqual(['t']);
  });

  it('checks a pattern built by a template when the node runs', async () => {
    const doc = route([{ id: 'x', matches: '{{ "(a)" & "\\\\1" }}' }]);
    expect(validateWorkflow(doc, { registry }).ok).toBe(true);
    const r = await runWorkflow({ registry, workflow: doc, event: eventWith('aa'), ports: createMemoryPorts() });
    expect(r.status).toBe('failed');
    expect(r.status === 'failed' && r.error.message).toBe(
      'nodes[route].config.cases[0].matches: this pattern uses a backreference (\\1), which Switchyard does not support',
    );
  });
});

describe('JSONata regex functions on RE2', () => {
  it('runs the issue pattern in $match, $replace, $contains and $split at once', async () => {
    const d = 'context.event.object.description';
    expect(await render(`{{ $match(${d}, /${EVIL}/) }}`)).toBeUndefined();
    expect(await render(`{{ $contains(${d}, /${EVIL}/) }}`)).toBe(false);
    expect(await render(`{{ $replace(${d}, /${EVIL}/, "x") }}`)).toBe(FORTY);
    expect(await render(`{{ $split(${d}, /${EVIL}/) }}`)).toEqual([FORTY]);
    const bang = `${FORTY}!`;
    // One match: JSONata answers the match object itself, not a one-item array.
    expect(await render(`{{ $match(${d}, /${EVIL}/) }}`, bang)).toEqual({
      match: bang,
      index: 0,
      groups: [expect.any(String)],
    });
    expect(await render(`{{ $contains(${d}, /${EVIL}/) }}`, bang)).toBe(true);
    expect(await render(`{{ $replace(${d}, /${EVIL}/, "x") }}`, bang)).toBe('x');
    expect(await render(`{{ $split(${d}, /${EVIL}/) }}`, bang)).toEqual(['', '']);
  });

  it('reads quotes, escaped slashes and }} in regex literals of $match, $replace and $contains', async () => {
    const d = 'context.event.object.description';
    const text = `don't say "a/b}}"`;
    expect(await render(`{{ $contains(${d}, /don't/) }}`, text)).toBe(true);
    expect(await render(`{{ $match(${d}, /"(a\\/b)\\}\\}"/).groups[0] }}`, text)).toBe('a/b');
    expect(await render(`<{{ $replace(${d}, /'|"|\\/|\\}\\}/, "_") }}>`, text)).toBe('<don_t say _a_b__>');
  });

  // The same expressions through JSONata's default engine (JavaScript's RegExp) give the reference answers.
  const SAME_AS_REGEXP = [
    '$match("ab12cd345", /(\\d)(\\d)?/)',
    '$match("ab12cd345", /\\d/, 2)',
    '$match("Order ORD-7 and ord-8", /ord-(\\d)/i)',
    '$match("x", /y/)',
    '$replace("ab12cd345", /(\\d)/, "<$1>")',
    '$replace("ab12cd345", /(\\d)(\\d)/, "$2$1$$")',
    '$replace("ab12cd345", /\\d+/, function($m){ $string($number($m.match) * 2) })',
    '$replace("aaa", /a/, "b", 2)',
    '$replace("line1\\nline2", /^line/m, "L")',
    '$split("a1b22c333", /\\d+/)',
    '$split("a1b22c333", /\\d+/, 2)',
    '$contains("Hello", /hello/i)',
    '$contains("a\\nb", /^b/)',
    '$contains("a\\nb", /^b/m)',
    '$match("😀ab😀c", /[a-z]/)',
    '"sub_123" ~> /^sub_(\\d+)$/',
    '$match("abc", /x*/)',
    `$replace("don't", /'/, "")`,
    '$match("a/b}}", /\\/(b)\\}\\}/)',
    '$split("a/b/c", /\\//)',
  ];

  it.each(SAME_AS_REGEXP)('%s gives what RegExp gives', async (expr) => {
    let expected: unknown;
    try {
      expected = { value: JSON.parse(JSON.stringify((await jsonata(expr).evaluate({})) ?? null)) };
    } catch (err) {
      expected = { code: (err as { code?: string }).code };
    }
    let actual: unknown;
    try {
      actual = { value: JSON.parse(JSON.stringify((await render(`{{ ${expr} }}`)) ?? null)) };
    } catch (err) {
      actual = { code: (err as ExpressionError).code };
    }
    expect(actual).toEqual(expected);
  });

  it('refuses a backreference or a lookahead in a regex literal at validation, naming node and field', () => {
    const doc = chain('stripe.invoice', [
      { id: 'log', type: 'log', config: { message: 'first: {{ $match(context.event.object.id, /(a)\\1/) }}' } },
      { id: 'set', type: 'set', config: { values: { has: '{{ $contains(context.event.object.id, /in_(?=x)/) }}' } } },
    ]);
    const r = validateWorkflow(doc, { registry });
    expect(r.ok).toBe(false);
    const texts = r.ok ? [] : r.errors.map((e) => e.text);
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(
      /^nodes\[log\]\.config\.message: regular expression \/\(a\)\\1\/ at position \d+: this pattern uses a backreference \(\\1\), which Switchyard does not support$/,
    );
    expect(texts[1]).toMatch(
      /^nodes\[set\]\.config\.values\.has: regular expression \/in_\(\?=x\)\/ at position \d+: this pattern uses a lookahead/,
    );
  });

  it('stops a series of searches at the expression time limit', async () => {
    // Each search for the leftmost-first match of `a.*b|a` reads to the end of the input, so finding all
    // 50,000 matches reads the string 50,000 times: linear per search, quadratic in all.
    const fast = { ...DEFAULT_EXPRESSION_LIMITS, timeoutMs: 20 };
    const err = await failure(
      '{{ $count($match(context.event.object.description, /a.*b|a/)) }}',
      'a'.repeat(50_000),
      fast,
    );
    expect(err.message).toMatch(/searches exceeded the time limit/);
  });
});
