import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../../lib/db/client.ts';
import type { WritePlan } from '../../../lib/db/commit.ts';
import type { TransactItem } from '../../../lib/db/dynamo.ts';
import { completionWrite, idempotencyStore, type StoredResponse } from '../../../lib/db/idempotency-store.ts';
import { keys } from '../../../lib/db/keys.ts';
import { type AppError, ConflictError, IdempotencyInProgressError } from '../../../lib/errors.ts';
import { commitPlan, type RouteOutput } from '../../../lib/http/commit.ts';
import type { RequestState } from '../../../lib/http/context.ts';
import type { ResponseSealer } from '../../../lib/http/middleware/idempotency.ts';
import { findRoute } from '../../../lib/http/routes.ts';
import { transactionCancelled as cancelled } from '../../support/dynamodb-fakes.ts';
import { account, bodyOf } from './harness.ts';

/**
 * The one commit of a request (lib/http/commit.ts) on a mocked DynamoDB document client: the plan's
 * writes and the idempotency completion in one transaction, and what each failed condition means.
 */

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const store = idempotencyStore(db, { ttlSeconds: 86_400, lockSeconds: 30 });
const KEY = keys.idempotency('acc_1', 'projects.create', 'k1');
const NOW_MS = 1_700_000_000_000;
const NOW = NOW_MS / 1000;

const put = (n: number): TransactItem => ({
  Put: { TableName: 't', Item: { pk: `P#${n}`, sk: 'S' }, ConditionExpression: 'attribute_not_exists(pk)' },
});

function stateWith(claim?: RequestState['claim']): RequestState {
  return {
    route: findRoute('projects.create'),
    requestId: 'req-1',
    startedAt: 0,
    principal: account(),
    rawBody: '',
    responseHeaders: {},
    admission: [],
    claim,
  };
}
const FINGERPRINT = 'fp-1';
const open = () => ({ key: KEY, claimId: 'claim-1', fingerprint: FINGERPRINT, done: false });

type Result = { id: string; created: boolean };
function plan(onConditionFailed: WritePlan<Result>['onConditionFailed'] = vi.fn()): WritePlan<Result> {
  return { writes: [put(1), put(2)], result: { id: 'prj_1', created: true }, onConditionFailed };
}
const respond = (r: Result): RouteOutput => ({
  status: r.created ? 201 : 200,
  body: { id: r.id },
  headers: { Location: `/api/projects/${r.id}` },
});
const storedAnswer: StoredResponse = {
  statusCode: 201,
  headers: { 'Content-Type': 'application/json', Location: '/api/projects/prj_1' },
  body: '{"id":"prj_1"}',
};

function fakeSealer(): ResponseSealer {
  return {
    seal: async (plaintext, aad) => `sealed(${aad}):${Buffer.from(plaintext).toString('base64')}`,
    open: async (sealed, aad) => Buffer.from(sealed.slice(`sealed(${aad}):`.length), 'base64').toString(),
  };
}

const transactions = () => ddbMock.commandCalls(TransactWriteCommand).map((c) => c.args[0].input);

