/**
 * What crosses between the main thread and an engine thread for one run. Everything is structured-cloned, so
 * only plain data travels: the run's input in the task, step records and port calls over the run's own
 * MessagePort, the RunResult as the task's answer. Errors travel as `WireError` and are rebuilt as the
 * engine's error classes, so its retry rules see what the real port threw.
 */

import type { MessagePort } from 'node:worker_threads';
import { type EnvName, type LogEntry, NonRetriableError, RetryAfterError, type StepRecord } from '@switchyard/engine';

/** The piscina task: one run, or its continuation after its thread was lost. */
export interface RunTask {
  runId: number;
  /** `workflowId@version`: the thread keeps documents by this key and asks for a missing one. */
  workflowKey: string;
  event: unknown;
  env: EnvName;
  memo: StepRecord[];
  idempotencyScope: string;
  port: MessagePort;
}

/** Key of the pulse an engine thread posts on piscina's channel every PULSE_MS while its event loop runs. */
export const PULSE = 'switchyardPulse';
export const PULSE_MS = 100;

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
  /** A node's step begins (before its templates are evaluated): names the node a budget overrun stopped at. */
  | { kind: 'node'; nodeId: string; stepKey: string }
  /** A step finished; with `id` the thread waits until the main thread has stored it. */
  | { kind: 'step'; step: StepRecord; id?: number }
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
