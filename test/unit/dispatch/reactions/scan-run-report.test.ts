import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ArtifactStore, s3ArtifactStore } from '../../../../lib/artifacts/artifact-store.ts';
import { s3Requests } from '../../../../lib/aws/s3-requests.ts';
import { produceReport, scanRunReport } from '../../../../lib/dispatch/reactions/scan-run-report.ts';
import { REACTIONS } from '../../../../lib/dispatch/reactions.ts';
import { startFakeS3 } from '../../../support/fake-s3.ts';
import { issueRecord, pageRecord } from '../../../support/report-fixtures.ts';
import { change, ddbMock, resetMocks, rt } from './harness.ts';

beforeEach(resetMocks);

const run = (over: Record<string, unknown> = {}) => ({
  id: 42,
  account_id: 'acc_1',
  project_id: 'prj_0123456789abcdef01234567',
  status: 'completed',
  report_status: 'pending',
  report_error: null,
  ingest_id: 'ing1',
  result_shards: 1,
  counters: null,
  completed_at: '2026-01-01T00:00:00.000Z',
  ...over,
});

function memoryStore(fail?: Error): ArtifactStore & { docs: Map<string, { body: string; type: string }> } {
  const docs = new Map<string, { body: string; type: string }>();
  return {
    docs,
    deletePrefix: async () => 0,
    put: async (key, body, type) => {
      if (fail) throw fail;
      docs.set(key, { body, type });
    },
  };
}

/** The run, read consistently, and its pages and issues. */
function storedRun(item: Record<string, unknown>) {
  ddbMock.on(GetCommand).resolves({ Item: { pk: 'SCANRUN#42', sk: 'SCANRUN', ...item } });
  ddbMock
    .on(QueryCommand)
    .callsFake((input) =>
      input.ExpressionAttributeValues[':prefix'].startsWith('PAGE#')
        ? { Items: [{ pk: 'SCANRUN#42', sk: 'PAGE#ing1#000000', ...pageRecord(0), response_headers: [] }] }
        : { Items: [{ pk: 'SCANRUN#42', sk: 'ISSUE#ing1#fp-00000001', ...issueRecord('fp-00000001') }] },
    );
}

