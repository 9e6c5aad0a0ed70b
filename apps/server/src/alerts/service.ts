import { randomUUID } from 'node:crypto';
import {
  ALERT_WINDOW_MS,
  type AlertDelivery,
  type AlertDeliveryCode,
  type AlertTestResult,
  REFUSAL_ALERT_THRESHOLD,
  type RejectionReason,
} from '@switchyard/contract';
import type { EmailPort, HttpPort } from '@switchyard/engine';
import type { Database } from '../db/client.js';
import type { Environment } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { createEmailPort, createHttpPort } from '../ports/index.js';
import type { RefusalStore } from '../rejections/store.js';
import type { SmtpSettingsService } from '../secrets/smtp.js';
import { type Alert, deadLetterAlert, refusalAlert, testAlert } from './messages.js';
import { type AlertClaim, claimAlert, claimHeldBack, releaseAlert } from './rate-limit.js';
import { type AlertSettingsService, type AlertTargets, type Destination, SMTP_NOT_CONFIGURED } from './settings.js';

const SEND_TIMEOUT_MS = 10_000;

export interface AlertServiceOptions {
  database: Database;
  settings: AlertSettingsService;
  refusals: RefusalStore;
  smtp: SmtpSettingsService;
  /** SMTP_URL and SMTP_FROM: used when the environment has no SMTP server of its own, as for email nodes. */
  smtpUrl?: string | undefined;
  smtpFrom?: string | undefined;
  /** The SSRF policy of workflow HTTP calls applies to alert webhooks too. */
  allowPrivateNetwork: boolean;
  publicUrl: string;
  log: Logger;
  /**
   * ms since the epoch: tests inject one to step past a window. Without it the database's clock decides the
   * rate-limit windows, so processes whose clocks disagree still share them.
   */
  clock?: () => number;
}

/**
 * Tells an environment's alert destinations about dead-lettered runs and repeatedly refused deliveries. Nothing
 * here may fail a run or a delivery: callers fire and forget, every failure is logged (without the webhook's
 * URL) and kept as the destination's last delivery status.
 */
