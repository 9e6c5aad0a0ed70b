import { ENV_NAMES, type EnvName } from '@switchyard/engine/environments';
import { z } from 'zod';

/** The engine's list is the one definition; this is its schema for the API. */
export const ENVIRONMENTS = ENV_NAMES;
export type Environment = EnvName;
export const Environment = z.enum(ENVIRONMENTS);

/** Where a workflow is published; the editor environment always runs the latest saved version. */
export const PUBLISH_TARGETS = ['staging', 'production'] as const satisfies readonly Environment[];
export type PublishTarget = (typeof PUBLISH_TARGETS)[number];
export const PublishTarget = z.enum(PUBLISH_TARGETS);
