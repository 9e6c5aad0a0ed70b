import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TRIGGER_FAMILIES } from '../src/index.js';

// docs/triggers.md is the contract others read; it must say what the code does.
const doc = readFileSync(new URL('../../../docs/triggers.md', import.meta.url), 'utf8');

describe('docs/triggers.md', () => {
  const rows = doc
    .split('\n')
    .filter((line) => line.startsWith('| On '))
    .map((line) => line.split('|').map((cell) => cell.trim()));

  it.each(TRIGGER_FAMILIES.map((f) => [f.nodeType, f] as const))('lists %s with its label and actions', (_, f) => {
    const row = rows.find((cells) => cells[1] === `${f.label} (\`${f.nodeType}\`)`);
    expect(row, `no row for ${f.nodeType}`).toBeDefined();
    expect(row![3]).toBe(f.actions.join(', '));
  });
});
