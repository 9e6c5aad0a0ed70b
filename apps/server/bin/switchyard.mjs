#!/usr/bin/env node
// `npx switchyard reconcile --env production --hours 48`: runs the built CLI (npm run build) with the server's config.
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');
const { runCli } = await import('../dist/cli.js');
process.exitCode = await runCli(process.argv.slice(2));
