import { ALERT_WINDOW_TEXT, rejectionHint } from '@switchyard/contract';
import type { Environment } from '../db/schema.js';

/** One alert, as every destination receives it: a subject and text for people, the rest for machines. */
export interface Alert {
  kind: 'run_dead_lettered' | 'deliveries_refused' | 'test';
  environment: Environment;
  subject: string;
  text: string;
  /** What it reports: failed runs of the workflow, or refusals of the reason, since the last alert of that cause. */
  count: number;
  /** The editor page to look at. */
  link: string;
  at: string;
  details?: Record<string, unknown>;
}

const base = (publicUrl: string) => publicUrl.replace(/\/$/, '');

export function deadLetterAlert(o: {
  publicUrl: string;
  environment: Environment;
  at: Date;
  count: number;
  workflowId: string;
  workflowName: string | null;
  executionId: number;
  error: string | null;
}): Alert {
  const name = o.workflowName ?? o.workflowId;
  const link = `${base(o.publicUrl)}/${o.environment}/executions?${new URLSearchParams({ workflowId: o.workflowId, status: 'failed' })}`;
  const executionLink = `${base(o.publicUrl)}/${o.environment}/workflows/${encodeURIComponent(o.workflowId)}?execution=${o.executionId}`;
  const runs = o.count === 1 ? 'A run' : `${o.count} runs`;
  return {
    kind: 'run_dead_lettered',
    environment: o.environment,
    subject: `[Switchyard ${o.environment}] ${name}: ${o.count === 1 ? 'a run failed' : `${o.count} runs failed`}`,
    text: [
      `${runs} of the workflow "${name}" in ${o.environment} failed with no retries left (dead-lettered).`,
      o.error ? `Last error: ${o.error}` : undefined,
      `Last failed run: ${executionLink}`,
      `Failed runs: ${link}`,
      `Further failures of this workflow within ${ALERT_WINDOW_TEXT} are counted in the next alert.`,
    ]
      .filter(Boolean)
      .join('\n'),
    count: o.count,
    link,
    at: o.at.toISOString(),
    details: {
      workflow: { id: o.workflowId, name: o.workflowName },
      execution: { id: String(o.executionId), link: executionLink, error: o.error },
    },
  };
}

export function refusalAlert(o: {
  publicUrl: string;
  environment: Environment;
  at: Date;
  count: number;
  reason: string;
}): Alert {
  const link = `${base(o.publicUrl)}/${o.environment}/connection#refused-deliveries`;
  return {
    kind: 'deliveries_refused',
    environment: o.environment,
    subject: `[Switchyard ${o.environment}] ${o.count} webhook deliveries refused (${o.reason})`,
    text: [
      `${o.count} webhook deliveries to ${o.environment} were refused in the last ${ALERT_WINDOW_TEXT}: ${o.reason}.`,
      rejectionHint(o.reason),
      `Refused deliveries: ${link}`,
    ].join('\n'),
    count: o.count,
    link,
    at: o.at.toISOString(),
    details: { reason: o.reason },
  };
}

export function testAlert(o: { publicUrl: string; environment: Environment; at: Date }): Alert {
  const link = `${base(o.publicUrl)}/${o.environment}/settings`;
  return {
    kind: 'test',
    environment: o.environment,
    subject: `[Switchyard ${o.environment}] Test alert`,
    text: `This is a test alert from the ${o.environment} environment. Dead-lettered runs and repeatedly refused deliveries will be reported here.\nAlert settings: ${link}`,
    count: 0,
    link,
    at: o.at.toISOString(),
  };
}
