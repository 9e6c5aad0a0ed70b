/** What every end-to-end file does first: build the editor the server serves, and start Debian's Chromium. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

/** Headless, and nothing that reaches for the network this machine does not have (updates, sync, pings). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const VITE = fileURLToPath(new URL('../../../../node_modules/vite/bin/vite.js', import.meta.url));
const EDITOR_DIR = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Builds apps/editor from the current sources into its `dist` (what the server serves), or into `outDir`. The
 * default `dist` is not emptied first, so a build by another e2e file running at the same time never leaves it
 * empty (same sources, same file names and contents).
 */
export function buildEditor(outDir?: string): void {
  const target = outDir ? ['--outDir', outDir, '--emptyOutDir'] : ['--emptyOutDir', 'false'];
  execFileSync(process.execPath, [VITE, 'build', '--logLevel', 'warn', ...target], {
    cwd: EDITOR_DIR,
    stdio: 'inherit',
  });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
