/**
 * runWorkflow walks a validated workflow from its trigger along the edges.
 *
 * Memoization (after inngest): every finished step is keyed by node id plus
 * loop indexes (`notify[2]`). A caller that passes earlier step records as
 * `memo` gets those steps' outputs back without running them again, so a
 * resumed run never repeats a finished side effect.
 *
 * Retries: a retryable failure with attempts left either waits in-process
 * (when `ports.sleep` exists and the delay is at most
 * `limits.maxInlineRetryDelayMs`) or ends the run with `status: 'retry'` and
 * `retryAt`; the caller schedules a new run with the recorded steps as memo,
 * and the failed step runs again with the next attempt number.
 */

import { type EnvName, type EventContext, type RunContext, toEventContext } from './context.js';
import type { WorkflowNode } from './document.js';
import {
  describeError,
  isRetryable,
  LimitExceededError,
  NonRetriableError,
  RetryAfterError,
  type StepError,
} from './errors.js';
import { DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits, resolveTemplates } from './expressions.js';
import { buildGraph, type Graph, handleOf, reachableFrom } from './graph.js';
import type { Ports } from './ports.js';
import { type AnyNodeDefinition, type NodeRegistry, outputsOf } from './registry.js';
import { NO_RETRY, type RetryPolicy, retryDelay } from './retry.js';
import { createRedactor, MissingSecretError, type Redactor, referencedSecrets } from './secrets.js';
import { triggerMatches } from './triggers/trigger-nodes.js';
import { type ValidWorkflow, validateWorkflow } from './validate.js';

export interface RunLimits {
  /** Node executions per run (memoized steps count too). */
  maxSteps: number;
  /** Items one loop node may iterate over. */
  maxLoopIterations: number;
  /** Wall time of one runWorkflow call, by `ports.now()`. */
  maxDurationMs: number;
  /** Longest retry delay waited in-process (needs `ports.sleep`); longer ones return `status: 'retry'`. */
  maxInlineRetryDelayMs: number;
  expressions: ExpressionLimits;
}

export const DEFAULT_RUN_LIMITS: RunLimits = {
  maxSteps: 1_000,
  maxLoopIterations: 1_000,
  maxDurationMs: 5 * 60_000,
  maxInlineRetryDelayMs: 5_000,
  expressions: DEFAULT_EXPRESSION_LIMITS,
};

export type StepStatus = 'succeeded' | 'failed' | 'skipped';

export interface StepRecord {
  /** Memo key: node id plus loop indexes, e.g. `notify` or `notify[2]`. */
  stepKey: string;
  nodeId: string;
  nodeType: string;
  loopPath: number[];
  status: StepStatus;
  /** The resolved config the node ran with. */
  input?: unknown;
  output?: unknown;
  /** Outputs followed (switch case, if branch...), so a memoized step routes the same way. */
  handles?: string[];
  error?: StepError;
  /** 1-based; 0 for skipped steps. */
  attempt: number;
  startedAt: number;
  finishedAt: number;
  /** On a failed attempt that will be retried: when. */
  retryAt?: number;
}

interface RunResultBase {
  /** Every step of the run in order, memoized ones included. */
  steps: StepRecord[];
  /** Step keys actually executed by this call (not memoized, not skipped). */
  executed: string[];
  startedAt: number;
  finishedAt: number;
}

export type RunResult =
  | (RunResultBase & { status: 'succeeded' })
  | (RunResultBase & { status: 'failed'; error: StepError; nodeId?: string })
  /** A step failed transiently and its next attempt is due at `retryAt`: call again with `memo: result.steps`. */
  | (RunResultBase & {
      status: 'retry';
      retryAt: number;
      nodeId: string;
      stepKey: string;
      nextAttempt: number;
      error: StepError;
    })
  /** The trigger does not fire on this event type/action; nothing ran. */
  | (RunResultBase & { status: 'skipped'; reason: string });

export type RunStatus = RunResult['status'];

type Outcome = RunResult extends infer R ? (R extends unknown ? Omit<R, keyof RunResultBase> : never) : never;

