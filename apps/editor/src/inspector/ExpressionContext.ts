import type { RunContext } from '@switchyard/engine';
import { createContext, useContext } from 'react';
import type { PathSuggestion } from './contextPaths.js';

export interface ExpressionEnv {
  /** Paths offered inside `{{ }}`. */
  paths: readonly PathSuggestion[];
  /** Context the previews render against (from the sample event), null without one. */
  context: RunContext | null;
  /** False for nodes whose config is not template-rendered (triggers). */
  templates: boolean;
}

export const ExpressionEnvContext = createContext<ExpressionEnv>({ paths: [], context: null, templates: false });

export const useExpressionEnv = () => useContext(ExpressionEnvContext);
