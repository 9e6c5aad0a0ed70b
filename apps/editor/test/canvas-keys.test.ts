// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fitsLegibly } from '../src/canvas/fit.js';
import { freeSpot } from '../src/canvas/placement.js';
import { isTypingTarget } from '../src/canvas/useKeyboardShortcuts.js';

describe('canvas shortcuts', () => {
  it('leave keys typed into fields, rich text and CodeMirror alone, and act everywhere else', () => {
    document.body.innerHTML = `
      <input id="field"><textarea id="area"></textarea><select id="pick"></select>
      <div class="cm-editor"><div class="cm-content" id="cm"><span id="cm-line">x</span></div></div>
      <div contenteditable="true" id="rich"></div>
      <div class="react-flow__pane" id="pane"></div><aside><button id="panel-button">Save</button></aside>`;
    const el = (id: string) => document.getElementById(id);
    for (const id of ['field', 'area', 'pick', 'cm', 'cm-line', 'rich']) expect(isTypingTarget(el(id)), id).toBe(true);
    for (const id of ['pane', 'panel-button']) expect(isTypingTarget(el(id)), id).toBe(false);
    expect(isTypingTarget(document.body)).toBe(false);
  });
});

describe('canvas placement and fit', () => {
  it('finds the nearest free spot below, then above, then in the next column', () => {
    const size = { width: 240, height: 96 };
    const at = (x: number, y: number) => ({ x, y, ...size });
    expect(freeSpot({ x: 0, y: 0 }, size, [])).toEqual({ x: 0, y: 0 });
    expect(freeSpot({ x: 0, y: 0 }, size, [at(0, 0)])).toEqual({ x: 0, y: 128 });
    expect(freeSpot({ x: 0, y: 0 }, size, [at(0, 0), at(0, 128)])).toEqual({ x: 0, y: -128 });
  });

  it('fits a small graph whole and a wide one only from its start', () => {
    const node = (x: number) => ({ position: { x, y: 0 }, measured: { width: 240, height: 96 } });
    const view = { width: 710, height: 700 };
    expect(fitsLegibly([node(0), node(310), node(620)] as never, view)).toBe(true);
    expect(fitsLegibly([node(0), node(310), node(620), node(930)] as never, view)).toBe(false);
  });
});