export class AlertService {
  readonly #http: HttpPort;
  readonly #email = new Map<Environment, EmailPort>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #clock: () => number;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly o: AlertServiceOptions) {
    this.#http = createHttpPort({ allowPrivateNetwork: o.allowPrivateNetwork });
    this.#clock = o.clock ?? Date.now;
  }

  /** A run failed with no retries left. Returns at once; the alert, if due, goes out in the background. */
  deadLettered(run: { id: number; environment: Environment; workflowId: string; origin: string }): void {
    // Test runs are the builder trying things in the editor, with the result in front of them.
    if (run.origin === 'test') return;
    this.#track(async () => {
      const targets = await this.o.settings.targets(run.environment);
      if (!hasTarget(targets)) return;
      const at = new Date(this.#clock());
      const claim = await claimAlert(this.o.database, run.environment, `workflow:${run.workflowId}`, this.#windowAt());
      if (!claim.send) return;
      const result = await this.#sendDeadLetter(targets, run.environment, run.workflowId, at, claim.count, run.id);
      await this.#giveBackIfUndelivered(claim, result);
    }, `dead-lettered run ${run.id}`);
  }

  /**
   * Sends what the rate limit held back once its window has passed with no later failure to carry it, so the last
   * failures of a burst are reported too. Every process may sweep; each held-back count is taken by one.
   */
  async sweep(): Promise<void> {
    const at = new Date(this.#clock());
    for (const held of await claimHeldBack(this.o.database, this.#windowAt())) {
      const targets = await this.o.settings.targets(held.environment);
      if (!hasTarget(targets)) continue;
      const workflowId = held.cause.slice('workflow:'.length);
      await this.#giveBackIfUndelivered(
        held,
        await this.#sendDeadLetter(targets, held.environment, workflowId, at, held.count),
      );
    }
  }

  /** The time a claim is decided at: the injected clock's, or none, and the database's own `now()` decides. */
  #windowAt(): Date | undefined {
    return this.o.clock ? new Date(this.o.clock()) : undefined;
  }

  /** An alert no destination took must not silence the next one: its window and its count go back. */
  async #giveBackIfUndelivered(claim: AlertClaim, result: AlertTestResult): Promise<void> {
    const tried = [result.email, result.webhook].filter((d): d is AlertDelivery => d !== null);
    if (tried.length > 0 && tried.every((d) => !d.ok)) await releaseAlert(this.o.database, claim);
  }

  /** Sweeps every `everyMs` until stop(). */
  start(everyMs = 60_000): void {
    this.#sweeper ??= setInterval(() => this.#track(() => this.sweep(), 'held-back failures'), everyMs).unref();
  }

  async stop(): Promise<void> {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    await this.settled();
  }

  async #sendDeadLetter(
    targets: AlertTargets,
    environment: Environment,
    workflowId: string,
    at: Date,
    count: number,
    executionId?: number,
  ): Promise<AlertTestResult> {
    // The run that failed, or (for a sweep) the workflow's last failed run in the environment.
    const [row] = await this.o.database.query<{ id: string | number; name: string | null; error: unknown }>(
      `SELECT x.id, w.name, x.error FROM executions x LEFT JOIN workflows w ON w.id = x.workflow_id
       WHERE ${executionId === undefined ? "x.workflow_id = $1 AND x.environment = $2 AND x.status = 'failed' ORDER BY x.id DESC LIMIT 1" : 'x.id = $1'}`,
      executionId === undefined ? [workflowId, environment] : [executionId],
    );
    return this.#send(
      targets,
      deadLetterAlert({
        publicUrl: this.o.publicUrl,
        environment,
        at,
        count,
        workflowId,
        workflowName: row?.name ?? null,
        executionId: row ? Number(row.id) : (executionId ?? 0),
        error: errorMessage(row?.error),
      }),
    );
  }

  /** After refusals were recorded: alerts on each reason refused REFUSAL_ALERT_THRESHOLD times in the window. */
  async checkRefusals(environment: Environment, reasons: ReadonlySet<RejectionReason>): Promise<void> {
    const targets = await this.o.settings.targets(environment);
    if (!hasTarget(targets)) return;
    const at = new Date(this.#clock());
    const counts = await this.o.refusals.countSince(environment, new Date(at.getTime() - ALERT_WINDOW_MS));
    const due = [...reasons].filter((r) => (counts.get(r) ?? 0) >= REFUSAL_ALERT_THRESHOLD);
    for (const reason of due) {
      const claim = await claimAlert(this.o.database, environment, `refused:${reason}`, this.#windowAt());
      if (!claim.send) continue;
      const result = await this.#send(
        targets,
        refusalAlert({ publicUrl: this.o.publicUrl, environment, at, count: counts.get(reason)!, reason }),
      );
      await this.#giveBackIfUndelivered(claim, result);
    }
  }

  /** Sends a test alert to every destination now, outside the rate limits, and says how each went. */
  async sendTest(environment: Environment): Promise<AlertTestResult | undefined> {
    const targets = await this.o.settings.targets(environment);
    if (!hasTarget(targets)) return undefined;
    return this.#send(
      targets,
      testAlert({ publicUrl: this.o.publicUrl, environment, at: new Date(this.#clock()) }),
      `alert-test:${randomUUID()}`,
    );
  }

  /** Resolves when every alert started so far is sent or has failed (tests and shutdown wait on it). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #track(work: () => Promise<void>, what: string): void {
    const p = work()
      .catch((error) => this.o.log.warn({ err: { message: messageOf(error) } }, `alert for ${what} failed`))
      .finally(() => this.#inFlight.delete(p));
    this.#inFlight.add(p);
  }

  async #send(targets: AlertTargets, alert: Alert, key?: string): Promise<AlertTestResult> {
    const idempotencyKey = key ?? `alert:${alert.environment}:${alert.kind}:${alert.at}:${randomUUID()}`;
    const [email, webhook] = await Promise.all([
      targets.email
        ? this.#attempt(alert.environment, 'email', targets, () =>
            this.#sendEmail(targets.email!, alert, idempotencyKey),
          )
        : null,
      targets.webhookUrl
        ? this.#attempt(alert.environment, 'webhook', targets, () => this.#postWebhook(targets.webhookUrl!, alert))
        : null,
    ]);
    return { email, webhook };
  }

  async #attempt(
    environment: Environment,
    to: Destination,
    targets: AlertTargets,
    send: () => Promise<void>,
  ): Promise<AlertDelivery> {
    const at = new Date(this.#clock());
    let error: string | null = null;
    let code: AlertDeliveryCode | null = null;
    try {
      await send();
    } catch (err) {
      error = scrub(messageOf(err), targets).slice(0, 500);
      if (err instanceof SmtpNotConfigured) code = 'smtp_not_configured';
      this.o.log.warn(
        { environment, destination: to === 'email' ? targets.email : targets.webhookMasked, error },
        'alert not delivered',
      );
    }
    await this.o.settings
      .recordDelivery(environment, to, at, error)
      .catch((err) => this.o.log.warn({ err: { message: messageOf(err) } }, 'recording an alert delivery failed'));
    return { at: at.toISOString(), ok: error === null, error, ...(code ? { code } : {}) };
  }

  async #sendEmail(to: string, alert: Alert, idempotencyKey: string): Promise<void> {
    // Said apart from other failures, so the editor can tell the builder what to set up.
    if (!this.o.smtpUrl && !(await this.o.smtp.forRun(alert.environment))?.url) throw new SmtpNotConfigured();
    let port = this.#email.get(alert.environment);
    if (!port) {
      port = createEmailPort({
        smtpUrl: this.o.smtpUrl,
        ...(this.o.smtpFrom ? { defaultFrom: this.o.smtpFrom } : {}),
        settings: () => this.o.smtp.forRun(alert.environment),
        timeoutMs: SEND_TIMEOUT_MS,
      });
      this.#email.set(alert.environment, port);
    }
    await port.send({ to: [to], subject: alert.subject, text: alert.text, idempotencyKey });
  }

  async #postWebhook(url: string, alert: Alert): Promise<void> {
    const res = await this.#http.request({
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json' },
      // `text` first: chat webhooks (Slack, Mattermost, Teams connectors) show it as the message.
      body: JSON.stringify({
        text: `${alert.subject}\n${alert.text}`,
        alert: alert.kind,
        environment: alert.environment,
        count: alert.count,
        link: alert.link,
        at: alert.at,
        ...alert.details,
      }),
      timeoutMs: SEND_TIMEOUT_MS,
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`the webhook answered HTTP ${res.status}`);
  }
}

class SmtpNotConfigured extends Error {
  constructor() {
    super(SMTP_NOT_CONFIGURED);
  }
}

function hasTarget(t: AlertTargets): boolean {
  return t.email !== null || t.webhookUrl !== null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function errorMessage(error: unknown): string | null {
  const e = typeof error === 'string' ? safeParse(error) : error;
  const message = (e as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message.slice(0, 500) : null;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** The HTTP port names the URL it failed on; the webhook's path may be its token, so only the mask is kept. */
function scrub(message: string, targets: AlertTargets): string {
  if (!targets.webhookUrl) return message;
  const u = new URL(targets.webhookUrl);
  const masked = targets.webhookMasked ?? '••••';
  const scrubbed = message
    .replaceAll(targets.webhookUrl, masked)
    .replaceAll(`${u.protocol}//${u.host}${u.pathname}`, masked);
  return u.pathname.length > 1 ? scrubbed.replaceAll(u.pathname, '/••••') : scrubbed;
}
