/**
 * What crosses between the main thread and an engine thread for one run. Everything is structured-cloned, so
 * only plain data travels: the run's input in the task, step records and port calls over the run's own
 * MessagePort, the RunResult as the task's answer. Errors travel as `WireError` and are rebuilt as the
 * engine's error classes, so its retry rules see what the real port threw.
 */

import type { MessagePort } from 'node:worker_threads';
import {
  type EnvName,
  type LogEntry,
  NonRetriableError,
  RetryAfterError,
  type RunResult,
  type StepRecord,
} from '@switchyard/engine';

/** The piscina task: one run, or its continuation after its thread was lost. */
export interface RunTask {
  runId: number;
  /** `workflowId@version`: the thread keeps documents by this key and asks for a missing one. */
  workflowKey: string;
  event: unknown;
  env: EnvName;
  memo: StepRecord[];
  idempotencyScope: string;
  /** `context.secrets` and `context.vars` of the run's environment. */
  secrets?: Record<string, string>;
  vars?: Record<string, unknown>;
  port: MessagePort;
  /** Shared with the main thread: the step executing now, written without a message (see CurrentStep). */
  current: SharedArrayBuffer;
  /** Shared Int32: answers the thread has taken in. Fewer than were sent means the run waits for its thread. */
  received: SharedArrayBuffer;
}

/** What the task answers: the result, and whether a `done` message follows on the run's port. */
export interface RunAnswer {
  result: RunResult;
  awaitDone: boolean;
}

/**
 * The step a run is executing, in shared memory: `nodeId NUL stepKey` as UTF-16 after its length. A thread
 * stuck in user code cannot send anything, yet its main thread can still read where it is stuck, and the
 * common case (short runs) costs no message per step.
 */
export class CurrentStep {
  static readonly UNITS = 512;
  readonly #view: Uint16Array;
  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer((CurrentStep.UNITS + 1) * 2)) {
    this.#view = new Uint16Array(buffer);
  }
  write(nodeId: string, stepKey: string): void {
    const text = `${nodeId}\u0000${stepKey}`.slice(0, CurrentStep.UNITS);
    for (let i = 0; i < text.length; i++) this.#view[i + 1] = text.charCodeAt(i);
    Atomics.store(this.#view, 0, text.length);
  }
  read(): { nodeId: string; stepKey: string } | undefined {
    const length = Atomics.load(this.#view, 0);
    if (length === 0) return undefined;
    const [nodeId = '', stepKey = ''] = String.fromCharCode(...this.#view.subarray(1, length + 1)).split('\u0000');
    return { nodeId, stepKey };
  }
}

/** Key of the pulse an engine thread posts on piscina's channel every PULSE_MS while its event loop runs. */
export const PULSE = 'switchyardPulse';
export const PULSE_MS = 100;
/** A long run's finished steps reach the main thread at least this often (for a budget record, a resume). */
export const STEPS_FLUSH_MS = 200;

/** Ports the thread may call through the main thread; `log` has its own fire-and-forget message. */
export const BRIDGED_PORTS = {
  tables: ['upsert', 'insert', 'update', 'delete', 'query'],
  http: ['request'],
  stripe: ['request'],
  email: ['send'],
} as const;
export type BridgedPort = keyof typeof BRIDGED_PORTS;

export type ThreadMessage =
  /** First message of every task: which thread runs it, so a run over budget can have its thread terminated. */
  | { kind: 'started'; threadId: number }
  /**
   * Finished steps. With `id` (a step to persist eagerly, last in the list) the thread waits until the main
   * thread has stored it; other steps ride along with it, or come every STEPS_FLUSH_MS of a long run.
   */
  | { kind: 'steps'; steps: StepRecord[]; id?: number }
  | { kind: 'call'; id: number; port: BridgedPort; method: string; args: unknown[] }
  | { kind: 'workflow'; id: number }
  | { kind: 'log'; entry: LogEntry }
  /** The task's last message on this port; its answer follows on piscina's own channel. */
  | { kind: 'done' };

export type MainMessage = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

export interface WireError {
  name: string;
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
}

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), retryable: true };
  const wire: WireError = {
    name: error.name,
    message: error.message,
    retryable: !(error instanceof NonRetriableError),
  };
  if (error instanceof RetryAfterError) wire.retryAfterMs = error.retryAfterMs;
  return wire;
}

export function fromWireError(wire: WireError): Error {
  const error =
    wire.retryAfterMs !== undefined
      ? new RetryAfterError(wire.message, wire.retryAfterMs)
      : wire.retryable
        ? new Error(wire.message)
        : new NonRetriableError(wire.message);
  Object.defineProperty(error, 'name', { value: wire.name, configurable: true, writable: true });
  return error;
}
