import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createFaultInjector,
  type FaultProfile,
  InvocationCrashed,
  parseFaultProfile,
} from '../../../infra/local/faults.ts';
import { batchPutItems } from '../../../lib/db/batch-write.ts';
import { createDocumentClient, type Db } from '../../../lib/db/client.ts';
import { cancellationReasons, conditionFailure, getItems, isRetryable } from '../../../lib/db/dynamo.ts';
import { createTestTable } from '../../support/local-stack.ts';

/**
 * The fault injector against DynamoDB Local and the local SQS server: each fault reaches the code as
 * AWS's would (the SDK's own exception classes, its retries), and what it says was applied was applied.
 */
let table: Db;
beforeAll(async () => {
  table = await createTestTable();
});

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** A document client on the test table with the injector installed (SDK retries: `maxAttempts`). */
function faulty(profile: FaultProfile, maxAttempts = 3) {
  const faults = createFaultInjector(profile);
  const doc = createDocumentClient(
    new DynamoDBClient({ ...LOCAL, endpoint: inject('dynamodbEndpoint'), maxAttempts }),
  );
  faults.install(doc, 'dynamodb');
  return { faults, db: { doc, table: table.table } satisfies Db };
}

let n = 0;
const key = () => ({ pk: `FAULT#${++n}`, sk: 'X' });
const stored = async ({ pk, sk }: { pk: string; sk: string }) =>
  (await table.doc.send(new GetCommand({ TableName: table.table, Key: { pk, sk }, ConsistentRead: true })))
    .Item;

describe('throttling', () => {
  it('is retried by the SDK as AWS throttling is, and reaches the code once the SDK gives up', async () => {
    const { faults, db } = faulty({ rates: { throttle: 1 } }, 2);
    const k = key();
    const err = await db.doc
      .send(new PutCommand({ TableName: db.table, Item: { ...k, v: 1 } }))
      .catch((e: unknown) => e);
    expect(['ProvisionedThroughputExceededException', 'ThrottlingException']).toContain((err as Error).name);
    expect(isRetryable(err)).toBe(true);
    expect((err as { $metadata: { attempts: number } }).$metadata.attempts).toBe(2);
    expect(faults.injected.map((f) => f.kind)).toEqual(['throttle', 'throttle']);
    expect(await stored(k)).toBeUndefined();
  });

  it('at a named point: only that call, and the SDK retry then succeeds', async () => {
    const { faults, db } = faulty({
      points: [{ invocation: 'route', operation: 'PutItem', nth: 2, fault: 'throttle' }],
    });
    const run = faults.wrap('route', async () => {
      const a = key();
      const b = key();
      await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...a, v: 1 } }));
      const res = await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...b, v: 2 } }));
      return { a, b, attempts: res.$metadata.attempts };
    });
    const { a, b, attempts } = await run(undefined, { awsRequestId: 'req-1' });
    expect(attempts).toBe(2);
    expect(await stored(a)).toMatchObject({ v: 1 });
    expect(await stored(b)).toMatchObject({ v: 2 });
    expect(faults.invocation('req-1')).toMatchObject({ name: 'route', faults: ['throttle'], exhausted: [] });
  });

  it('is the real exception class', async () => {
    const { db } = faulty({ rates: { throttle: 1 } }, 1);
    // Half of DynamoDB throttles are ProvisionedThroughputExceeded: draw until one is.
    for (let i = 0; i < 20; i++) {
      const err = await db.doc
        .send(new GetCommand({ TableName: db.table, Key: key() }))
        .catch((e: unknown) => e);
      if ((err as Error).name === 'ProvisionedThroughputExceededException') {
        expect(err).toBeInstanceOf(ProvisionedThroughputExceededException);
        return;
      }
    }
    throw new Error('no ProvisionedThroughputExceededException in 20 draws');
  });
});

describe('transaction conflicts', () => {
  it('cancel the whole transaction with a TransactionConflict reason, which the code retries', async () => {
    const { faults, db } = faulty({ rates: { conflict: 1 } });
    const [a, b] = [key(), key()];
    const err = await db.doc
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: db.table, Item: a } },
            { Put: { TableName: db.table, Item: b } },
          ],
        }),
      )
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('TransactionCanceledException');
    const reasons = cancellationReasons(err)?.map((r) => r.code);
    expect(reasons?.sort()).toEqual(['None', 'TransactionConflict']);
    expect(isRetryable(err)).toBe(true);
    // Not an SDK retry: the SDK leaves cancellations to the code (one injection, one attempt).
    expect(faults.injected).toHaveLength(1);
    expect(await stored(a)).toBeUndefined();
    expect(await stored(b)).toBeUndefined();
  });
});