describe('scan-run-report', () => {
  it('acts on a run committed as completed, and runs after the findings reaction', () => {
    expect(scanRunReport.matches(change('SCANRUN', { status: 'queued' }, run()))).toBe(true);
    expect(scanRunReport.matches(change('SCANRUN', { status: 'completed' }, run()))).toBe(false);
    expect(scanRunReport.matches(change('SCANRUN', { status: 'queued' }, run({ status: 'failed' })))).toBe(
      false,
    );
    const names = REACTIONS.map((r) => r.name);
    expect(names.at(-1)).toBe('scan-run-report');
    expect(names.indexOf('scan-run-findings')).toBeLessThan(names.indexOf('scan-run-report'));
  });

  it('builds both documents from the consistently read run, stores them, then pending → ready', async () => {
    const delta = { new: 1, fixed: 0, reopened: 0, unchanged: 0, not_rechecked: 0 };
    storedRun(run({ findings_status: 'applied', findings_delta: delta }));
    ddbMock.on(UpdateCommand).resolves({});
    const store = memoryStore();
    const outcome = await produceReport(rt.db, store, 42);
    expect(ddbMock.commandCalls(GetCommand)[0]!.args[0].input.ConsistentRead).toBe(true);
    for (const q of ddbMock.commandCalls(QueryCommand)) expect(q.args[0].input.ConsistentRead).toBe(true);
    expect([...store.docs.keys()]).toEqual([
      'reports/scan-runs/42/report.json',
      'reports/scan-runs/42/report.sarif',
    ]);
    expect(store.docs.get('reports/scan-runs/42/report.sarif')!.type).toBe('application/sarif+json');
    const summary = JSON.parse(store.docs.get('reports/scan-runs/42/report.json')!.body);
    expect(summary.findings_delta).toEqual(delta); // from the read, not the stream image
    expect(summary.issues_count).toBe(1);
    const bytes = {
      json: Buffer.byteLength(store.docs.get('reports/scan-runs/42/report.json')!.body),
      sarif: Buffer.byteLength(store.docs.get('reports/scan-runs/42/report.sarif')!.body),
    };
    expect(outcome).toEqual({ kind: 'ready', bytes });
    const update = ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update.ConditionExpression).toBe('#status = :completed AND report_status = :pending');
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':to': 'ready',
      ':bytes': bytes,
      ':error': null,
    });
  });

  it('stores both documents in S3 with their content types (the deployed store)', async () => {
    const s3 = await startFakeS3();
    const requests = s3Requests(
      { endpoint: s3.endpoint, region: s3.region, credentials: async () => s3.credentials },
      {},
    );
    try {
      storedRun(run({ findings_status: 'applied' }));
      ddbMock.on(UpdateCommand).resolves({});
      const outcome = await produceReport(rt.db, s3ArtifactStore(requests, 'art'), 42);
      const stored = s3.objects('art');
      expect([...stored.keys()]).toEqual([
        'reports/scan-runs/42/report.json',
        'reports/scan-runs/42/report.sarif',
      ]);
      expect(stored.get('reports/scan-runs/42/report.json')?.contentType).toBe('application/json');
      expect(stored.get('reports/scan-runs/42/report.sarif')?.contentType).toBe('application/sarif+json');
      const sarif = stored.get('reports/scan-runs/42/report.sarif')?.body as Buffer;
      expect(outcome).toMatchObject({ kind: 'ready', bytes: { sarif: sarif.length } });
      expect(JSON.parse(sarif.toString('utf8')).version).toBe('2.1.0');
    } finally {
      requests.destroy();
      await s3.close();
    }
  });

  it.each([
    ['ready', run({ report_status: 'ready' })],
    ['failed', run({ report_status: 'failed' })],
    ['a failed run', run({ status: 'failed', report_status: 'unavailable' })],
  ])('a replayed record of a run whose report is %s changes nothing', async (_name, item) => {
    storedRun(item);
    const store = memoryStore();
    expect((await produceReport(rt.db, store, 42)).kind).toBe('skipped');
    expect(store.docs.size).toBe(0);
    expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('a concurrent invocation that settled first: the same bytes rewritten, the condition changes nothing', async () => {
    storedRun(run());
    ddbMock
      .on(UpdateCommand)
      .rejects(Object.assign(new Error('conditional'), { name: 'ConditionalCheckFailedException' }));
    const outcome = await produceReport(rt.db, memoryStore(), 42);
    expect(outcome).toEqual({ kind: 'skipped', reason: 'already settled' });
  });

  it('a reason it can name: the report is failed with it', async () => {
    storedRun(run({ ingest_id: undefined }));
    ddbMock.on(UpdateCommand).resolves({});
    expect(await produceReport(rt.db, memoryStore(), 42)).toEqual({
      kind: 'failed',
      code: 'RESULTS_MISSING',
    });
    expect(ddbMock.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':to': 'failed',
      ':error': { code: 'RESULTS_MISSING', message: 'The completed run names no stored results.' },
    });
  });

  it('a transient error is thrown (the stream record is retried) and the report stays pending', async () => {
    storedRun(run());
    await expect(produceReport(rt.db, memoryStore(new Error('S3 503 SlowDown')), 42)).rejects.toThrow(
      /SlowDown/,
    );
    ddbMock.on(QueryCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await expect(
      scanRunReport.run(change('SCANRUN', { status: 'queued' }, run()), {
        ...rt,
        config: { ...rt.config, artifactsDir: '/tmp/x' },
      } as never),
    ).rejects.toThrow(/throttled/);
    expect(ddbMock.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});
