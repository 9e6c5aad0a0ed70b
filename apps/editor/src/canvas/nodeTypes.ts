import type { NodeTypes } from '@xyflow/react';
import { NOTE_NODE, STEP_NODE } from '../flow/convert.js';
import { NoteView } from './NoteView.js';
import { StepNodeView } from './StepNodeView.js';

/** Defined once at module level so React Flow never sees a new object (which would remount every node). */
export const nodeTypes: NodeTypes = { [STEP_NODE]: StepNodeView, [NOTE_NODE]: NoteView };
