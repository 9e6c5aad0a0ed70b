import { useState } from 'react';
import type { Environment, Execution, WorkflowDoc, WorkflowRecord } from '../api/types.js';
import { FlowArea } from './FlowArea.js';
import { NodeInspector } from './NodeInspector.js';
import { Palette } from './Palette.js';
import { PublishDialog } from './PublishDialog.js';
import { RunBanner } from './RunBanner.js';
import { CanvasStoreProvider, useCanvasStore } from './store/context.js';
import { hasTrigger, selectedNode } from './store/selectors.js';
import { TestRunSection } from './TestRunSection.js';
import { Toolbar } from './Toolbar.js';
import { useAutosave } from './useAutosave.js';
import { usePlaceNode } from './usePlaceNode.js';
import { useRunOverlay } from './useRunOverlay.js';
import { WorkflowProblems } from './WorkflowProblems.js';

interface Props {
  env: Environment;
  record: WorkflowRecord;
  /** In run view: the execution and the document of the version it ran; the canvas is then read-only. */
  view: { execution: Execution; document: WorkflowDoc } | null;
}

/** One open workflow: its own store, the toolbar, palette, canvas and the inspector side. */
export function WorkflowCanvas({ env, record, view }: Props) {
  return (
    <CanvasStoreProvider init={{ record, view }}>
      <WorkflowLayout env={env} workflowId={record.id} view={view} />
    </CanvasStoreProvider>
  );
}

function WorkflowLayout({ env, workflowId, view }: { env: Environment; workflowId: string; view: Props['view'] }) {
  const readOnly = view !== null;
  const { saveNow } = useAutosave(workflowId);
  useRunOverlay(view?.execution ?? null);
  const [publishing, setPublishing] = useState(false);
  const selected = useCanvasStore(selectedNode);
  const triggerTaken = useCanvasStore(hasTrigger);
  const placeNode = usePlaceNode();

  return (
    <div className={`workflow${readOnly ? ' read-only' : ''}`}>
      <Toolbar env={env} saveNow={saveNow} onPublish={() => setPublishing(true)}>
        {view && <RunBanner env={env} workflowId={workflowId} inView={view.execution} />}
      </Toolbar>
      <Notice />
      <div className="workflow-body">
        {!readOnly && <Palette onAdd={(type) => placeNode(type)} triggerTaken={triggerTaken} />}
        <FlowArea saveNow={saveNow} />
        <aside className="side" aria-label="Inspector">
          {!readOnly && <TestRunSection workflowId={workflowId} saveNow={saveNow} />}
          {selected ? <NodeInspector node={selected} /> : <WorkflowProblems />}
        </aside>
      </div>
      {!readOnly && <Publishing workflowId={workflowId} open={publishing} onClose={() => setPublishing(false)} />}
    </div>
  );
}

function Notice() {
  const notice = useCanvasStore((s) => s.notice);
  const setNotice = useCanvasStore((s) => s.setNotice);
  if (!notice) return null;
  return (
    <p className="notice" role="status" onAnimationEnd={() => setNotice(null)}>
      {notice}
    </p>
  );
}

function Publishing({ workflowId, open, onClose }: { workflowId: string; open: boolean; onClose: () => void }) {
  const latest = useCanvasStore((s) => s.latest);
  const published = useCanvasStore((s) => s.published);
  const setNotice = useCanvasStore((s) => s.setNotice);
  return (
    <PublishDialog
      open={open}
      onClose={onClose}
      workflowId={workflowId}
      latestVersion={latest.version}
      latestDocument={latest.document}
      published={latest.published}
      onPublished={(target, version) => {
        published(target, version);
        setNotice(`Published v${version} to ${target}.`);
      }}
    />
  );
}
