import { EXECUTION_STATUSES, type ExecutionStatus } from '../../api/types.js';

/** The search as the page holds it: text as typed, times as `datetime-local` values (local time, no zone). */
export interface ExecutionSearch {
  workflowId: string;
  status: ExecutionStatus | '';
  type: string;
  objectId: string;
  from: string;
  to: string;
}

export const EMPTY_SEARCH: ExecutionSearch = { workflowId: '', status: '', type: '', objectId: '', from: '', to: '' };

/**
 * The search a link asks for, e.g. an alert's `/production/executions?workflowId=wf_1&status=failed`; unknown
 * statuses are ignored rather than sent to the API.
 */
export function searchFromParams(params: URLSearchParams): ExecutionSearch {
  const status = params.get('status') ?? '';
  return {
    ...EMPTY_SEARCH,
    workflowId: params.get('workflowId') ?? '',
    status: (EXECUTION_STATUSES as readonly string[]).includes(status) ? (status as ExecutionStatus) : '',
    type: params.get('type') ?? '',
    objectId: params.get('objectId') ?? '',
  };
}

/** A `datetime-local` value as the instant the API takes; empty or unreadable is no bound. */
export function instant(local: string): string | undefined {
  if (!local) return undefined;
  const t = new Date(local).getTime();
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

const text = (v: string) => v.trim() || undefined;

/** The API's filter for the search; the dead-letter tab narrows it to failed runs not retried yet. */
export function searchQuery(s: ExecutionSearch, deadLetter: boolean) {
  return {
    workflowId: text(s.workflowId),
    status: deadLetter ? undefined : s.status || undefined,
    type: text(s.type),
    objectId: text(s.objectId),
    from: instant(s.from),
    to: instant(s.to),
    deadLetter: deadLetter || undefined,
  };
}
