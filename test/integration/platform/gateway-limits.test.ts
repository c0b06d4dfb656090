import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import { apiClient } from '../../support/api-client.ts';
import { switchableHooks } from '../../support/hooks.ts';
import { startTestStack } from '../../support/local-stack.ts';
import { multiPage } from '../../support/scanner-fixtures.ts';
import { accountWithProject, partitionCount, scannerPostback } from '../../support/scenario.ts';

/**
 * The local gateway holds requests to AWS's limits (docs/platform.md, "Limits"): Lambda's 6 MB event,
 * the body inside it as escaped JSON text (or base64 when compressed), and API Gateway's integration
 * timeout (shortened here to keep the test short).
 */
const { set: seams, hooks } = switchableHooks();
const TIMEOUT_MS = 1_500;
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  stack = await startTestStack({ workers: false });
  api = apiClient(stack.apiUrl);
});
afterAll(async () => stack?.stop());

const postback = (body: Buffer | string, key: string, headers?: Record<string, string>) =>
  scannerPostback(api)(body, key, headers);

describe('Lambda event limit and gzip bodies', () => {
  it('refuses a body whose event exceeds 6 MB uncompressed, and stores it completely gzip-compressed', async () => {
    const { newScanRun } = await accountWithProject(stack.db, api);
    const id = await newScanRun();
    // 300 pages × 8 issues with every header at 8 KB: a body under the 6 MB decompressed limit whose
    // event, once its quotes are escaped, is over Lambda's 6,291,456 bytes.
    const payload = multiPage(id, 300, 8);
    for (const entry of payload.pages)
      entry.page.responseHeaders = { 'x-a': 'a'.repeat(8000), 'x-b': '"'.repeat(4000) } as never;
    const text = JSON.stringify(payload);
    expect(Buffer.byteLength(text)).toBeLessThan(6 * 1024 * 1024);
    expect(Buffer.byteLength(JSON.stringify({ body: text }))).toBeGreaterThan(6_291_456);

    const plain = await postback(text, 'limits-plain');
    expect(plain.status).toBe(413);
    expect(plain.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await partitionCount(stack.db, id)).toBe(1); // the run item alone: nothing reached the function

    const compressed = gzipSync(text);
    const zipped = await postback(compressed, 'limits-gzip', { 'Content-Encoding': 'gzip' });
    expect(zipped.status).toBe(202);
    expect(await partitionCount(stack.db, id)).toBe(1 + 300 + 300 * 8);
    // The same request again, compressed or not, is the same request (its meaning): a replay.
    const again = await postback(gzipSync(JSON.stringify(JSON.parse(text), null, 1)), 'limits-gzip', {
      'Content-Encoding': 'gzip',
    });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  }, 120_000);

  it('refuses a gzip body that decompresses past 6 MB (413), a coding it does not know and bytes that are not gzip (415)', async () => {
    const bomb = gzipSync(Buffer.from(`{"a":"${'x'.repeat(7 * 1024 * 1024)}"}`));
    expect((await postback(bomb, 'limits-bomb', { 'Content-Encoding': 'gzip' })).status).toBe(413);
    expect((await postback(gzipSync('{}'), 'limits-br', { 'Content-Encoding': 'br' })).status).toBe(415);
    expect((await postback('{"scanRunId":1}', 'limits-fake', { 'Content-Encoding': 'gzip' })).status).toBe(
      415,
    );
  });
});

describe('API Gateway integration timeout', () => {
  let slow: Awaited<ReturnType<typeof startTestStack>>;
  beforeAll(async () => {
    slow = await startTestStack({
      workers: false,
      hooks,
      integrationTimeoutMs: TIMEOUT_MS,
      allowPrivateTargets: false,
    });
  });
  afterAll(async () => {
    seams.resolve = undefined;
    await slow?.stop();
  });

  it('answers 503 when the function is late, and the same key then answers what the function did, once', async () => {
    const account = await createAccount(slow.db, { name: 'Slow', plan: 'team' });
    const token = (await createToken(slow.db, { accountId: account.id })).api_token;
    let release: () => void = () => {};
    const resolved = new Promise<void>((r) => {
      release = r;
    });
    seams.resolve = async () => {
      await resolved; // the URL check waits past the gateway's timeout
      return [{ address: '93.184.215.14', family: 4 }];
    };
    const create = () =>
      apiClient(slow.apiUrl)('POST', '/api/ticket-export-targets', {
        token,
        idempotencyKey: 'slow-target',
        body: {
          provider_key: 'generic_webhook',
          base_url: 'https://hooks.example.com/slow',
          deployment_mode: 'webhook-only',
          name: 'Slow',
        },
      });
    const first = await create();
    expect(first.status).toBe(503);
    expect(first.body.error.code).toBe('SERVICE_UNAVAILABLE');
    release();
    let retried = await create();
    for (let i = 0; i < 40 && retried.status === 409; i++) {
      await new Promise((r) => setTimeout(r, 100));
      retried = await create();
    }
    expect(retried.status).toBe(201);
    const list = await apiClient(slow.apiUrl)('GET', '/api/ticket-export-targets', { token });
    expect(list.body.items.map((t: { id: string }) => t.id)).toEqual([retried.body.id]);
  });
});
