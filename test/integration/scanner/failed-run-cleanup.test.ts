import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../support/api-client.ts';
import { startTestStack, TEST_SCANNER_SECRET } from '../../support/local-stack.ts';
import { accountWithProject } from '../../support/scenario.ts';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ workers: true });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('failed scan side effects, driven from the committed change', () => {
  it('deletes the run’s temporary artifacts (and nothing else) after the failure commits', async () => {
    const { newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    const other = await newScanRun();
    const root = process.env.WRO_ARTIFACTS_DIR as string;
    for (const run of [id, other]) {
      mkdirSync(join(root, `tmp/scan-runs/${run}/frames`), { recursive: true });
      writeFileSync(join(root, `tmp/scan-runs/${run}/frames/1.png`), 'png');
    }
    mkdirSync(join(root, 'artifacts'), { recursive: true });
    writeFileSync(join(root, 'artifacts/keep.png'), 'png');
    const res = await api('POST', '/api/scanner/results', {
      body: {
        scanRunId: id,
        status: 'failed',
        error: { code: 'DNS_FAILURE', message: 'could not resolve host' },
      },
      headers: { 'X-Scanner-Secret': TEST_SCANNER_SECRET },
      idempotencyKey: 'fail-cleanup',
    });
    expect(res.status).toBe(202);
    await eventually(
      () => !existsSync(join(root, `tmp/scan-runs/${id}`)),
      'temporary artifacts to be deleted',
    );
    expect(existsSync(join(root, `tmp/scan-runs/${other}/frames/1.png`))).toBe(true);
    expect(existsSync(join(root, 'artifacts/keep.png'))).toBe(true);
  });
});
