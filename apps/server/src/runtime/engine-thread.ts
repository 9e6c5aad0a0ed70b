/**
 * Entry of an engine thread (a piscina worker): runs workflows for the main thread. Nothing here touches the
 * database or the network; every port call and every step to persist is a message to the main thread, which
 * owns the leases and may stop this thread at any moment (a run over its budget is stopped by terminating
 * the thread it runs on).
 */
import { parentPort, threadId } from 'node:worker_threads';
import {
  type AnyNodeDefinition,
  createRedactor,
  defaultRegistry,
  NodeRegistry,
  type Ports,
  type Redactor,
  resolveTemplates,
  runWorkflow,
  type StepRecord,
  validateWorkflow,
  type WorkflowDocument,
} from '@switchyard/engine';
import { persistsEagerly } from './eager-steps.js';
import {
  BRIDGED_PORTS,
  type BridgedPort,
  CurrentStep,
  fromWireError,
  type MainMessage,
  PULSE,
  PULSE_MS,
  type RunAnswer,
  type RunTask,
  STEPS_FLUSH_MS,
  type ThreadMessage,
} from './thread-protocol.js';

/** The messages that expect an answer, without the id the request adds. */
// A pulse while this thread's event loop turns: the pool sends no new run to a thread that has gone quiet.
setInterval(() => parentPort?.postMessage({ [PULSE]: threadId }), PULSE_MS).unref();

type Question = ThreadMessage extends infer M
  ? M extends unknown
    ? 'id' extends keyof M
      ? Omit<M, 'id'>
      : never
    : never
  : never;

/** Request/answer over one run's MessagePort. */
class MainThread {
  #next = 1;
  /** A fire-and-forget message went out: the main thread must wait for `done` before it closes the port. */
  posted = false;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly port: RunTask['port'],
    private readonly received: Int32Array,
  ) {
    port.on('message', (m: MainMessage) => {
      Atomics.add(this.received, 0, 1);
      const waiting = this.#pending.get(m.id);
      if (!waiting) return;
      this.#pending.delete(m.id);
      if (m.ok) waiting.resolve(m.value);
      else waiting.reject(fromWireError(m.error));
    });
  }

  post(message: ThreadMessage): void {
    this.port.postMessage(message);
  }

  ask(message: Question): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.port.postMessage({ ...message, id });
    });
  }
}

/** Per run: where to report which node is executing, and the inputs its templates resolved to. */
interface RunTracker {
  current: CurrentStep;
  inputs: Map<string, unknown>;
}
const trackers = new WeakMap<Ports, RunTracker>();
const UNRESOLVED = Symbol('unresolved');

/**
 * The default registry with every node announcing itself before it evaluates its templates, so a run stuck in
 * an expression is reported at the right node. Each node resolves its own templates (the engine's own
 * resolveTemplates, same field names in errors) and the step's `input` is put back in `onStep`.
 */
function announcingRegistry(base: NodeRegistry): NodeRegistry {
  const registry = new NodeRegistry();
  for (const type of base.types()) {
    for (const version of base.versions(type)) {
      const def = base.get(type, version)!;
      const templated = def.resolveTemplates !== false;
      const announcing: AnyNodeDefinition = {
        ...def,
        resolveTemplates: false,
        async run(args) {
          const tracker = trackers.get(args.ports);
          tracker?.current.write(args.nodeId, args.stepKey);
          if (!templated) return def.run(args);
          tracker?.inputs.set(args.stepKey, UNRESOLVED);
          const config = await resolveTemplates(
            args.config,
            { context: args.context },
            `nodes[${args.nodeId}].config`,
            args.expressionLimits,
          );
          tracker?.inputs.set(args.stepKey, config);
          return def.run({ ...args, config });
        },
      };
      registry.register(announcing);
    }
  }
  return registry;
}

const registry = announcingRegistry(defaultRegistry);

/**
 * Documents by `workflowId@version`, each kept as one object: the engine caches validation by document
 * identity, and validating costs more than running. They are validated here with the real registry first,
 * because the announcing one leaves template checking to the nodes.
 */
const documents = new Map<string, Promise<{ workflow: WorkflowDocument; valid: boolean }>>();
const DOCUMENTS_KEPT = 500;

function documentFor(key: string, main: MainThread) {
  let doc = documents.get(key);
  if (!doc) {
    doc = main.ask({ kind: 'workflow' }).then((workflow) => ({
      workflow: workflow as WorkflowDocument,
      valid: validateWorkflow(workflow, { registry: defaultRegistry }).ok,
    }));
    doc.catch(() => documents.delete(key));
    if (documents.size >= DOCUMENTS_KEPT) documents.clear();
    documents.set(key, doc);
  }
  return doc;
}

function bridgedPorts(main: MainThread): Ports {
  const bridge = <P extends BridgedPort>(port: P) =>
    Object.fromEntries(
      BRIDGED_PORTS[port].map((method) => [
        method,
        (...args: unknown[]) => main.ask({ kind: 'call', port, method, args }),
      ]),
    ) as unknown as Ports[P];
  return {
    tables: bridge('tables'),
    http: bridge('http'),
    stripe: bridge('stripe'),
    email: bridge('email'),
    log: (entry) => {
      main.posted = true;
      main.post({ kind: 'log', entry });
    },
    now: Date.now,
    sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  };
}

export default async function runInThread(task: RunTask): Promise<RunAnswer> {
  const main = new MainThread(task.port, new Int32Array(task.received));
  main.post({ kind: 'started', threadId });
  try {
    const { workflow, valid } = await documentFor(task.workflowKey, main);
    const ports = bridgedPorts(main);
    const tracker: RunTracker = { current: new CurrentStep(task.current), inputs: new Map() };
    const redact = createRedactor(task.secrets);
    trackers.set(ports, tracker);
    // Steps not yet sent: they go with the next step to persist, or every STEPS_FLUSH_MS of a long run.
    let unsent: StepRecord[] = [];
    let sentAt = Date.now();
    const result = await runWorkflow({
      workflow,
      event: task.event,
      env: task.env,
      ports,
      memo: task.memo,
      idempotencyScope: task.idempotencyScope,
      ...(task.secrets ? { secrets: task.secrets } : {}),
      ...(task.vars ? { vars: task.vars } : {}),
      // An invalid document gets the engine's own InvalidWorkflow answer from the real registry.
      registry: valid ? registry : defaultRegistry,
      onStep: async (step: StepRecord) => {
        restoreInput(step, tracker.inputs, redact);
        unsent.push(step);
        const steps = unsent;
        if (step.status === 'succeeded' && persistsEagerly(step.nodeType)) {
          unsent = [];
          sentAt = Date.now();
          await main.ask({ kind: 'steps', steps });
        } else if (Date.now() - sentAt >= STEPS_FLUSH_MS) {
          unsent = [];
          sentAt = Date.now();
          main.posted = true;
          main.post({ kind: 'steps', steps });
        }
      },
    });
    return { result, awaitDone: main.posted };
  } finally {
    // The last message on the port, so no log line is left in flight when the main thread closes it.
    if (main.posted) main.post({ kind: 'done' });
  }
}

/** The step record as the engine would have written it had it resolved the templates itself. */
/** The resolved input holds real secret values: it goes back into the record with their masks, as the engine's own. */
function restoreInput(step: StepRecord, inputs: Map<string, unknown>, redact: Redactor): void {
  if (!inputs.has(step.stepKey)) return;
  const input = inputs.get(step.stepKey);
  inputs.delete(step.stepKey);
  if (input === UNRESOLVED) delete step.input;
  else step.input = redact(input);
}