export interface RunOptions {
  /** A workflow document; it is validated (and versions pinned) before running. */
  workflow: unknown;
  /** A Stripe event object, or a context built with buildEventContext. */
  event: unknown;
  env?: EnvName;
  ports: Ports;
  /** Steps recorded by an earlier call for the same run; succeeded ones are not run again. */
  memo?: readonly StepRecord[] | Readonly<Record<string, StepRecord>>;
  limits?: Partial<Omit<RunLimits, 'expressions'>> & { expressions?: Partial<ExpressionLimits> };
  /** Called as each step finishes (and for each failed attempt), for the server to persist. */
  onStep?: (step: StepRecord) => void | Promise<void>;
  /** The node types the workflow may use, e.g. `defaultRegistry` or `createRegistry().register(...)`. */
  registry: NodeRegistry;
  /**
   * The environment's secrets, as `context.secrets`. Their values reach the ports; every step record, error,
   * log entry and result this call hands back has them replaced by their masks.
   */
  secrets?: Readonly<Record<string, string>>;
  /** The environment's variables, as `context.vars`. */
  vars?: Readonly<Record<string, unknown>>;
  /** Part of idempotency keys after the environment, e.g. the workflow id, so two workflows on one event do not collide. */
  idempotencyScope?: string;
}

/** What a step gave the walk: its output, the outputs to follow, and for scope openers the items. */
interface Executed {
  output?: unknown;
  handles: readonly string[];
  items?: readonly unknown[];
}

interface Frame {
  steps: Record<string, unknown>;
  loopPath: number[];
  item?: unknown;
  index?: number;
}

/** Unwinds all scopes once the run's outcome is known. */
class Halt {
  constructor(readonly result: Outcome) {}
}

/**
 * Validation results by document object: a worker runs the same stored version on thousands of events, and
 * validating (parsing every template) costs more than running. Callers must not mutate a document after
 * running it; stored versions are immutable, and the editor replaces documents rather than editing them.
 */
const validated = new WeakMap<
  object,
  { registry: NodeRegistry; limits: string; result: ReturnType<typeof validateWorkflow> }
>();

function validateOnce(
  workflow: unknown,
  registry: NodeRegistry,
  expressionLimits: ExpressionLimits,
): ReturnType<typeof validateWorkflow> {
  if (typeof workflow !== 'object' || workflow === null)
    return validateWorkflow(workflow, { registry, expressionLimits });
  const limits = JSON.stringify(expressionLimits);
  const hit = validated.get(workflow);
  if (hit && hit.registry === registry && hit.limits === limits) return hit.result;
  const result = validateWorkflow(workflow, { registry, expressionLimits });
  validated.set(workflow, { registry, limits, result });
  return result;
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
  const { ports } = options;
  const startedAt = ports.now();
  const steps: StepRecord[] = [];
  const executed: string[] = [];
  const redact = createRedactor(options.secrets);
  // Steps are redacted as they are made; the outcome's error may come from outside a step.
  const finish = (r: Outcome): RunResult =>
    ({ ...redact(r), steps, executed, startedAt, finishedAt: ports.now() }) as RunResult;

  const { registry } = options;
  const limits: RunLimits = {
    ...DEFAULT_RUN_LIMITS,
    ...options.limits,
    expressions: { ...DEFAULT_RUN_LIMITS.expressions, ...options.limits?.expressions },
  };

  const validation = validateOnce(options.workflow, registry, limits.expressions);
  if (!validation.ok) {
    return finish({
      status: 'failed',
      error: { name: 'InvalidWorkflow', message: validation.errors.map((e) => e.text).join('; '), retryable: false },
    });
  }
  let event: EventContext;
  try {
    event = toEventContext(options.event);
  } catch (err) {
    return finish({ status: 'failed', error: { ...describeError(err), retryable: false } });
  }

  const run = new Interpreter(
    validation.workflow,
    event,
    options,
    registry,
    limits,
    startedAt,
    steps,
    executed,
    redact,
  );
  const trigger = run.trigger;
  if (!triggerMatches(trigger, event.type)) {
    return finish({ status: 'skipped', reason: `trigger ${trigger.type} does not fire on ${event.type}` });
  }
  try {
    await run.scope(run.topScope, new Set([trigger.id]), { steps: {}, loopPath: [] });
    return finish({ status: 'succeeded' });
  } catch (err) {
    if (err instanceof Halt) return finish(err.result);
    return finish({ status: 'failed', error: describeError(err) });
  }
}

class Interpreter {
  readonly trigger: WorkflowNode;
  readonly topScope: string[];
  private readonly graph: Graph;
  private readonly nodes: Map<string, WorkflowNode>;
  /** Per scope-opening node (loop): every node of its body, and its direct members in order. */
  private readonly scopeBodies = new Map<string, Set<string>>();
  private readonly scopeMembers = new Map<string, string[]>();
  private readonly memo: Map<string, StepRecord>;
  private readonly deadline: number;
  private stepCount = 0;
  private readonly secrets: Record<string, string>;
  private readonly vars: Record<string, unknown>;

