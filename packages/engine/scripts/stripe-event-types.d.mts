/** Types of stripe-event-types.mjs, for the test that compares the committed catalogue with stripe-node. */
export const CATALOGUE_FILE: string;
export function readStripeEventTypes(): string[];
export function stripeVersion(): string;
export function catalogueModule(types: readonly string[], version: string): string;
