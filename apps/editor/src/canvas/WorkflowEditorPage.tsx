import '@xyflow/react/dist/style.css';
import { ReactFlowProvider } from '@xyflow/react';
import { api } from '../api/client.js';
import type { Environment, Execution, WorkflowDoc, WorkflowRecord } from '../api/types.js';
import { Link } from '../components/Link.js';
import { useAsync } from '../components/useAsync.js';
import { href } from '../router.js';
import { WorkflowCanvas } from './WorkflowCanvas.js';

interface Loaded {
  record: WorkflowRecord;
  /** In run view: the execution and the document of the version it ran. */
  view: { execution: Execution; document: WorkflowDoc } | null;
}

/** A workflow on the canvas: editable at its latest version, or read-only with a past run drawn on it. */
export default function WorkflowEditorPage({
  env,
  workflowId,
  executionId,
}: {
  env: Environment;
  workflowId: string;
  executionId: string | null;
}) {
  const loaded = useAsync<Loaded>(async () => {
    const record = await api.workflow(workflowId);
    if (!executionId) return { record, view: null };
    const execution = await api.execution(executionId);
    const document =
      execution.workflowVersion === record.version
        ? record.document
        : (await api.version(workflowId, execution.workflowVersion)).document;
    return { record, view: { execution, document } };
  }, [workflowId, executionId]);

  if (loaded.error)
    return (
      <div className="page">
        <p className="error" role="alert">
          {loaded.error}
        </p>
        <Link href={href(env, 'workflows')}>Back to workflows</Link>
      </div>
    );
  if (!loaded.data) return <div className="page-loading">Loading workflow…</div>;
  const { record, view } = loaded.data;
  return (
    <ReactFlowProvider>
      <WorkflowCanvas key={`${record.id}:${executionId ?? 'edit'}`} env={env} record={record} view={view} />
    </ReactFlowProvider>
  );
}