describe('unprocessed batch entries', () => {
  it('BatchWriteItem writes only what it does not hand back, and batchPutItems writes all of them', async () => {
    const { faults, db } = faulty({ rates: { unprocessed: 1 } });
    const items = Array.from({ length: 10 }, () => ({ ...key(), v: 1 }));
    const res = await db.doc.send(
      new BatchWriteCommand({
        RequestItems: { [db.table]: items.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
    const back = (res.UnprocessedItems?.[db.table] ?? []).map((r) => r.PutRequest?.Item?.pk);
    expect(back.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(Boolean(await stored(item))).toBe(!back.includes(item.pk));
    }
    // The code's own loop gets every item in, though every call leaves some behind (~half, at least one).
    const { db: flaky } = faulty({ seed: 7, rates: { unprocessed: 0.5 } });
    const more = Array.from({ length: 60 }, () => ({ ...key(), v: 2 }));
    await batchPutItems(flaky, more);
    expect(await getItems(table, more, { consistent: true })).toEqual(
      more.map(() => expect.objectContaining({ v: 2 })),
    );
    expect(faults.summary().byKind.unprocessed).toBe(1);
  });

  it('BatchGetItem answers only some keys and hands the rest back; getItems still finds every item', async () => {
    const items = Array.from({ length: 30 }, () => ({ ...key(), v: 3 }));
    await batchPutItems(table, items);
    const { faults, db } = faulty({
      points: [1, 2, 3].map((nth) => ({ operation: 'BatchGetItem', nth, fault: 'unprocessed' as const })),
    });
    const read = faults.wrap('route', () => getItems(db, items, { consistent: true }));
    const found = await read(undefined, {});
    expect(found).toEqual(items.map(() => expect.objectContaining({ v: 3 })));
    expect(faults.summary().byKind.unprocessed).toBe(3);
  });
});

describe('connections', () => {
  it('a dropped connection before the request is retried by the SDK; nothing was applied twice', async () => {
    const { faults, db } = faulty({ points: [{ operation: 'PutItem', nth: 1, fault: 'socket_error' }] });
    const k = key();
    const run = faults.wrap('route', () =>
      db.doc.send(
        new PutCommand({
          TableName: db.table,
          Item: k,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    const res = await run(undefined, {});
    expect(res.$metadata.attempts).toBe(2);
    expect(await stored(k)).toBeTruthy();
  });

  it('a lost answer of an applied write is retried too: a conditional write then meets itself (as on AWS)', async () => {
    const { faults, db } = faulty({
      points: [{ operation: 'PutItem', nth: 1, fault: 'timeout_after_write' }],
    });
    const k = key();
    const run = faults.wrap('route', () =>
      db.doc.send(
        new PutCommand({
          TableName: db.table,
          Item: { ...k, v: 'mine' },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    const err = await run(undefined, { awsRequestId: 'req-timeout' }).catch((e: unknown) => e);
    expect(conditionFailure(err)?.item).toMatchObject({ v: 'mine' });
    // The code sees the condition's answer, not the injected timeout: not counted as exhausted.
    expect(faults.invocation('req-timeout')?.exhausted).toEqual([]);
  });

  it('a transaction whose answer was lost commits once: its ClientRequestToken makes the retry succeed', async () => {
    const { faults, db } = faulty({
      points: [{ operation: 'TransactWriteItems', nth: 1, fault: 'timeout_after_write' }],
    });
    const k = key();
    const run = faults.wrap('route', () =>
      db.doc.send(
        new TransactWriteCommand({
          ClientRequestToken: `tok-${k.pk}`,
          TransactItems: [
            {
              Update: {
                TableName: db.table,
                Key: k,
                UpdateExpression: 'ADD credits :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      ),
    );
    const res = await run(undefined, {});
    expect(res.$metadata.attempts).toBe(2);
    expect(await stored(k)).toMatchObject({ credits: 1 });
  });
});

describe('crashes', () => {
  it('after a write: it is applied, the invocation ends in InvocationCrashed and makes no further call', async () => {
    const { faults, db } = faulty({
      points: [{ invocation: 'route', operation: 'write', nth: 1, fault: 'crash_after_write' }],
    });
    const [a, b] = [key(), key()];
    let cleanedUp = false;
    const run = faults.wrap('route', async () => {
      try {
        await db.doc.send(new PutCommand({ TableName: db.table, Item: a }));
      } finally {
        // What a handler's error path would do (release a claim): a dead process does not get to.
        await db.doc.send(new PutCommand({ TableName: db.table, Item: b })).then(
          () => {
            cleanedUp = true;
          },
          () => {},
        );
      }
    });
    await expect(run(undefined, { awsRequestId: 'req-crash' })).rejects.toBeInstanceOf(InvocationCrashed);
    expect(await stored(a)).toBeTruthy();
    expect(await stored(b)).toBeUndefined();
    expect(cleanedUp).toBe(false);
    expect(faults.invocation('req-crash')?.crashed).toBe('after PutItem');
    // The next invocation is a new process.
    await run(undefined, {});
    expect(await stored(b)).toBeTruthy();
  });

  it('before a write: nothing of it is applied; a handler that swallows the error still ends crashed', async () => {
    const { faults, db } = faulty({ points: [{ operation: 'write', nth: 1, fault: 'crash_before_write' }] });
    const k = key();
    const run = faults.wrap('worker', async () => {
      await db.doc.send(new PutCommand({ TableName: db.table, Item: k })).catch(() => {});
      return 'answered';
    });
    await expect(run(undefined, {})).rejects.toBeInstanceOf(InvocationCrashed);
    expect(await stored(k)).toBeUndefined();
  });

  it('are not drawn outside an invocation (the stack itself does not crash)', async () => {
    const { faults, db } = faulty({ rates: { crash_before_write: 1 } });
    const k = key();
    await db.doc.send(new PutCommand({ TableName: db.table, Item: k }));
    expect(await stored(k)).toBeTruthy();
    expect(faults.injected).toEqual([]);
  });
});

describe('SQS', () => {
  it('throttling and server errors are retried by the SDK and the message is sent once', async () => {
    const faults = createFaultInjector({
      points: [
        { operation: 'SendMessage', nth: 1, fault: 'throttle' },
        { operation: 'SendMessage', nth: 1, fault: 'server_error' },
      ],
    });
    const sqs = new SQSClient({ ...LOCAL, endpoint: inject('sqsEndpoint') });
    faults.install(sqs, 'sqs');
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: `faults-${Date.now()}` }))).QueueUrl;
    const send = faults.wrap('route', () =>
      sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })),
    );
    const first = await send(undefined, {});
    const second = await send(undefined, {});
    expect(first.$metadata.attempts).toBe(2);
    expect(second.$metadata.attempts).toBe(2);
    expect(faults.injected.map((f) => f.kind)).toEqual(['throttle', 'server_error']);
    sqs.destroy();
  });
});

describe('profiles', () => {
  it('WRO_LOCAL_FAULTS is checked, naming the variable', () => {
    expect(parseFaultProfile('{"seed":3,"rates":{"throttle":0.1}}', 'WRO_LOCAL_FAULTS')).toEqual({
      seed: 3,
      rates: { throttle: 0.1 },
    });
    for (const bad of [
      'nope',
      '[]',
      '{"rates":{"meteor":0.1}}',
      '{"rates":{"throttle":2}}',
      '{"points":[{"operation":"PutItem","nth":0,"fault":"throttle"}]}',
      '{"colour":"red"}',
    ]) {
      expect(() => parseFaultProfile(bad, 'WRO_LOCAL_FAULTS')).toThrow(
        /^WRO_LOCAL_FAULTS must be a fault profile/,
      );
    }
  });

  it('the same seed draws the same faults for the same calls', async () => {
    const draws = async () => {
      const { faults, db } = faulty({ seed: 42, rates: { throttle: 0.3, socket_error: 0.2 } }, 1);
      for (let i = 0; i < 20; i++) {
        await db.doc.send(new GetCommand({ TableName: db.table, Key: key() })).catch(() => {});
      }
      return faults.injected.map((f) => f.kind);
    };
    const first = await draws();
    expect(first.length).toBeGreaterThan(0);
    expect(await draws()).toEqual(first);
  });
});
