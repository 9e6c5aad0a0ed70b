/** The connection schemas are part of the admin API contract, shared with the editor. */
export { Connection, ConnectionInput, WebhookPath } from '@switchyard/contract';
