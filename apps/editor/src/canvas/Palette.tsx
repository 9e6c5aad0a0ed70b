import { StickyNote } from 'lucide-react';
import { type DragEvent, useState } from 'react';
import { CATALOG, CATEGORIES, iconOf } from '../flow/catalog.js';

export const DRAG_TYPE = 'application/x-switchyard-node';
/** What the palette's sticky note item adds (not a node type: notes never run). */
export const NOTE_ITEM = '@note';

/** Node types by category, searchable; drag onto the canvas or click (Enter) to add. */
export function Palette({ onAdd, triggerTaken }: { onAdd: (type: string) => void; triggerTaken: boolean }) {
  const [q, setQ] = useState('');
  const query = q.trim().toLowerCase();
  const matches = CATALOG.filter(
    (e) => !e.deprecated && (!query || `${e.label} ${e.type} ${e.description}`.toLowerCase().includes(query)),
  );
  const onDragStart = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(DRAG_TYPE, type);
    e.dataTransfer.setData('text/plain', type);
    e.dataTransfer.effectAllowed = 'move';
  };
  return (
    <nav className="palette" aria-label="Node palette">
      <input
        type="search"
        placeholder="Search nodes"
        aria-label="Search nodes"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {CATEGORIES.map((cat) => {
        // With its one trigger placed, the other triggers are only noise: say so instead of listing them.
        const items = cat.id === 'trigger' && triggerTaken ? [] : matches.filter((e) => e.category === cat.id);
        if (cat.id === 'trigger' && triggerTaken)
          return (
            <section key={cat.id} aria-label={cat.label}>
              <h3>{cat.label}</h3>
              <p className="hint">This workflow has its trigger; delete it to pick another.</p>
            </section>
          );
        if (!items.length) return null;
        return (
          <section key={cat.id} aria-label={cat.label}>
            <h3>{cat.label}</h3>
            <ul>
              {items.map((e) => {
                return (
                  <li key={e.type}>
                    <button
                      type="button"
                      className="palette-item"
                      draggable
                      onDragStart={(ev) => onDragStart(ev, e.type)}
                      onClick={() => onAdd(e.type)}
                      title={e.description}
                      data-node-type={e.type}
                    >
                      <span className="node-icon" aria-hidden="true">
                        {iconOf(e.type)}
                      </span>
                      <span>{e.label}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
      {matches.length === 0 && <p className="muted">No node matches “{q}”.</p>}
      {(!query || 'sticky note comment'.includes(query)) && (
        <section aria-label="Notes">
          <h3>Notes</h3>
          <button
            type="button"
            className="palette-item cat-note"
            draggable
            onDragStart={(ev) => onDragStart(ev, NOTE_ITEM)}
            onClick={() => onAdd(NOTE_ITEM)}
            title="A sticky note on the canvas, saved with the workflow; it never runs"
            data-node-type={NOTE_ITEM}
          >
            <span className="node-icon" aria-hidden="true">
              <StickyNote size={16} />
            </span>
            <span>Sticky note</span>
          </button>
        </section>
      )}
    </nav>
  );
}
