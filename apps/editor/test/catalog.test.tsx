import { createRegistry, defineNode } from '@switchyard/engine';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Mail } from 'lucide-react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CATALOG, CatalogContext, createCatalog, iconOf } from '../src/flow/catalog.js';
import type { StepNode } from '../src/flow/convert.js';
import { hasIcon, StripeMark } from '../src/flow/icons.js';
import { Inspector } from '../src/inspector/Inspector.js';

afterEach(cleanup);

/** A node type the editor has never heard of: everything it shows must come from this definition. */
const scriptNode = defineNode({
  type: 'acme.script',
  version: 1,
  category: 'integrations',
  label: 'Run script',
  description: 'Sends a script to the ACME runner.',
  config: z.object({
    source: z.string().min(1),
    // Named like fields that used to be multi-line by name; without a hint it stays one line.
    text: z.string().optional(),
    notes: z.string().optional(),
    token: z.string().optional(),
    targets: z.array(z.object({ id: z.string().min(1) })).default([]),
  }),
  outputs: (config) => [...config.targets.map((t) => t.id), 'fallback'],
  fixedOutputs: ['fallback'],
  draftOutputs: (config) => [
    ...(Array.isArray(config.targets) ? config.targets.map((t) => String((t as { id?: unknown }).id ?? '')) : []),
    'fallback',
  ],
  icon: 'mail',
  summary: (c) => `runs ${String(c.source ?? '').length} characters`,
  externalEffects: true,
  initialConfig: { source: '{ "hello": true }', targets: [] },
  ui: {
    fields: {
      source: { widget: 'code', language: 'json' },
      notes: { widget: 'multiline' },
      token: { widget: 'secret' },
    },
  },
  run: () => ({ output: null, handles: ['fallback'] }),
});

const catalog = createCatalog(createRegistry().register(scriptNode));

describe('the editor catalogue', () => {
  it('reads palette entry, icon, summary, preset and outputs from the node definition', () => {
    const entry = catalog.entryOf('acme.script')!;
    expect(entry).toMatchObject({ label: 'Run script', category: 'integrations', icon: 'mail' });
    expect(catalog.entries.map((e) => e.type)).toContain('acme.script');
    expect(catalog.iconOf('acme.script').type).toBe(Mail);
    expect(catalog.summaryOf('acme.script', { source: 'abcd' })).toBe('runs 4 characters');
    expect(catalog.defaultConfig('acme.script')).toEqual({ source: '{ "hello": true }', targets: [] });
    // Parsed config: the definition's outputs; a draft that does not parse yet: its draft outputs.
    expect(catalog.nodeOutputs('acme.script', { source: 'x', targets: [{ id: 'eu' }] })).toEqual(['eu', 'fallback']);
    expect(catalog.nodeOutputs('acme.script', { targets: [{ id: 'us' }] })).toEqual(['us', 'fallback']);
  });

  it('draws a real icon for every built-in node type', () => {
    for (const entry of CATALOG) expect(hasIcon(entry.icon), `${entry.type} (${entry.icon})`).toBe(true);
    expect(iconOf('stripe.invoice').type).toBe(StripeMark);
  });
});

/** The inspector on one acme.script node, keeping the edited config as the canvas would. */
function EditedScript({
  initial,
  onChange,
}: {
  initial: Record<string, unknown>;
  onChange: (config: Record<string, unknown>) => void;
}) {
  const [value, setValue] = useState(initial);
  const node: StepNode = {
    id: 'run',
    type: 'step',
    position: { x: 0, y: 0 },
    data: { type: 'acme.script', config: value },
  };
  return (
    <CatalogContext.Provider value={catalog}>
      <Inspector
        node={node}
        issues={[]}
        steps={[]}
        readOnly={false}
        onConfigChange={(v) => {
          onChange(v);
          setValue(v);
        }}
        onLabelChange={() => {}}
        onDelete={() => {}}
      />
    </CatalogContext.Provider>
  );
}

describe('the inspector', () => {
  function renderInspector(config: Record<string, unknown>) {
    const changes: Record<string, unknown>[] = [];
    render(<EditedScript initial={config} onChange={(v) => changes.push(v)} />);
    return { last: () => changes.at(-1) };
  }

  it('renders the widgets the definition hints at, and none by field name', () => {
    const form = renderInspector({ source: '{}' });
    expect(screen.getByRole('heading', { name: 'Run script' })).toBeTruthy();
    expect(screen.getByText('Sends a script to the ACME runner.')).toBeTruthy();

    const source = screen.getByLabelText(/^Source/);
    expect(source.tagName).toBe('TEXTAREA');
    expect(source.classList.contains('code')).toBe(true);
    expect(source.getAttribute('data-language')).toBe('json');
    fireEvent.change(source, { target: { value: '{ "a": 1 }' } });
    expect(form.last()).toEqual({ source: '{ "a": 1 }' });

    const notes = screen.getByLabelText(/^Notes/);
    expect(notes.tagName).toBe('TEXTAREA');
    expect(notes.classList.contains('code')).toBe(false);

    const text = screen.getByLabelText(/^Text/);
    expect(text.tagName).toBe('INPUT');
    expect(text.getAttribute('type')).toBe('text');

    expect(screen.getByLabelText(/^Token/).getAttribute('type')).toBe('password');
  });

  it('applies a built-in definition hint the same way: email html is code, subject one line', () => {
    const builtins = createCatalog(createRegistry());
    const node: StepNode = {
      id: 'mail',
      type: 'step',
      position: { x: 0, y: 0 },
      data: { type: 'email.send', config: builtins.defaultConfig('email.send') },
    };
    render(
      <CatalogContext.Provider value={builtins}>
        <Inspector
          node={node}
          issues={[]}
          steps={[]}
          readOnly={false}
          onConfigChange={() => {}}
          onLabelChange={() => {}}
          onDelete={() => {}}
        />
      </CatalogContext.Provider>,
    );
    expect(screen.getByLabelText(/^HTML/).getAttribute('data-language')).toBe('html');
    expect(screen.getByLabelText(/^Text/).tagName).toBe('TEXTAREA');
    expect(screen.getByLabelText(/^Subject/).tagName).toBe('INPUT');
  });
});
