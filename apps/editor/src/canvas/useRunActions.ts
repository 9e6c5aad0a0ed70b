import { useState } from 'react';
import { api, describeError } from '../api/client.js';
import type { Environment, Execution } from '../api/types.js';
import { href, navigate } from '../router.js';

/** Retry (from the failed step, on the same or the latest version) and replay (from the start) of a run in view. */
export function useRunActions(env: Environment, workflowId: string, execution: Execution) {
  const [message, setMessage] = useState<string | null>(null);
  const retry = async (version: 'same' | 'latest') => {
    setMessage(null);
    try {
      const next = await api.retryExecution(execution.id, version);
      navigate(href(env, 'workflows', workflowId, { execution: next.id }));
    } catch (err) {
      setMessage(describeError(err));
    }
  };
  const replay = async () => {
    setMessage(null);
    try {
      const runs = await api.replayEvent(execution.environment, execution.eventId, {
        workflowId,
        version: execution.workflowVersion,
      });
      const first = runs[0];
      if (first) navigate(href(env, 'workflows', workflowId, { execution: first.id }));
      else setMessage('The event does not match this workflow any more.');
    } catch (err) {
      setMessage(describeError(err));
    }
  };
  return { retry, replay, message };
}
