import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MemoryDynamoDb, startMemoryDynamoDb } from '../../../bench/lib/dynamodb-memory.ts';
import { createDocumentClient, type Db } from '../../../lib/db/client.ts';
import {
  completeAttempt,
  getDeliveryWithPayload,
  readAttemptInputs,
  takeLease,
} from '../../../lib/db/deliveries-store.ts';
import { exportRef, putExport } from '../../../lib/db/ticket-exports-store.ts';
import { sampleExport } from '../../support/dynamodb-fakes.ts';

/**
 * The bench's DynamoDB stand-in answers the delivery stores as DynamoDB does: the same store code that
 * the contract suite runs on DynamoDB Local, here against the stand-in (bench/lib/dynamodb-memory.ts).
 */
let mem: MemoryDynamoDb;
let db: Db;

beforeAll(async () => {
  mem = await startMemoryDynamoDb({ UpdateItem: 2 });
  const client = new DynamoDBClient({
    endpoint: mem.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  db = { doc: createDocumentClient(client), table: 'bench' };
});
afterAll(async () => {
  await mem?.close();
});

const queued = (id: string) => ({
  ...sampleExport(),
  id,
  status: 'queued' as const,
  target_id: 'tgt_x',
  round: 1,
});

describe('the DynamoDB stand-in', () => {
  it('writes an export and reads state and payload back in one Query', async () => {
    const exp = queued('exp_000000000000000000000001');
    await putExport(db, exp);
    expect(await getDeliveryWithPayload(db, exportRef(exp.id), true)).toEqual(exp);
    // A second create fails its condition, as the transaction's first entry.
    await expect(putExport(db, exp)).rejects.toThrow(/condition of write 0/);
  });

  it('grants one lease of ten concurrent ones; the others get the state as it is', async () => {
    const exp = queued('exp_000000000000000000000002');
    await putExport(db, exp);
    const now = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        takeLease(db, exportRef(exp.id), { holder: `m${i}`, leaseId: `l${i}`, nowMs: now, leaseMs: 60_000 }),
      ),
    );
    const leased = outcomes.flatMap((o) => (o.kind === 'leased' ? [o.record] : []));
    expect(leased).toHaveLength(1);
    expect(
      outcomes.filter((o) => o.kind === 'refused' && o.current?.lease_id === leased[0]!.lease_id),
    ).toHaveLength(9);
    const missing = await takeLease(db, exportRef('exp_000000000000000000000999'), {
      holder: 'm',
      leaseId: 'l',
      nowMs: now,
      leaseMs: 1,
    });
    expect(missing).toEqual({ kind: 'refused', current: undefined });

    const next = {
      status: 'exported' as const,
      attempts: 1,
      retry_after_seconds: null,
      next_attempt_at: null,
      next_attempt_ms: null,
      last_error_class: null,
      last_status_code: 204,
      failure_reason: null,
      blocked_reason: null,
      delivered_at: 'now',
    };
    const log = {
      round: 1,
      attempt: 1,
      at: 'now',
      outcome: 'delivered' as const,
      status_code: 204,
      duration_ms: 1,
      error_class: null,
      retry_after_seconds: null,
      response_body: '',
    };
    // Only the holder may write the outcome; a lost lease writes nothing.
    expect(
      await completeAttempt(db, exportRef(exp.id), { leaseId: 'nobody', seq: 1, log, next, at: 'now' }),
    ).toBe(false);
    const holder = leased[0]!.lease_id as string;
    expect(
      await completeAttempt(db, exportRef(exp.id), { leaseId: holder, seq: 1, log, next, at: 'now' }),
    ).toBe(true);
    const stored = await getDeliveryWithPayload(db, exportRef(exp.id), true);
    expect(stored).toMatchObject({ status: 'exported', attempts: 1, log_seq: 1, body: exp.body });
    expect(stored).not.toHaveProperty('lease_id');
  });

  it('reads the attempt inputs in one BatchGetItem, absent items left out', async () => {
    const exp = queued('exp_000000000000000000000003');
    await putExport(db, exp);
    expect(
      await readAttemptInputs(db, exportRef(exp.id), {
        payload: true,
        targetId: 'tgt_none',
        accountId: 'acc_none',
      }),
    ).toEqual({
      payload: { body: exp.body, issue_fingerprints: exp.issue_fingerprints },
      target: undefined,
      account: undefined,
    });
  });
});
