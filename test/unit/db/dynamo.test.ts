import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  cancellationReasons,
  conditionFailure,
  getItems,
  isRetryable,
  stripKeys,
  withRetries,
} from '../../../lib/db/dynamo.ts';
import { transactionCancelled as cancelled } from '../../support/dynamodb-fakes.ts';

const named = (name: string) => Object.assign(new Error(name), { name });

describe('item helpers', () => {
  it('strips the table and index keys, keeps everything else', () => {
    expect(stripKeys({ pk: 'P', sk: 'S', gsi1pk: 'G', gsi1sk: 'H', id: 'x', pkish: 1 })).toEqual({
      id: 'x',
      pkish: 1,
    });
    expect(stripKeys(undefined)).toBeUndefined();
  });

  it('a failed single-write condition carries the current item, unmarshalled', () => {
    const err = Object.assign(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }), {
      Item: marshall({ id: 'x', n: 2 }),
    });
    expect(conditionFailure(err)).toEqual({ item: { id: 'x', n: 2 } });
    expect(conditionFailure(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }))).toEqual({
      item: undefined,
    });
    expect(conditionFailure(new Error('other'))).toBeNull();
  });

  it('reads the per-entry cancellation reasons in order, with the items asked for', () => {
    const reasons = cancellationReasons(
      cancelled([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: { status: 'done' } }, {}]),
    );
    expect(reasons).toEqual([
      { code: 'None', item: undefined },
      { code: 'ConditionalCheckFailed', item: { status: 'done' } },
      { code: 'None', item: undefined },
    ]);
    expect(cancellationReasons(named('ValidationException'))).toBeNull();
  });
});

describe('isRetryable', () => {
  it.each([
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'RequestLimitExceeded',
    'TransactionConflictException',
    'TransactionInProgressException',
    'InternalServerError',
  ])('retries %s', (name) => {
    expect(isRetryable(named(name))).toBe(true);
  });

  it('does not retry a failed condition, a bad request or anything that is not an AWS error', () => {
    expect(isRetryable(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }))).toBe(false);
    expect(isRetryable(named('ValidationException'))).toBe(false);
    expect(isRetryable(new Error('boom'))).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
    expect(isRetryable('ThrottlingException')).toBe(false);
  });

  it('retries a cancellation only for a conflict or throttling, never when a condition failed', () => {
    expect(isRetryable(cancelled([{ Code: 'TransactionConflict' }, { Code: 'None' }]))).toBe(true);
    expect(isRetryable(cancelled([{ Code: 'None' }, { Code: 'ThrottlingError' }]))).toBe(true);
    expect(isRetryable(cancelled([{ Code: 'ProvisionedThroughputExceeded' }]))).toBe(true);
    expect(
      isRetryable(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }])),
    ).toBe(false);
    expect(isRetryable(cancelled([{ Code: 'ValidationError' }, { Code: 'None' }]))).toBe(false);
    expect(isRetryable(cancelled([]))).toBe(false);
  });
});

