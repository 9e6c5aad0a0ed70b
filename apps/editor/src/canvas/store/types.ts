import type { ValidationIssue, ValidationResult } from '@switchyard/engine';
import type { Connection, EdgeChange, NodeChange } from '@xyflow/react';
import type {
  Execution,
  ExecutionStep,
  Issue,
  Published,
  PublishTarget,
  StepStatus,
  WorkflowDoc,
  WorkflowRecord,
} from '../../api/types.js';
import type { DocumentMeta, FlowEdge, NoteNode, StepNode } from '../../flow/convert.js';
import type { GroupedIssues } from '../../flow/issues.js';

export interface XY {
  x: number;
  y: number;
}

/** What undo/redo restores: the document as edited, without React Flow's transient selection and drag flags. */
export interface Snapshot {
  meta: DocumentMeta;
  nodes: StepNode[];
  edges: FlowEdge[];
  notes: NoteNode[];
}

/** Where a node is added: dropped at a point, after a node's output, or near the middle of the view. */
export type Placement = { at: XY } | { from: { source: string; handle: string | null } } | { center: XY };

/** The node picker opened from a "+" on an output handle, at that point of the canvas (px from its corner). */
export interface PickerRequest {
  source: string;
  handle: string | null;
  /** The source node's title, for the picker's heading. */
  title: string;
  x: number;
  y: number;
}

export interface LatestVersion {
  version: number;
  document: WorkflowDoc;
  published: Published;
}

export interface SaveFailure {
  /** The document key that failed; an edit after it makes the failure stale. */
  key: string;
  message: string;
  issues: Issue[];
}

/** A save the server refused with 412: someone else saved since this canvas loaded. */
export interface SaveConflict {
  /** The workflow as the server has it now. */
  current: WorkflowRecord;
  /** Whether the refused write was an autosaved draft or a Save (a version). */
  mode: 'draft' | 'version';
}

export interface RunOverlay {
  execution: Execution;
  steps: Map<string, ExecutionStep[]>;
  status: Map<string, StepStatus>;
}

export interface GraphSlice {
  readOnly: boolean;
  nodes: StepNode[];
  edges: FlowEdge[];
  notes: NoteNode[];
  /** Nodes just added or pasted: the canvas pans to show them (`seq` tells repeated requests apart). */
  reveal: { ids: string[]; seq: number } | null;
  picker: PickerRequest | null;
  openPicker: (request: PickerRequest | null) => void;
  /** Whether the mini map is shown (fitting then keeps its corner free). */
  mapOpen: boolean;
  setMapOpen: (open: boolean) => void;
  /** A short message shown over the canvas until its animation ends. */
  notice: string | null;
  setNotice: (notice: string | null) => void;
  onNodesChange: (changes: NodeChange<StepNode | NoteNode>[]) => void;
  onEdgesChange: (changes: EdgeChange<FlowEdge>[]) => void;
  /** Before React Flow deletes the selection (Delete key): records history; false keeps a read-only graph. */
  beforeDelete: () => boolean;
  beforeDrag: () => void;
  isValidConnection: (c: Connection | FlowEdge) => boolean;
  connect: (source: string, sourceHandle: string | null, target: string) => void;
  disconnect: (edgeId: string) => void;
  /**
   * `at`: dropped there; `from`: connected after that output; `center`: after the one selected node, or
   * else near that point; in free space in the last two cases.
   */
  addNode: (type: string, place: Placement) => void;
  addNote: (center: XY) => void;
  setNoteText: (id: string, text: string) => void;
  selectAll: () => void;
  updateNode: (id: string, change: (n: StepNode) => StepNode, historyKey: string) => void;
  setConfig: (id: string, config: Record<string, unknown>) => void;
  setLabel: (id: string, label: string) => void;
  deleteNode: (id: string) => void;
  /** Moves nodes to new positions (auto-layout), as one undoable step. */
  placeNodes: (nodes: StepNode[]) => void;
  copy: () => void;
  paste: () => void;
}

export interface HistorySlice {
  past: Snapshot[];
  future: Snapshot[];
  lastEdit: { key: string; at: number } | null;
  /** Call before a change; `key` names coalescable edits (e.g. `config:route`). */
  record: (key?: string) => void;
  undo: () => void;
  redo: () => void;
}

export interface DocumentSlice {
  meta: DocumentMeta;
  /** The document as saved would be, serialised: what autosave compares. */
  docKey: string;
  validation: ValidationResult;
  /** Local validation errors and the server's answer to the last failed save of this very document. */
  errors: ValidationIssue[];
  issues: GroupedIssues;
  /** The document the server holds for this workflow: its draft, or else its latest version. */
  savedKey: string;
  /** The latest saved version's document: what Save compares against. */
  versionKey: string;
  /** The ETag of what this canvas last read or wrote; every save sends it as If-Match. */
  etag: string;
  saving: boolean;
  failure: SaveFailure | null;
  conflict: SaveConflict | null;
  latest: LatestVersion;
  setName: (name: string) => void;
  setSaving: (saving: boolean) => void;
  /** The server stored `key`: as a new version (Save) or as the draft (autosave). */
  saved: (key: string, latest: LatestVersion, etag?: string, kind?: 'version' | 'draft') => void;
  conflicted: (conflict: SaveConflict | null) => void;
  /** Replaces the canvas with what the server has (after a conflict, "reload theirs"). */
  reload: (record: WorkflowRecord) => void;
  saveFailed: (failure: SaveFailure) => void;
  published: (target: PublishTarget, version: number) => void;
}

export interface RunSlice {
  /** The test run started from this canvas, polled until it finishes. */
  testRunId: string | null;
  /** The execution drawn on the canvas: node status and the edges it took. */
  run: RunOverlay | null;
  runError: string | null;
  startedTestRun: (id: string | null) => void;
  showRun: (execution: Execution | null, error?: string | null) => void;
  /** The sample event chosen for previews and test runs (by type); null: the trigger's preferred one. */
  sampleChoice: string | null;
  chooseSample: (type: string) => void;
}

export type CanvasStore = GraphSlice & HistorySlice & DocumentSlice & RunSlice;

export type SetState = (patch: Partial<CanvasStore> | ((s: CanvasStore) => Partial<CanvasStore>)) => void;
export type GetState = () => CanvasStore;
