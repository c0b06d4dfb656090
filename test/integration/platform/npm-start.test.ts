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

/** `npm start` as a user runs it: its own process, PORT / WRO_DATA_DIR honoured, stack.json, admin command. */
describe('npm start (local contract)', () => {
  let child: ChildProcess;
  let dataDir: string;
  let port: number;
  let output = '';
  let accountId = '';
  let projectId = '';

  async function start(): Promise<void> {
    output = '';
    rmSync(join(dataDir, 'stack.json'), { force: true });
    child = spawn(TSX, ['infra/local/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), WRO_DATA_DIR: dataDir, WRO_SCANNER_SHARED_SECRET: '' },
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
    const second = await exec(TSX, ['infra/local/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), WRO_DATA_DIR: mkdtempSync(join(tmpdir(), 'wro-start-')) },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((second as { code: number }).code).toBe(1);
    expect((second as { stderr: string }).stderr).toMatch(
      new RegExp(`Port ${port} \\(API\\) is already in use`),
    );
  });

  it('stops every child process on SIGTERM (no orphan Java)', async () => {
    const javaPids = async () => {
      const { stdout } = await exec('pgrep', ['-f', `DynamoDBLocal.jar.*${dataDir}`]).catch(() => ({
        stdout: '',
      }));
      return stdout.trim().split('\n').filter(Boolean);
    };
    expect((await javaPids()).length).toBe(1);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await javaPids()).toEqual([]);
  });

  it('keeps its state in WRO_DATA_DIR across restarts', async () => {
    await start();
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
});
