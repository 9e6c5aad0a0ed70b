#!/usr/bin/env node
// `npx switchyard reconcile --env production --hours 48`: runs the built CLI (npm run build) with the server's config.
const { loadDotEnv } = await import('../dist/config.js');
loadDotEnv();
const { runCli } = await import('../dist/cli.js');
process.exitCode = await runCli(process.argv.slice(2));