describe('withRetries', () => {
  let sleeps: number[];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  beforeEach(() => {
    sleeps = [];
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('returns the first success without pausing', async () => {
    const op = vi.fn(async () => 42);
    expect(await withRetries(op, { sleep })).toBe(42);
    expect(op).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
  });

  it('tries again after a full-jitter exponential pause while the error is retryable', async () => {
    const op = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(named('ThrottlingException'))
      .mockRejectedValueOnce(named('ProvisionedThroughputExceededException'))
      .mockRejectedValueOnce(cancelled([{ Code: 'TransactionConflict' }]))
      .mockResolvedValue('ok');
    expect(await withRetries(op, { sleep, baseDelayMs: 20 })).toBe('ok');
    expect(op).toHaveBeenCalledTimes(4);
    // random() = 0.5 of min(cap, base · 2^(attempt-1))
    expect(sleeps).toEqual([10, 20, 40]);
  });

  it('caps the pause at maxDelayMs', async () => {
    const op = vi.fn(async () => {
      throw named('ThrottlingException');
    });
    await expect(withRetries(op, { sleep, attempts: 5, baseDelayMs: 100, maxDelayMs: 300 })).rejects.toThrow(
      'ThrottlingException',
    );
    expect(sleeps).toEqual([50, 100, 150, 150]);
  });

  it('throws the last error as it was once the attempts are used up', async () => {
    const errors = [named('ThrottlingException'), named('ThrottlingException'), named('ThrottlingException')];
    let i = 0;
    const op = vi.fn(async () => {
      throw errors[i++];
    });
    const thrown = await withRetries(op, { sleep, attempts: 3 }).catch((e: unknown) => e);
    expect(thrown).toBe(errors[2]);
    expect(op).toHaveBeenCalledTimes(3);
    expect(sleeps).toHaveLength(2);
  });

  it('tries 8 times by default', async () => {
    const op = vi.fn(async () => {
      throw named('ThrottlingException');
    });
    await expect(withRetries(op, { sleep })).rejects.toThrow();
    expect(op).toHaveBeenCalledTimes(8);
  });

  it('throws a non-retryable error at once', async () => {
    const err = new ConditionalCheckFailedException({ message: 'x', $metadata: {} });
    const op = vi.fn(async () => {
      throw err;
    });
    await expect(withRetries(op, { sleep })).rejects.toBe(err);
    expect(op).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
  });

  it('uses the retryable predicate given', async () => {
    const op = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('flaky'))
      .mockResolvedValue('ok');
    expect(await withRetries(op, { sleep, retryable: (e) => (e as Error).message === 'flaky' })).toBe('ok');
    expect(op).toHaveBeenCalledTimes(2);
  });

  it('does not start a pause that would end past the deadline', async () => {
    const op = vi.fn(async () => {
      throw named('ThrottlingException');
    });
    await expect(withRetries(op, { sleep, baseDelayMs: 1000, deadlineMs: 100 })).rejects.toThrow();
    expect(op).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
  });
});

describe('getItems', () => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const ddb = mockClient(doc);
  const db = { doc, table: 't' };
  beforeEach(() => ddb.reset());
  const key = (i: number) => ({ pk: `P#${i}`, sk: 'S' });

  it('reads in requests of 100 distinct keys, asks again for unprocessed ones, answers in key order', async () => {
    let first = true;
    ddb.on(BatchGetCommand).callsFake((input) => {
      const keys = input.RequestItems.t.Keys as { pk: string; sk: string }[];
      // The first request leaves its last key unprocessed (throttling); every key but #7 exists.
      const unprocessed = first ? keys.slice(-1) : [];
      first = false;
      const answered = keys.filter((k) => !unprocessed.includes(k) && k.pk !== 'P#7');
      return {
        Responses: { t: answered.map((k) => ({ ...k, n: Number(k.pk.slice(2)) })) },
        UnprocessedKeys: unprocessed.length ? { t: { Keys: unprocessed } } : {},
      };
    });
    const wanted = [...Array.from({ length: 150 }, (_, i) => key(i)), key(3)];
    const items = await getItems<{ n: number }>(db, wanted, { consistent: true });
    const sizes = ddb.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.t!.Keys!.length);
    expect(sizes).toEqual([100, 1, 50]);
    expect(
      ddb.commandCalls(BatchGetCommand).every((c) => c.args[0].input.RequestItems!.t!.ConsistentRead),
    ).toBe(true);
    expect(items).toHaveLength(151);
    expect(items[7]).toBeUndefined();
    expect(items[99]).toEqual({ n: 99 });
    expect(items[150]).toEqual({ n: 3 });
    expect(items.filter(Boolean)).toHaveLength(150);
  });

  it('throws, never answers absent, when keys stay unprocessed', async () => {
    ddb.on(BatchGetCommand).callsFake((input) => ({
      Responses: { t: [] },
      UnprocessedKeys: { t: { Keys: input.RequestItems.t.Keys } },
    }));
    await expect(getItems(db, [key(1)], { attempts: 2 })).rejects.toThrow('unprocessed');
  });
});