beforeEach(() => {
  ddbMock.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW_MS);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('commitPlan: committed', () => {
  it("puts the plan's writes and the completion in ONE transaction, with the claim id as its token", async () => {
    ddbMock.on(TransactWriteCommand).resolves({});
    const state = stateWith(open());
    const p = plan();
    const res = await commitPlan({ db, store }, state, p, respond);
    expect(res.statusCode).toBe(201);
    expect(bodyOf(res)).toEqual({ id: 'prj_1' });
    expect(res.headers).toEqual({ 'Content-Type': 'application/json', Location: '/api/projects/prj_1' });
    expect(transactions()).toHaveLength(1);
    const [tx] = transactions();
    expect(tx!.ClientRequestToken).toBe('claim-1');
    expect(tx!.TransactItems).toEqual([...p.writes, completionWrite(db, KEY, 'claim-1', storedAnswer)]);
    expect(state.claim).toEqual({ key: KEY, claimId: 'claim-1', fingerprint: FINGERPRINT, done: true });
    expect(p.onConditionFailed).not.toHaveBeenCalled();
  });

  it('stores the answer sealed when the route has a sealer', async () => {
    ddbMock.on(TransactWriteCommand).resolves({});
    const res = await commitPlan({ db, store, sealer: fakeSealer() }, stateWith(open()), plan(), respond);
    expect(bodyOf(res)).toEqual({ id: 'prj_1' });
    const completion = transactions()[0]!.TransactItems!.at(-1)!;
    const stored = completion.Update!.ExpressionAttributeValues![':response'] as StoredResponse;
    expect(stored).not.toHaveProperty('body');
    expect(stored.sealed_body).toBe(`sealed(${KEY.pk}):${Buffer.from('{"id":"prj_1"}').toString('base64')}`);
  });

  it("without a claim, commits only the plan's writes, with no token", async () => {
    ddbMock.on(TransactWriteCommand).resolves({});
    const state = stateWith(undefined);
    const p = plan();
    const res = await commitPlan({ db, store }, state, p, respond);
    expect(res.statusCode).toBe(201);
    expect(transactions()).toEqual([{ TransactItems: p.writes, ClientRequestToken: undefined }]);
    expect(state.claim).toBeUndefined();
  });
});

describe('commitPlan: a business condition failed', () => {
  it('hands the failed entry to the plan and lets its error propagate; the claim stays open for the middleware', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(
        cancelled([
          { Code: 'None' },
          { Code: 'ConditionalCheckFailed', Item: { pk: 'P#2' } },
          { Code: 'None' },
        ]),
      );
    const conflict = new ConflictError('The export is not pending approval.', 'EXPORT_NOT_PENDING');
    const onConditionFailed = vi.fn((): Result => {
      throw conflict;
    });
    const state = stateWith(open());
    await expect(commitPlan({ db, store }, state, plan(onConditionFailed), respond)).rejects.toBe(conflict);
    expect(onConditionFailed).toHaveBeenCalledWith({
      index: 1,
      code: 'ConditionalCheckFailed',
      item: { pk: 'P#2' },
    });
    expect(state.claim).toEqual(open());
    expect(transactions()).toHaveLength(1);
  });

  it('answers the result the plan returns instead (no write), and leaves the claim open to be stored', async () => {
    ddbMock
      .on(TransactWriteCommand)
      .rejects(cancelled([{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }]));
    const state = stateWith(open());
    const res = await commitPlan(
      { db, store },
      state,
      plan(() => ({ id: 'prj_1', created: false })),
      respond,
    );
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toEqual({ id: 'prj_1' });
    expect(res.headers?.['Idempotent-Replayed']).toBeUndefined();
    expect(state.claim).toEqual(open());
    expect(transactions()).toHaveLength(1);
  });

  it('a claim taken over wins over a business failure in the same transaction: the key’s answer is replayed', async () => {
    // The request that took the key over changed the state (hence the business failure) and stored its
    // answer; this late request must answer that, not its own business refusal.
    ddbMock.on(TransactWriteCommand).rejects(
      cancelled([
        { Code: 'None' },
        { Code: 'ConditionalCheckFailed' },
        {
          Code: 'ConditionalCheckFailed',
          Item: { ...KEY, status: 'completed', fingerprint: FINGERPRINT, response: storedAnswer },
        },
      ]),
    );
    const onConditionFailed = vi.fn(() => ({ id: 'prj_1', created: false }));
    const res = await commitPlan({ db, store }, stateWith(open()), plan(onConditionFailed), respond);
    expect(onConditionFailed).not.toHaveBeenCalled();
    expect(res.headers?.['Idempotent-Replayed']).toBe('true');
    expect(res.body).toBe(storedAnswer.body);
  });

  it('a key taken over by a request with another body answers 422 IDEMPOTENCY_KEY_REUSED, not its answer', async () => {
    ddbMock.on(TransactWriteCommand).rejects(
      cancelled([
        { Code: 'None' },
        { Code: 'None' },
        {
          Code: 'ConditionalCheckFailed',
          Item: { ...KEY, status: 'completed', fingerprint: 'another-body', response: storedAnswer },
        },
      ]),
    );
    await expect(commitPlan({ db, store }, stateWith(open()), plan(vi.fn()), respond)).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });
});

