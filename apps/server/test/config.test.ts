import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startupBanner } from '../src/banner.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { SERVER_MAIN } from './support/server-process.js';

const MASTER_KEY = 'ab'.repeat(32);
const TOKEN = 'a-long-enough-admin-token-0123';
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/unused';

describe('configuration', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('requires SWITCHYARD_ADMIN_TOKEN with DATABASE_URL, as it requires the master key', () => {
    const dir = dataDir();
    const load = () => loadConfig({ DATABASE_URL, SWITCHYARD_MASTER_KEY: MASTER_KEY, SWITCHYARD_DATA_DIR: dir });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/SWITCHYARD_ADMIN_TOKEN is required with DATABASE_URL: every server process must share it/);
    // Nothing was generated into the data dir for the next start to pick up.
    expect(existsSync(join(dir, 'admin-token'))).toBe(false);
    const config = loadConfig({
      DATABASE_URL,
      SWITCHYARD_MASTER_KEY: MASTER_KEY,
      SWITCHYARD_ADMIN_TOKEN: TOKEN,
      SWITCHYARD_DATA_DIR: dir,
    });
    expect(config).toMatchObject({ adminToken: TOKEN, adminTokenSource: 'env' });
  });

  it('refuses an admin token shorter than 24 characters, from the environment or the data dir', () => {
    const dir = dataDir();
    expect(() => loadConfig({ SWITCHYARD_ADMIN_TOKEN: 'short-token-23-chars-xx', SWITCHYARD_DATA_DIR: dir })).toThrow(
      /at least 24/,
    );
    expect(
      loadConfig({ SWITCHYARD_ADMIN_TOKEN: 'exactly-24-characters-ok', SWITCHYARD_DATA_DIR: dir }).adminToken,
    ).toBe('exactly-24-characters-ok');
    writeFileSync(join(dir, 'admin-token'), 'hand-edited\n');
    expect(() => loadConfig({ SWITCHYARD_DATA_DIR: dir })).toThrow(/admin-token is 11 characters; use at least 24/);
  });

  it('prints a generated token on the start that made it and never again', () => {
    const dir = dataDir();
    const first = loadConfig({ SWITCHYARD_DATA_DIR: dir });
    expect(first.adminTokenSource).toBe('generated');
    expect(first.adminToken.length).toBeGreaterThanOrEqual(24);
    expect(readFileSync(join(dir, 'admin-token'), 'utf8').trim()).toBe(first.adminToken);
    const firstBanner = startupBanner(first, 'pglite');
    expect(firstBanner).toContain(first.adminToken);
    expect(firstBanner).toContain(`kept in ${join(dir, 'admin-token')}; it is not printed again`);

    const second = loadConfig({ SWITCHYARD_DATA_DIR: dir });
    expect(second).toMatchObject({ adminToken: first.adminToken, adminTokenSource: 'file' });
    const secondBanner = startupBanner(second, 'pglite');
    expect(secondBanner).not.toContain(first.adminToken);
    expect(secondBanner).toContain(`Log in with the admin token kept in ${join(dir, 'admin-token')}`);

    const fromEnv = loadConfig({ SWITCHYARD_ADMIN_TOKEN: TOKEN, SWITCHYARD_DATA_DIR: dir });
    expect(startupBanner(fromEnv, 'pglite')).not.toContain(TOKEN);
  });

  it('lets the CLI run without an admin token, generating none', () => {
    const dir = dataDir();
    const config = loadConfig(
      { DATABASE_URL, SWITCHYARD_MASTER_KEY: MASTER_KEY, SWITCHYARD_DATA_DIR: dir },
      { adminToken: false },
    );
    expect(config.adminTokenSource).toBe('unused');
    expect(existsSync(join(dir, 'admin-token'))).toBe(false);
  });

  it('reads TRUST_PROXY and the ingest timeouts, refusing nonsense', () => {
    const dir = dataDir();
    const load = (env: Record<string, string>) =>
      loadConfig({ SWITCHYARD_ADMIN_TOKEN: TOKEN, SWITCHYARD_DATA_DIR: dir, ...env });
    expect(load({}).trustProxy).toBe(0);
    expect(load({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(load({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(() => load({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY must be/);
    expect(load({}).database.ingestTimeouts).toEqual({ statementMs: 8000, lockMs: 5000 });
    expect(
      load({ DATABASE_URL, SWITCHYARD_MASTER_KEY: MASTER_KEY, INGEST_LOCK_TIMEOUT_MS: '500' }).database.ingestTimeouts,
    ).toEqual({ statementMs: 8000, lockMs: 500 });
    expect(() => load({ INGEST_STATEMENT_TIMEOUT_MS: '0' })).toThrow(/INGEST_STATEMENT_TIMEOUT_MS must be/);
  });

  it('a second replica given the database but not the shared token refuses to start, saying why', async () => {
    if (!existsSync(SERVER_MAIN))
      throw new Error(`${SERVER_MAIN} is missing: build the server first (npx turbo run build)`);
    const dir = dataDir();
    const child = spawn(process.execPath, [SERVER_MAIN], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL,
        SWITCHYARD_MASTER_KEY: MASTER_KEY,
        SWITCHYARD_DATA_DIR: dir,
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code, output).toBe(2);
    expect(output).toMatch(/switchyard: SWITCHYARD_ADMIN_TOKEN is required with DATABASE_URL/);
    expect(existsSync(join(dir, 'admin-token'))).toBe(false);
  });
});
