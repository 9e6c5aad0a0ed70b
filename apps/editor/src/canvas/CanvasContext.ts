import type { ValidationIssue } from '@switchyard/engine';
import { createContext, useContext } from 'react';
import type { StepStatus } from '../api/types.js';

export interface CanvasState {
  issuesByNode: ReadonlyMap<string, readonly ValidationIssue[]>;
  /** Status of each node in the execution shown on the canvas (absent: did not run). */
  runByNode: ReadonlyMap<string, StepStatus | 'running'> | null;
}

export const CanvasContext = createContext<CanvasState>({ issuesByNode: new Map(), runByNode: null });
export const useCanvasState = () => useContext(CanvasContext);
