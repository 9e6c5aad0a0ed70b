/** The workflow document of docs/workflow-document.md: what the editor saves and the engine runs. */
import { z } from 'zod';

export const NodeIdSchema = z
  .string()
  .min(1, 'required')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only');

// Loose objects: the editor may keep its own presentation fields (width, selected, ...).
export const WorkflowNodeSchema = z.looseObject({
  id: NodeIdSchema,
  type: z.string().min(1, 'required'),
  /** Pins the node definition version; absent means the latest (validateWorkflow pins it). */
  version: z.number().int().positive().optional(),
  label: z.string().max(200).optional(),
  config: z.record(z.string(), z.unknown()).default({}),
  position: z.object({ x: z.number(), y: z.number() }).optional(),
});

export const WorkflowEdgeSchema = z.looseObject({
  id: z.string().min(1, 'required').max(128),
  source: z.string().min(1, 'required'),
  target: z.string().min(1, 'required'),
  /** Output of the source node; absent or null for nodes with one unnamed output. */
  sourceHandle: z.string().nullish(),
  targetHandle: z.string().nullish(),
});

/**
 * A sticky note of the editor: text on the canvas next to the nodes. Saved with the document so it
 * travels with versions and exports; the engine never runs it.
 */
export const WorkflowNoteSchema = z.object({
  id: z.string().min(1, 'required').max(64),
  text: z.string({ error: 'must be text' }).max(5000, 'at most 5000 characters'),
  position: z.object({ x: z.number(), y: z.number() }),
  size: z.object({ width: z.number().positive().max(4000), height: z.number().positive().max(4000) }).optional(),
});

export const WorkflowDocumentSchema = z.looseObject({
  name: z.string().min(1, 'required').max(200),
  description: z.string().max(2000).optional(),
  nodes: z.array(WorkflowNodeSchema).max(500, 'at most 500 nodes'),
  edges: z.array(WorkflowEdgeSchema).max(2000, 'at most 2000 edges').default([]),
  /** Optional, so documents from before notes load unchanged. */
  notes: z.array(WorkflowNoteSchema).max(200, 'at most 200 notes').optional(),
});

export type WorkflowNode = z.output<typeof WorkflowNodeSchema>;
export type WorkflowEdge = z.output<typeof WorkflowEdgeSchema>;
export type WorkflowNote = z.output<typeof WorkflowNoteSchema>;
export type WorkflowDocument = z.output<typeof WorkflowDocumentSchema>;
/** What a caller may hand in: defaults (config, edges) not yet applied. */
export type WorkflowDocumentInput = z.input<typeof WorkflowDocumentSchema>;
