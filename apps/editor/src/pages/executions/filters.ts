import type { ExecutionStatus } from '../../api/types.js';

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
