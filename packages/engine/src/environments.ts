/**
 * The environments, defined once here: the contract, the server and the editor all import this list. A module of
 * its own (`@switchyard/engine/environments`) so the editor's first chunk can use it without loading the engine.
 */
export const ENV_NAMES = ['editor', 'staging', 'production'] as const;
export type EnvName = (typeof ENV_NAMES)[number];
