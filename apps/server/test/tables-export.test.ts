import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp } from './support/app.js';
import { describeEachDriver } from './support/databases.js';

type RowJson = { key: string; values: Record<string, unknown> };

describeEachDriver('data tables: CSV export and search', (ctx) => {
  let t: ReturnType<typeof testApp>;
  const SECRET_VALUE = 'tok_live_0123456789abcdef';

  beforeAll(async () => {
    t = testApp(ctx.database);
    const put = (key: string, values: Record<string, unknown>) =>
      t.admin('PUT', `/environments/production/tables/people/rows/${encodeURIComponent(key)}`, { values });
    for (const [key, values] of [
      ['alice', { name: 'Alice, "the" first', amount: 5, nested: { tier: 'Gold', tags: ['a', 'b'] } }],
      ['bob', { name: 'Bob\nSecond line', paid: true, formula: '=HYPERLINK("https://evil.example")' }],
      ['carol', { name: 'carol', minus: '-2+3', at: '@SUM(A1)', plus: '+1', debt: -3, note: null }],
      ['=cmd', { key: 'shadowed', token: SECRET_VALUE }],
      ['dave_100%', { name: 'Dave' }],
    ] as const)
      expect((await put(key, values)).status).toBe(200);
    expect((await t.admin('PUT', `/environments/production/secrets/API_TOKEN`, { value: SECRET_VALUE })).status).toBe(
      200,
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  const exportCsv = async (env: string, table: string) => {
    const res = await t.admin('GET', `/environments/${env}/tables/${table}/export.csv`);
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      disposition: res.headers.get('content-disposition'),
      text: await res.text(),
    };
  };

  it('exports a header of key and every value column, then each row: quoted, formulas defused, secrets masked', async () => {
    const csv = await exportCsv('production', 'people');
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.disposition).toBe('attachment; filename="production-people.csv"');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('key,amount,at,debt,formula,values.key,minus,name,nested,note,paid,plus,token');
    expect(lines.at(-1)).toBe('');
    // Rows come in key order, which is the database's collation: compared as a set here.
    expect(lines.slice(1, -1).sort()).toEqual(
      [
        `'=cmd,,,,,shadowed,,,,,,,••••cdef`,
        // Objects as JSON, in jsonb's own key order.
        'alice,5,,,,,,"Alice, ""the"" first","{""tags"":[""a"",""b""],""tier"":""Gold""}",,,,',
        `bob,,,,"'=HYPERLINK(""https://evil.example"")",,,"Bob\nSecond line",,,true,,`,
        `carol,,'@SUM(A1),-3,,,'-2+3,carol,,,,'+1,`,
        'dave_100%,,,,,,,Dave,,,,,',
      ].sort(),
    );
    expect(csv.text).not.toContain(SECRET_VALUE);
  });

  it('shows a secret written into a row masked, and an edit that sends the mask back keeps the secret', async () => {
    const rowsUrl = '/environments/production/tables/people/rows';
    const list = async () => (await (await t.admin('GET', `${rowsUrl}?limit=100`)).json()) as RowJson[];
    const shown = (await list()).find((r) => r.key === '=cmd')!;
    expect(shown.values).toEqual({ key: 'shadowed', token: '••••cdef' });
    expect(JSON.stringify(await list())).not.toContain(SECRET_VALUE);

    // The row dialog sends back what it was shown, with one field changed.
    const edited = await t.admin('PUT', `${rowsUrl}/${encodeURIComponent('=cmd')}`, {
      values: { ...shown.values, key: 'renamed' },
    });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as RowJson).values).toEqual({ key: 'renamed', token: '••••cdef' });
    const [stored] = await ctx.database.query<{ values: Record<string, unknown> }>(
      `SELECT values FROM data_rows WHERE environment = 'production' AND table_name = 'people' AND key = '=cmd'`,
      [],
    );
    expect(stored!.values).toEqual({ key: 'renamed', token: SECRET_VALUE });

    // A value the user really typed replaces the secret.
    await t.admin('PUT', `${rowsUrl}/${encodeURIComponent('=cmd')}`, { values: { key: 'shadowed', token: 'new' } });
    expect((await list()).find((r) => r.key === '=cmd')!.values).toEqual({ key: 'shadowed', token: 'new' });
    await t.admin('PUT', `${rowsUrl}/${encodeURIComponent('=cmd')}`, {
      values: { key: 'shadowed', token: SECRET_VALUE },
    });
  });

  it('streams a table larger than one read, every row once in key order', async () => {
    await ctx.database.query(
      `WITH t AS (INSERT INTO data_tables (environment, name) VALUES ('staging', 'big') RETURNING name)
       INSERT INTO data_rows (environment, table_name, key, values)
       SELECT 'staging', 'big', lpad(i::text, 5, '0'), jsonb_build_object('n', i, CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END, true)
       FROM generate_series(1, 1234) AS i, t`,
      [],
    );
    const csv = await exportCsv('staging', 'big');
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe('key,even,n,odd');
    expect(lines.at(-1)).toBe('');
    const records = lines.slice(1, -1);
    expect(records).toHaveLength(1234);
    expect(records[0]).toBe('00001,,1,true');
    expect(records[1233]).toBe('01234,true,1234,');
    expect(new Set(records.map((r) => r.split(',')[0])).size).toBe(1234);
  });

  it('answers 404 for a table the environment does not have, and a bad name 400', async () => {
    expect((await exportCsv('editor', 'people')).status).toBe(404);
    expect((await exportCsv('production', 'Bad-Name')).status).toBe(400);
  });

  const search = async (q: string, query = '') => {
    const res = await t.admin('GET', `/environments/production/tables/people/rows?q=${encodeURIComponent(q)}${query}`);
    expect(res.status).toBe(200);
    return { keys: ((await res.json()) as RowJson[]).map((r) => r.key), next: res.headers.get('X-Next-Cursor') };
  };

  it('searches keys and value text, ignoring case, with % and _ taken literally', async () => {
    expect((await search('ALI')).keys).toEqual(['alice']);
    // A value's text, nested objects included as their JSON.
    expect((await search('gold')).keys).toEqual(['alice']);
    expect((await search('second LINE')).keys).toEqual(['bob']);
    expect((await search('true')).keys).toEqual(['bob']);
    expect((await search('-3')).keys).toEqual(['carol']);
    expect((await search('100%')).keys).toEqual(['dave_100%']);
    expect((await search('a_e')).keys).toEqual([]);
    expect((await search('%')).keys).toEqual(['dave_100%']);
    // Field names are not values.
    expect((await search('amount')).keys).toEqual([]);
    expect((await search('nobody')).keys).toEqual([]);
  });

  it('pages search results by cursor and combines with the key prefix', async () => {
    const first = await search('R', '&limit=2');
    expect(first.keys).toEqual(['alice', 'bob']);
    expect(first.next).toBe('bob');
    const rest = await search('R', `&limit=2&cursor=${encodeURIComponent(first.next!)}`);
    expect(rest.keys).toEqual(['carol']);
    expect(rest.next).toBeNull();
    expect((await search('r', '&key=c')).keys).toEqual(['carol']);
  });
});
