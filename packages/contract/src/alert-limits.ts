/**
 * The alert rate limits, which the server applies and the alerts and the editor describe: no zod here, so the
 * editor's settings page loads it alone (`@switchyard/contract/alert-limits`).
 */

/** At most one alert per cause (a workflow, a refusal reason) and environment in this window. */
export const ALERT_WINDOW_MS = 10 * 60 * 1000;
/** Refusals of one reason within the window that make an alert: a wrong signing secret fails every delivery. */
export const REFUSAL_ALERT_THRESHOLD = 10;
/** The window as the alerts and the editor say it: "10 minutes". */
export const ALERT_WINDOW_TEXT = `${ALERT_WINDOW_MS / 60_000} minutes`;