describe('commitPlan: only the completion failed (the key was taken over)', () => {
  it('replays the stored response the key now holds; nothing of this request was written', async () => {
    const other: StoredResponse = {
      statusCode: 201,
      headers: { 'Content-Type': 'application/json' },
      body: '{"id":"prj_first"}',
    };
    ddbMock.on(TransactWriteCommand).rejects(
      cancelled([
        { Code: 'None' },
        { Code: 'None' },
        {
          Code: 'ConditionalCheckFailed',
          Item: {
            ...KEY,
            status: 'completed',
            claim_id: 'claim-2',
            fingerprint: FINGERPRINT,
            response: other,
          },
        },
      ]),
    );
    const state = stateWith(open());
    const p = plan();
    const res = await commitPlan({ db, store }, state, p, respond);
    expect(res).toEqual({
      statusCode: 201,
      body: '{"id":"prj_first"}',
      headers: { 'Content-Type': 'application/json', 'Idempotent-Replayed': 'true' },
    });
    expect(p.onConditionFailed).not.toHaveBeenCalled();
    // No longer this request's claim: the middleware must not complete or release it.
    expect(state.claim).toBeUndefined();
  });

  it('opens a sealed stored response for the replay', async () => {
    const sealer = fakeSealer();
    const sealed = await sealer.seal('{"signing_secret":"whsec_x"}', KEY.pk);
    ddbMock.on(TransactWriteCommand).rejects(
      cancelled([
        { Code: 'None' },
        { Code: 'None' },
        {
          Code: 'ConditionalCheckFailed',
          Item: {
            ...KEY,
            status: 'completed',
            fingerprint: FINGERPRINT,
            response: { statusCode: 201, headers: {}, sealed_body: sealed },
          },
        },
      ]),
    );
    const res = await commitPlan({ db, store, sealer }, stateWith(open()), plan(), respond);
    expect(res.body).toBe('{"signing_secret":"whsec_x"}');
    expect(res.headers?.['Idempotent-Replayed']).toBe('true');
  });

  it('answers 409 IDEMPOTENCY_REQUEST_IN_PROGRESS with the remaining lock time when another request holds it', async () => {
    ddbMock.on(TransactWriteCommand).rejects(
      cancelled([
        { Code: 'None' },
        { Code: 'None' },
        {
          Code: 'ConditionalCheckFailed',
          Item: {
            ...KEY,
            status: 'in_progress',
            claim_id: 'claim-2',
            fingerprint: FINGERPRINT,
            lock_expires_at: NOW + 12,
          },
        },
      ]),
    );
    const state = stateWith(open());
    const p = plan();
    const err = await commitPlan({ db, store }, state, p, respond).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(IdempotencyInProgressError);
    expect((err as AppError).status).toBe(409);
    expect((err as AppError).headers['Retry-After']).toBe('12');
    expect(p.onConditionFailed).not.toHaveBeenCalled();
    expect(state.claim).toBeUndefined();
  });

  it('answers 409 with Retry-After of at least 1 s when the record is gone or its lock already ran out', async () => {
    for (const item of [
      undefined,
      { ...KEY, status: 'in_progress', fingerprint: FINGERPRINT, lock_expires_at: NOW - 5 },
    ]) {
      ddbMock.reset();
      ddbMock
        .on(TransactWriteCommand)
        .rejects(
          cancelled([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Item: item }]),
        );
      const state = stateWith(open());
      const err = await commitPlan({ db, store }, state, plan(), respond).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(IdempotencyInProgressError);
      expect((err as AppError).headers['Retry-After']).toBe('1');
      expect(state.claim).toBeUndefined();
    }
  });
});
