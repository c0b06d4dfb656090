import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../infra/local/ports.ts';

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** Waits (bounded) until the stack process `pid` and its DynamoDB Local are gone, then asserts it. */
async function expectAllStopped(pid: number, dataDir: string): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 15_000;
  while ((alive() || (await javaPids(dataDir)).length > 0) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(alive()).toBe(false);
  expect(await javaPids(dataDir)).toEqual([]);
}

async function javaPids(dataDir: string): Promise<string[]> {
  const { stdout } = await exec('pgrep', ['-f', `DynamoDBLocal.jar.*${dataDir}`]).catch(() => ({
    stdout: '',
  }));
  return stdout.trim().split('\n').filter(Boolean);
}

/** `npm start` as a user runs it: its own process, PORT / WRO_DATA_DIR honoured, stack.json, admin command. */
describe('npm start (local contract)', () => {
  let child: ChildProcess;
  let dataDir: string;
  let port: number;
  let output = '';
  let accountId = '';
  let projectId = '';

  async function start(extraEnv: Record<string, string> = {}): Promise<void> {
    output = '';
    rmSync(join(dataDir, 'stack.json'), { force: true });
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        WRO_DATA_DIR: dataDir,
        WRO_SCANNER_SHARED_SECRET: '',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const deadline = Date.now() + 90_000;
    while (!existsSync(join(dataDir, 'stack.json'))) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`npm start did not become ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wro-start-'));
    port = await freePort();
    await start();
  }, 120_000);

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints and writes the API URL, and says the private-target switch is on', () => {
    const stack = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8'));
    expect(stack.api_url).toBe(`http://127.0.0.1:${port}`);
    expect(output).toContain(stack.api_url);
    expect(output).toMatch(/WRO_ALLOW_PRIVATE_TARGETS=1/);
    expect(output).toMatch(/Scanner secret: dev_/);
  });

  it('serves requests for an account made with the admin command', async () => {
    const env = { ...process.env, WRO_DATA_DIR: dataDir };
    const { stdout } = await exec(
      TSX,
      ['scripts/admin.ts', 'create-account', '--name', 'Smoke', '--plan', 'team', '--json'],
      { cwd: ROOT, env },
    );
    const { account_id, api_token } = JSON.parse(stdout.trim());
    accountId = account_id;
    expect(account_id).toMatch(/^acc_/);
    expect(api_token).toMatch(/^wro_/);
    const res = await fetch(`http://127.0.0.1:${port}/api/projects`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${api_token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': 'smoke',
      },
      body: JSON.stringify({ name: 'Smoke', base_url: 'https://example.test' }),
    });
    expect(res.status).toBe(201);
    projectId = ((await res.json()) as { id: string }).id;
    await exec(TSX, ['scripts/admin.ts', 'revoke-token', '--token', api_token], { cwd: ROOT, env });
    const after = await fetch(`http://127.0.0.1:${port}/api/projects/x`, {
      headers: { Authorization: `Bearer ${api_token}` },
    });
    expect(after.status).toBe(401);
  });

  it('refuses a port that is taken, with a clear message', async () => {
    const second = await exec('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), WRO_DATA_DIR: mkdtempSync(join(tmpdir(), 'wro-start-')) },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((second as { code: number }).code).toBe(1);
    expect((second as { stderr: string }).stderr).toMatch(
      new RegExp(`Port ${port} \\(API\\) is already in use`),
    );
  });

  it('refuses a bad setting with a message naming the variable, leaving nothing running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wro-start-'));
    const bad = await exec('npm', ['start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(await freePort()),
        WRO_DATA_DIR: dir,
        WRO_SCANNER_SHARED_SECRET: 'short',
      },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(1);
    expect((bad as { stderr: string }).stderr).toMatch(/WRO_SCANNER_SHARED_SECRET: .*at least 16/);
    expect(existsSync(join(dir, 'stack.json'))).toBe(false);
    expect(await javaPids(dir)).toEqual([]);
  });

  it('stops every child process when npm gets SIGTERM (no orphan node or Java), and removes stack.json', async () => {
    expect((await javaPids(dataDir)).length).toBe(1);
    const { pid } = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8'));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await expectAllStopped(pid, dataDir);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
  });

  it('keeps its state in WRO_DATA_DIR across restarts; a secret from the environment is not printed', async () => {
    const secret = 'env-scanner-secret-never-printed-0123';
    await start({ WRO_SCANNER_SHARED_SECRET: secret });
    expect(output).toMatch(/Scanner secret: \(from WRO_SCANNER_SHARED_SECRET, not shown\)/);
    expect(output).not.toContain(secret);
    const env = { ...process.env, WRO_DATA_DIR: dataDir };
    const { stdout } = await exec(
      TSX,
      ['scripts/admin.ts', 'create-token', '--account-id', accountId, '--json'],
      {
        cwd: ROOT,
        env,
      },
    );
    const { api_token } = JSON.parse(stdout.trim());
    const res = await fetch(`http://127.0.0.1:${port}/api/projects/${projectId}`, {
      headers: { Authorization: `Bearer ${api_token}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { name: string }).name).toBe('Smoke');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
  });

  it('stops by itself when npm dies without passing a signal on (SIGKILL)', async () => {
    await start();
    const { pid } = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8'));
    child.kill('SIGKILL');
    await expectAllStopped(pid, dataDir);
  });

  it('refuses a second npm start on the same data folder while the first runs', async () => {
    await start();
    const second = await exec('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(await freePort()), WRO_DATA_DIR: dataDir },
    }).catch((e: unknown) => e as { code: number; stderr: string });
    expect((second as { code: number }).code).toBe(1);
    expect((second as { stderr: string }).stderr).toMatch(/another npm start \(pid \d+/);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(true);
    expect((await javaPids(dataDir)).length).toBe(1);
  });

  it('leaves no Java behind when its own node is killed (SIGKILL), and the next start replaces the stale stack.json', async () => {
    const { pid } = JSON.parse(readFileSync(join(dataDir, 'stack.json'), 'utf8'));
    process.kill(pid, 'SIGKILL'); // the stack itself, not npm: no handler of it runs
    await expectAllStopped(pid, dataDir);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(true); // left behind, now stale
    const admin = await exec(TSX, ['scripts/admin.ts', 'create-account', '--name', 'X', '--json'], {
      cwd: ROOT,
      env: { ...process.env, WRO_DATA_DIR: dataDir, WRO_TABLE_NAME: '' },
    }).catch((e: unknown) => e as { stderr: string });
    expect((admin as { stderr: string }).stderr).toMatch(/no longer runs \(pid \d+\); ignoring it/);
    output = '';
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), WRO_DATA_DIR: dataDir, WRO_SCANNER_SHARED_SECRET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const deadline = Date.now() + 90_000;
    while (!/is ready/.test(output) && child.exitCode === null && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(output).toMatch(/was left by a stack that no longer runs \(pid \d+\); replacing it/);
    expect(output).toMatch(/is ready/);
  }, 120_000);

  it('stops with a clear message when DynamoDB Local dies', async () => {
    const [java] = await javaPids(dataDir);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    process.kill(Number(java), 'SIGKILL');
    expect(await exited).toBe(1);
    expect(output).toMatch(/DynamoDB Local exited \(SIGKILL\); stopping the stack/);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
  }, 60_000);
});
