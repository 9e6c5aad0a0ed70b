import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { CATALOG, CATEGORIES, iconOf } from '../flow/catalog.js';
import { useCanvasStore } from './store/context.js';

/** The palette as a menu at a "+" of an output handle: the chosen node is added connected from that output. */
export function NodePicker() {
  const picker = useCanvasStore((s) => s.picker);
  const openPicker = useCanvasStore((s) => s.openPicker);
  const addNode = useCanvasStore((s) => s.addNode);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const query = q.trim().toLowerCase();
  const items = useMemo(
    () =>
      CATEGORIES.filter((c) => c.id !== 'trigger').flatMap((c) =>
        CATALOG.filter(
          (e) =>
            e.category === c.id &&
            !e.deprecated &&
            (!query || `${e.label} ${e.type} ${e.description}`.toLowerCase().includes(query)),
        ),
      ),
    [query],
  );
  // A new request (another "+") starts a fresh search.
  useEffect(() => {
    setQ('');
    setActive(0);
    if (picker) input.current?.focus();
  }, [picker]);
  if (!picker) return null;

  const pick = (type: string) => addNode(type, { from: { source: picker.source, handle: picker.handle } });
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') openPicker(null);
    else if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, items.length - 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else if (e.key === 'Enter' && items[active]) pick(items[active].type);
    else return;
    e.preventDefault();
  };
  const label = picker.handle && picker.handle !== 'main' ? `${picker.title} › ${picker.handle}` : picker.title;

  return (
    <div
      className="node-picker"
      role="dialog"
      aria-label="Add a node"
      style={{ left: picker.x, top: picker.y }}
      onKeyDown={onKeyDown}
    >
      <p className="node-picker-head">
        After <strong>{label}</strong>
      </p>
      <input
        ref={input}
        type="search"
        placeholder="Search nodes"
        aria-label="Search nodes to add"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setActive(0);
        }}
        onBlur={(e) => {
          if (!e.currentTarget.parentElement?.contains(e.relatedTarget as Node | null)) openPicker(null);
        }}
      />
      <ul aria-label="Node types">
        {items.map((e, i) => (
          <li key={e.type}>
            <button
              type="button"
              className={`palette-item cat-${e.category}${i === active ? ' active' : ''}`}
              aria-current={i === active}
              onMouseEnter={() => setActive(i)}
              onClick={() => pick(e.type)}
              data-node-type={e.type}
              title={e.description}
            >
              <span className="node-icon" aria-hidden="true">
                {iconOf(e.type)}
              </span>
              <span>{e.label}</span>
            </button>
          </li>
        ))}
      </ul>
      {items.length === 0 && <p className="muted small">No node matches “{q}”.</p>}
    </div>
  );
}
