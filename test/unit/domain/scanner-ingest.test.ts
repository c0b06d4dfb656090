import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import { applyPlan } from '../../../lib/db/commit.ts';
import type { ScanRunItem } from '../../../lib/db/scan-runs-store.ts';
import { planScannerResult } from '../../../lib/domain/scanner-ingest.ts';
import { parseScannerResult } from '../../../lib/domain/scanner-validate.ts';
import type { AppError } from '../../../lib/errors.ts';
import { DOCUMENTED_CURL_BODY } from '../../support/scanner-fixtures.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const db: Db = { doc, table: 't' };
beforeEach(() => ddb.reset());

const run: ScanRunItem = {
  id: 7,
  account_id: 'acc_1',
  project_id: 'prj_1',
  status: 'queued',
  credit_reserved: true,
  counters: null,
  error: null,
  report_status: 'not_started',
  temp_prefix: 'tmp/scan-runs/7/',
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
  completed_at: null,
};
const failedResult = parseScannerResult({
  scanRunId: 7,
  status: 'failed',
  error: { code: 'X', message: 'm' },
});
const completedResult = parseScannerResult(JSON.parse(DOCUMENTED_CURL_BODY(7)));
/** The run's own entry (0) failed: the run is as given now. */
const runConditionFailed = (now: Partial<ScanRunItem>) =>
  new TransactionCanceledException({
    message: 'x',
    $metadata: {},
    CancellationReasons: [
      { Code: 'ConditionalCheckFailed', Item: marshall({ ...run, ...now }) },
      { Code: 'None' },
    ],
  });

describe('planning a scanner result', () => {
  it('a failed result is one transaction (run + credit) answering failed once committed', async () => {
    const plan = await planScannerResult(db, failedResult, run);
    expect(plan.writes).toHaveLength(2);
    expect(plan.writes[0]!.Update!.ExpressionAttributeValues).toMatchObject({
      ':error': { code: 'X', message: 'm' },
    });
    ddb.on(TransactWriteCommand).resolves({});
    expect(await applyPlan(db, plan)).toEqual({ scan_run_id: 7, status: 'failed', duplicate: false });
  });

  it('a failed result refused once terminal is a duplicate with the status found', async () => {
    const plan = await planScannerResult(db, failedResult, run);
    expect(
      plan.onConditionFailed({
        index: 0,
        code: 'ConditionalCheckFailed',
        item: { ...run, status: 'completed' },
      }),
    ).toEqual({ scan_run_id: 7, status: 'completed', duplicate: true });
    ddb.on(TransactWriteCommand).rejects(runConditionFailed({ status: 'completed' }));
    expect(await applyPlan(db, plan)).toEqual({ scan_run_id: 7, status: 'completed', duplicate: true });
  });

  it('a completed result writes its items first, then commits the run in one conditional write', async () => {
    ddb.on(BatchWriteCommand).resolves({});
    const plan = await planScannerResult(db, completedResult, run);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(1);
    expect(plan.writes).toHaveLength(1);
    expect(plan.writes[0]!.Update!.ConditionExpression).toBe('#status = :queued');
    expect(plan.result).toEqual({ scan_run_id: 7, status: 'completed', duplicate: false });

    ddb.on(TransactWriteCommand).rejects(runConditionFailed({ status: 'failed' }));
    expect(await applyPlan(db, plan)).toEqual({ scan_run_id: 7, status: 'failed', duplicate: true });
  });

  it('a terminal run writes nothing and answers a duplicate', async () => {
    const plan = await planScannerResult(db, completedResult, { ...run, status: 'completed' });
    expect(plan.writes).toEqual([]);
    expect(await applyPlan(db, plan)).toEqual({ scan_run_id: 7, status: 'completed', duplicate: true });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('an unknown run is 422 SCAN_RUN_NOT_FOUND', async () => {
    const code = await planScannerResult(db, failedResult, undefined).catch((e: AppError) => e.code);
    expect(code).toBe('SCAN_RUN_NOT_FOUND');
  });
});