  constructor(
    workflow: ValidWorkflow,
    private readonly event: EventContext,
    private readonly options: RunOptions,
    private readonly registry: NodeRegistry,
    private readonly limits: RunLimits,
    startedAt: number,
    private readonly steps: StepRecord[],
    private readonly executed: string[],
    private readonly redact: Redactor,
  ) {
    this.secrets = { ...options.secrets };
    this.vars = { ...options.vars };
    this.graph = buildGraph(workflow);
    this.nodes = new Map(workflow.nodes.map((n) => [n.id, n]));
    this.trigger = workflow.nodes.find((n) => this.def(n).category === 'trigger')!;
    const order = this.graph.order!;
    for (const n of workflow.nodes) {
      const scope = this.def(n).scope;
      if (scope) this.scopeBodies.set(n.id, reachableFrom(this.graph, n.id, [scope.each]));
    }
    // A node belongs to the innermost scope whose body holds it; everything else is top level.
    const inAnyBody = (id: string, within?: Set<string>) =>
      [...this.scopeBodies].some(([opener, body]) => body.has(id) && (!within || within.has(opener)));
    this.topScope = order.filter((id) => !inAnyBody(id));
    for (const [opener, body] of this.scopeBodies) {
      this.scopeMembers.set(
        opener,
        order.filter((id) => body.has(id) && !inAnyBody(id, body)),
      );
    }
    const memo = options.memo ?? [];
    this.memo = new Map(Array.isArray(memo) ? memo.map((s) => [s.stepKey, s]) : Object.entries(memo));
    this.deadline = startedAt + limits.maxDurationMs;
  }

  private def(node: WorkflowNode): AnyNodeDefinition {
    return this.registry.get(node.type, node.version)!;
  }

  private get ports(): Ports {
    return this.options.ports;
  }

  async scope(ids: readonly string[], seeds: Set<string>, frame: Frame): Promise<void> {
    const active = new Set(seeds);
    for (const id of ids) {
      const node = this.nodes.get(id)!;
      if (!active.has(id)) {
        await this.skip(node, frame);
        for (const inner of this.scopeBodies.get(id) ?? []) await this.skip(this.nodes.get(inner)!, frame);
        continue;
      }
      const result = await this.execute(node, frame);
      const outgoing = this.graph.outgoing.get(id) ?? [];
      const scope = this.def(node).scope;
      if (scope) {
        const items = result.items ?? [];
        const entry = new Set(outgoing.filter((e) => handleOf(e) === scope.each).map((e) => e.target));
        for (let i = 0; i < items.length; i++) {
          const child: Frame = {
            steps: { ...frame.steps },
            loopPath: [...frame.loopPath, i],
            item: items[i],
            index: i,
          };
          await this.scope(this.scopeMembers.get(id)!, entry, child);
        }
        for (const e of outgoing) if (handleOf(e) === scope.done) active.add(e.target);
        continue;
      }
      const handles = result.handles ?? [];
      for (const e of outgoing) if (handles.includes(handleOf(e))) active.add(e.target);
    }
  }

  private stepKey(nodeId: string, frame: Frame): string {
    return nodeId + frame.loopPath.map((i) => `[${i}]`).join('');
  }

  /** The environment's secrets this node's templates use; a missing one fails the step before anything is sent. */
  private checkSecrets(config: unknown): void {
    for (const name of referencedSecrets(config)) {
      if (!Object.hasOwn(this.secrets, name)) throw new MissingSecretError(name, this.options.env ?? 'editor');
    }
  }

  private async record(step: StepRecord): Promise<void> {
    await this.options.onStep?.(step);
  }

  private async skip(node: WorkflowNode, frame: Frame): Promise<void> {
    const now = this.ports.now();
    const step: StepRecord = {
      stepKey: this.stepKey(node.id, frame),
      nodeId: node.id,
      nodeType: node.type,
      loopPath: frame.loopPath,
      status: 'skipped',
      attempt: 0,
      startedAt: now,
      finishedAt: now,
    };
    this.steps.push(step);
    await this.record(step);
  }

  /** The items a scope-opening node's step iterates over, from its output (fresh or memoized). */
  private itemsOf(def: AnyNodeDefinition, node: WorkflowNode, output: unknown): readonly unknown[] | undefined {
    if (!def.scope) return undefined;
    const items = def.scope.items(output);
    if (!Array.isArray(items)) throw new NonRetriableError(`nodes[${node.id}]: ${node.type} gave no list of items`);
    return items;
  }

