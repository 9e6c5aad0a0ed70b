import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowDoc, WorkflowRecord } from '../src/api/types.js';
import { createCanvasStore } from '../src/canvas/store/createCanvasStore.js';
import { isDirty, isUnversioned, saveStatus } from '../src/canvas/store/document.js';
import { navigate, setNavigationGuard } from '../src/router.js';

const DOC: WorkflowDoc = {
  name: 'Drafts',
  nodes: [
    { id: 'trigger', type: 'stripe.invoice', config: { actions: ['paid'] }, position: { x: 0, y: 0 } },
    { id: 'note', type: 'log', config: { level: 'info', message: 'saved' }, position: { x: 300, y: 0 } },
  ],
  edges: [{ id: 'e1', source: 'trigger', target: 'note' }],
};
const withMessage = (message: string): WorkflowDoc => ({
  ...DOC,
  nodes: DOC.nodes.map((n) => (n.id === 'note' ? { ...n, config: { level: 'info', message } } : n)),
});

const record = (draft: WorkflowDoc | null, etag = '"2.0"'): WorkflowRecord => ({
  id: 'wf_1',
  name: 'Drafts',
  version: 2,
  triggerType: 'stripe.invoice',
  document: DOC,
  warnings: [],
  draft,
  etag,
  published: { staging: null, production: null },
  updatedAt: '2026-12-01T00:00:00.000Z',
});

const messageOf = (s: { nodes: { id: string; data: { config: Record<string, unknown> } }[] }) =>
  s.nodes.find((n) => n.id === 'note')!.data.config.message;

describe('canvas drafts and versions', () => {
  it('opens the draft, saved but not a version, until Save', () => {
    const store = createCanvasStore({ record: record(withMessage('drafted')), view: null });
    const s = () => store.getState();
    expect(messageOf(s())).toBe('drafted');
    expect(isDirty(s())).toBe(false);
    expect(isUnversioned(s())).toBe(true);
    expect(saveStatus(s())).toBe('draft');

    const key = s().docKey;
    s().saved(key, { version: 3, document: withMessage('drafted'), published: s().latest.published }, '"3.1"');
    expect(saveStatus(s())).toBe('saved');
    expect(s().etag).toBe('"3.1"');
  });

  it('an autosave keeps the canvas unversioned; a conflict blocks and reload takes theirs', () => {
    const store = createCanvasStore({ record: record(null), view: null });
    const s = () => store.getState();
    expect(saveStatus(s())).toBe('saved');
    s().setConfig('note', { level: 'info', message: 'mine' });
    expect(saveStatus(s())).toBe('pending');
    s().saved(s().docKey, { version: 2, document: DOC, published: s().latest.published }, '"2.1"', 'draft');
    expect(saveStatus(s())).toBe('draft');

    s().setConfig('note', { level: 'info', message: 'mine again' });
    const theirs = record(withMessage('theirs'), '"2.5"');
    s().conflicted({ current: theirs, mode: 'draft' });
    expect(saveStatus(s())).toBe('conflict');
    s().reload(theirs);
    expect(messageOf(s())).toBe('theirs');
    expect(s()).toMatchObject({ etag: '"2.5"', conflict: null, past: [] });
    expect(saveStatus(s())).toBe('draft');
  });
});

describe('navigation guard', () => {
  let unguard = () => {};
  afterEach(() => unguard());

  it('asks before navigating: false stays, true goes, a promise goes once it resolves true', async () => {
    navigate('/editor/workflows');
    const asked: string[] = [];
    let answer: boolean | Promise<boolean> = false;
    unguard = setNavigationGuard((to) => {
      asked.push(to);
      return answer;
    });
    navigate('/editor/events');
    expect(window.location.pathname).toBe('/editor/workflows');
    answer = true;
    navigate('/editor/events');
    expect(window.location.pathname).toBe('/editor/events');
    let release: (ok: boolean) => void = () => {};
    answer = new Promise<boolean>((r) => {
      release = r;
    });
    navigate('/editor/tables');
    expect(window.location.pathname).toBe('/editor/events');
    release(true);
    await answer;
    await Promise.resolve();
    expect(window.location.pathname).toBe('/editor/tables');
    expect(asked).toEqual(['/editor/events', '/editor/events', '/editor/tables']);

    unguard();
    navigate('/editor/executions');
    expect(window.location.pathname).toBe('/editor/executions');
  });
});
