import { useState } from 'react';
import type { Environment, Execution, WorkflowDoc, WorkflowRecord } from '../api/types.js';
import { FlowArea } from './FlowArea.js';
import { MapDock } from './MapDock.js';
import { NodeInspector } from './NodeInspector.js';
import { Palette } from './Palette.js';
import { PublishDialog } from './PublishDialog.js';
import { RunBanner } from './RunBanner.js';
import { RunSummary } from './RunSummary.js';
import { SaveConflictDialog } from './SaveConflictDialog.js';
import { CanvasStoreProvider, useCanvasStore, useCanvasStoreApi } from './store/context.js';
import { isUnversioned } from './store/document.js';
import { hasTrigger, selectedNode } from './store/selectors.js';
import { TestRunSection } from './TestRunSection.js';
import { Toolbar } from './Toolbar.js';
import { useAutosave } from './useAutosave.js';
import { useKeyboardShortcuts } from './useKeyboardShortcuts.js';
import { usePlaceNode } from './usePlaceNode.js';
import { useRunOverlay } from './useRunOverlay.js';
import { VersionHistory } from './VersionHistory.js';
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
  const { saveNow, overwrite } = useAutosave(workflowId);
  useRunOverlay(view?.execution ?? null);
  const store = useCanvasStoreApi();
  // null: closed; a number: open on that version (from the history); 'latest': open on the latest.
  const [publishing, setPublishing] = useState<number | 'latest' | null>(null);
  const [history, setHistory] = useState(false);
  // Publishing what the canvas shows: a draft is saved as a version first.
  const publishLatest = async () => {
    const s = store.getState();
    if (isUnversioned(s)) await saveNow().catch(() => undefined);
    if (!isUnversioned(store.getState())) setPublishing('latest');
  };
  const selected = useCanvasStore(selectedNode);
  const triggerTaken = useCanvasStore(hasTrigger);
  const placeNode = usePlaceNode();
  useKeyboardShortcuts(saveNow);

  return (
    <div className={`workflow${readOnly ? ' read-only' : ''}`}>
      <Toolbar env={env} saveNow={saveNow} onPublish={() => void publishLatest()} onHistory={() => setHistory(true)}>
        {view && <RunBanner env={env} workflowId={workflowId} inView={view.execution} />}
      </Toolbar>
      <Notice />
      <div className="workflow-body">
        {!readOnly && (
          <div className="left-column">
            <Palette onAdd={(type) => placeNode(type)} triggerTaken={triggerTaken} />
            <MapDock />
          </div>
        )}
        <FlowArea />
        <aside className="side" aria-label="Inspector">
          {!readOnly && <TestRunSection workflowId={workflowId} saveNow={saveNow} />}
          {selected ? (
            <NodeInspector node={selected} />
          ) : view ? (
            <RunSummary env={env} workflowId={workflowId} inView={view.execution} />
          ) : (
            <WorkflowProblems />
          )}
          {readOnly && <MapDock />}
        </aside>
      </div>
      {!readOnly && (
        <>
          <Publishing
            workflowId={workflowId}
            open={publishing !== null}
            version={typeof publishing === 'number' ? publishing : null}
            onClose={() => setPublishing(null)}
          />
          <History
            workflowId={workflowId}
            open={history}
            onClose={() => setHistory(false)}
            onPublish={(v) => {
              setHistory(false);
              setPublishing(v);
            }}
          />
          <SaveConflictDialog overwrite={overwrite} />
        </>
      )}
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

function History(props: { workflowId: string; open: boolean; onClose: () => void; onPublish: (v: number) => void }) {
  const latest = useCanvasStore((s) => s.latest);
  return <VersionHistory {...props} latestVersion={latest.version} published={latest.published} />;
}

function Publishing({
  workflowId,
  open,
  version,
  onClose,
}: {
  workflowId: string;
  open: boolean;
  version: number | null;
  onClose: () => void;
}) {
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
      initialVersion={version}
      onPublished={(target, version) => {
        published(target, version);
        setNotice(`Published v${version} to ${target}.`);
      }}
    />
  );
}
