import { type NodeProps, NodeResizer } from '@xyflow/react';
import { StickyNote } from 'lucide-react';
import { memo } from 'react';
import type { NoteNode } from '../flow/convert.js';
import { useCanvasStore } from './store/context.js';

/** A sticky note: a text to explain the workflow to the next person; resized by its corners when selected. */
function NoteViewImpl({ id, data, selected }: NodeProps<NoteNode>) {
  const readOnly = useCanvasStore((s) => s.readOnly);
  const setNoteText = useCanvasStore((s) => s.setNoteText);
  const record = useCanvasStore((s) => s.record);
  return (
    <div className={`note${selected ? ' selected' : ''}`} data-note-id={id}>
      {!readOnly && (
        <NodeResizer
          isVisible={selected}
          minWidth={160}
          minHeight={90}
          lineClassName="note-resize"
          onResizeStart={() => record()}
        />
      )}
      <div className="note-head" aria-hidden="true">
        <StickyNote size={13} /> Note
      </div>
      <textarea
        className="note-text nodrag nowheel"
        aria-label="Note text"
        placeholder="Write a note…"
        value={data.text}
        readOnly={readOnly}
        maxLength={5000}
        onChange={(e) => setNoteText(id, e.target.value)}
      />
    </div>
  );
}

export const NoteView = memo(NoteViewImpl);