  private async execute(node: WorkflowNode, frame: Frame): Promise<Executed> {
    const def = this.def(node);
    const stepKey = this.stepKey(node.id, frame);
    const memo = this.memo.get(stepKey);
    if (memo?.status === 'succeeded') {
      this.steps.push(memo);
      frame.steps[node.id] = memo.output;
      this.stepCount++;
      const items = this.itemsOf(def, node, memo.output);
      return { output: memo.output, handles: memo.handles ?? [], ...(items ? { items } : {}) };
    }

    // Configs were parsed (defaults applied) by validation; templates are checked by each node as it resolves them.
    const config = node.config as Record<string, unknown>;
    const policy: RetryPolicy = { ...(def.retry ?? NO_RETRY), ...(config.retry as Partial<RetryPolicy> | undefined) };
    const context: RunContext = {
      event: this.event,
      env: this.options.env ?? 'editor',
      secrets: this.secrets,
      vars: this.vars,
      steps: frame.steps,
    };
    if (frame.index !== undefined) Object.assign(context, { item: frame.item, index: frame.index });
    // The environment leads, so one event run in two environments (one Stripe account behind both) never collides.
    const scope = this.options.idempotencyScope ? `${this.options.idempotencyScope}:` : '';
    const idempotencyKey = `${context.env}:${scope}${this.event.id}:${node.id}${frame.loopPath.map((i) => `:${i}`).join('')}`;

    let attempt = memo?.status === 'failed' ? memo.attempt + 1 : 1;
    for (;;) {
      let succeeded: { step: StepRecord; result: Executed };
      const startedAt = this.ports.now();
      let input: unknown;
      try {
        if (++this.stepCount > this.limits.maxSteps) {
          throw new LimitExceededError('maxSteps', `run exceeded ${this.limits.maxSteps} steps`);
        }
        if (startedAt > this.deadline) {
          throw new LimitExceededError('maxDurationMs', `run exceeded ${this.limits.maxDurationMs} ms`);
        }
        this.checkSecrets(config);
        input =
          def.resolveTemplates === false
            ? config
            : await resolveTemplates(config, { context }, `nodes[${node.id}].config`, this.limits.expressions);
        const result = await def.run({
          config: input,
          nodeId: node.id,
          stepKey,
          idempotencyKey,
          event: this.event,
          context,
          ports: this.ports,
          redact: this.redact,
          attempt,
          expressionLimits: this.limits.expressions,
        });
        const items = this.itemsOf(def, node, result.output);
        if (items && items.length > this.limits.maxLoopIterations) {
          throw new LimitExceededError(
            'maxLoopIterations',
            `loop over ${items.length} items exceeds ${this.limits.maxLoopIterations}`,
          );
        }
        const handles = [...(result.handles ?? outputsOf(def, config))];
        const step: StepRecord = this.redact({
          stepKey,
          nodeId: node.id,
          nodeType: node.type,
          loopPath: frame.loopPath,
          status: 'succeeded',
          input,
          output: result.output,
          handles,
          attempt,
          startedAt,
          finishedAt: this.ports.now(),
        });
        this.steps.push(step);
        this.executed.push(stepKey);
        frame.steps[node.id] = result.output;
        succeeded = { step, result: { output: result.output, handles, ...(items ? { items } : {}) } };
      } catch (err) {
        const now = this.ports.now();
        const error = this.redact(describeError(err));
        const willRetry = isRetryable(err) && attempt < policy.attempts;
        error.retryable = willRetry;
        const delay = retryDelay(policy, attempt, err instanceof RetryAfterError ? err.retryAfterMs : undefined);
        const step: StepRecord = {
          stepKey,
          nodeId: node.id,
          nodeType: node.type,
          loopPath: frame.loopPath,
          status: 'failed',
          ...(input !== undefined ? { input: this.redact(input) } : {}),
          error,
          attempt,
          startedAt,
          finishedAt: now,
          ...(willRetry ? { retryAt: now + delay } : {}),
        };
        this.executed.push(stepKey);
        await this.record(step);
        if (!willRetry) {
          this.steps.push(step);
          throw new Halt({ status: 'failed', error, nodeId: node.id });
        }
        const sleep = this.ports.sleep;
        if (sleep && delay <= this.limits.maxInlineRetryDelayMs && now + delay <= this.deadline) {
          await sleep.call(this.ports, delay);
          attempt++;
          continue;
        }
        this.steps.push(step);
        throw new Halt({
          status: 'retry',
          retryAt: now + delay,
          nodeId: node.id,
          stepKey,
          nextAttempt: attempt + 1,
          error,
        });
      }
      // Recorded outside the try: a failure to persist the step is the caller's (infrastructure) failure,
      // not the node's, and must not make the engine run the node's side effect again.
      await this.record(succeeded.step);
      return succeeded.result;
    }
  }
}
