import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../../lib/auth/principal.ts';
import type {
  ClaimResult,
  IdempotencyKey,
  IdempotencyStore,
  StoredResponse,
} from '../../../../lib/db/idempotency-store.ts';
import { keys } from '../../../../lib/db/keys.ts';
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../../../../lib/errors.ts';
import type {
  HttpEvent,
  HttpResponse,
  RequestState,
  WroInternal,
  WroRequest,
} from '../../../../lib/http/context.ts';
import { errorEnvelope } from '../../../../lib/http/middleware/error-envelope.ts';
import {
  canonicalJson,
  idempotency,
  type ResponseSealer,
} from '../../../../lib/http/middleware/idempotency.ts';
import { jsonResponse } from '../../../../lib/http/response.ts';
import { findRoute, type RouteDef } from '../../../../lib/http/routes.ts';
import { account, bodyOf, context, deferred, fakeLogger, httpEvent } from '../harness.ts';

/**
 * The Idempotency-Key middleware in a Middy stack like the route handler's (error envelope → an
 * authentication/admission stand-in → idempotency → the route), on an in-memory record store: no
 * DynamoDB, no network.
 */

interface FakeRecord {
  status: 'in_progress' | 'completed';
  fingerprint: string;
  claimId: string;
  response?: StoredResponse;
}

/** The record contract of lib/db/idempotency-store.ts, in memory: claim, complete and release by owner. */
function fakeStore(opts: { retryAfterSeconds?: number } = {}) {
  const records = new Map<string, FakeRecord>();
  const id = (key: IdempotencyKey) => `${key.pk}|${key.sk}`;
  let claims = 0;
  const store = {
    records,
    record: (key: IdempotencyKey) => records.get(id(key)),
    claim: vi.fn(async (key: IdempotencyKey, fingerprint: string): Promise<ClaimResult> => {
      const existing = records.get(id(key));
      if (!existing) {
        const claimId = `claim-${++claims}`;
        records.set(id(key), { status: 'in_progress', fingerprint, claimId });
        return { kind: 'claimed', claimId };
      }
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.status === 'completed' && existing.response) {
        return { kind: 'replay', response: existing.response };
      }
      return { kind: 'in_progress', retryAfterSeconds: opts.retryAfterSeconds ?? 7 };
    }),
    completionWrite: vi.fn((key: IdempotencyKey, claimId: string, response: StoredResponse) => ({
      Update: {
        TableName: 'fake',
        Key: key,
        UpdateExpression: 'fake',
        ExpressionAttributeValues: { claimId, response },
      },
    })),
    complete: vi.fn(async (key: IdempotencyKey, claimId: string, response: StoredResponse) => {
      const existing = records.get(id(key));
      if (!existing || existing.claimId !== claimId || existing.status !== 'in_progress') return false;
      existing.status = 'completed';
      existing.response = response;
      return true;
    }),
    release: vi.fn(async (key: IdempotencyKey, claimId: string) => {
      if (records.get(id(key))?.claimId === claimId) records.delete(id(key));
    }),
  };
  return store satisfies IdempotencyStore;
}

/** Seals as `sealed(<aad>):<base64>`; opening checks the record it is bound to. */
function fakeSealer() {
  const prefix = (aad: string) => `sealed(${aad}):`;
  return {
    seal: vi.fn(
      async (plaintext: string, aad: string) => prefix(aad) + Buffer.from(plaintext).toString('base64'),
    ),
    open: vi.fn(async (sealed: string, aad: string) => {
      if (!sealed.startsWith(prefix(aad))) throw new Error('sealed for another record');
      return Buffer.from(sealed.slice(prefix(aad).length), 'base64').toString();
    }),
  } satisfies ResponseSealer;
}

type Route = (state: RequestState, event: HttpEvent) => Promise<HttpResponse>;

const created: Route = async () => jsonResponse(201, { id: 'prj_1', name: 'Example' });

function stack(opts: {
  store: IdempotencyStore;
  sealer?: ResponseSealer;
  route?: RouteDef;
  principal?: Principal;
  /** An admission check started by an earlier middleware (as the rate limit does). */
  admission?: () => Promise<void>;
  handler?: Route;
}) {
  const logger = fakeLogger();
  const states = new WeakMap<HttpEvent, RequestState>();
  const handler = vi.fn(opts.handler ?? created);
  const h = middy<HttpEvent, HttpResponse, Error, Context, WroInternal>()
    .use(errorEnvelope(opts.route ?? findRoute('projects.create'), { logger: logger.asLogger }))
    .use({
      before: (request: WroRequest) => {
        const state = request.internal.state;
        state.principal = opts.principal ?? account();
        // As the JSON body middleware leaves it: the raw body, and the parsed JSON of a body route.
        state.rawBody = request.event.body ?? '';
        if (state.route.jsonBody && state.rawBody) state.json = JSON.parse(state.rawBody);
        if (opts.admission) {
          const check = opts.admission();
          check.catch(() => {});
          state.admission.push(check);
        }
        states.set(request.event, state);
      },
    })
    .use(idempotency({ store: opts.store, sealer: opts.sealer, logger: logger.asLogger }))
    .handler((event) => handler(states.get(event) as RequestState, event));
  return {
    handler,
    logger,
    states,
    send: (event: HttpEvent) => h(event, context),
  };
}

const BODY = '{"name":"Example","base_url":"https://example.test"}';
const post = (key: string | undefined, body = BODY, extra: { path?: string; requestId?: string } = {}) =>
  httpEvent({
    path: extra.path,
    body,
    requestId: extra.requestId,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
const recordKey = (key: string, route = 'projects.create', scope = 'acc_1') =>
  keys.idempotency(scope, route, key);

describe('idempotency middleware: the key', () => {
  it('answers 400 IDEMPOTENCY_KEY_REQUIRED without a key, before anything is claimed', async () => {
    const store = fakeStore();
    const { send, handler } = stack({ store });
    for (const key of [undefined, '']) {
      const res = await send(post(key));
      expect(res.statusCode).toBe(400);
      expect(bodyOf(res).error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    }
    expect(handler).not.toHaveBeenCalled();
    expect(store.claim).not.toHaveBeenCalled();
  });

  it.each([
    ['a space', 'has space'],
    ['a control character', 'tab\there'],
    ['non-ASCII', 'clé'],
    ['256 characters', 'k'.repeat(256)],
  ])('answers 422 naming Idempotency-Key for a malformed key (%s)', async (_, key) => {
    const store = fakeStore();
    const { send, handler } = stack({ store });
    const res = await send(post(key));
    expect(res.statusCode).toBe(422);
    expect(bodyOf(res).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'Idempotency-Key' }],
    });
    expect(handler).not.toHaveBeenCalled();
    expect(store.claim).not.toHaveBeenCalled();
  });

  it('accepts 255 printable ASCII characters', async () => {
    const store = fakeStore();
    const { send } = stack({ store });
    expect((await send(post('~'.repeat(255)))).statusCode).toBe(201);
  });

  it("takes a signed callback's key from webhook-id, scoped to its target (route table: replayKey)", async () => {
    const store = fakeStore();
    const route = findRoute('targets.callback');
    const target = (targetId: string): Principal => ({
      kind: 'target',
      targetId,
      accountId: 'acc_1',
      plan: 'team',
    });
    const callback = (id: string) =>
      httpEvent({
        path: '/api/ticket-export-targets/tgt_a/callbacks',
        body: '{"type":"risk.accepted"}',
        // An Idempotency-Key, if sent, is not the key of this route.
        headers: { 'webhook-id': id, 'idempotency-key': 'ignored' },
      });
    const ok: Route = async () => jsonResponse(200, { fingerprint: 'fp-1' });
    const a = stack({ store, route, principal: target('tgt_a'), handler: ok });
    const b = stack({ store, route, principal: target('tgt_b'), handler: ok });
    expect((await a.send(callback('msg_1'))).statusCode).toBe(200);
    const again = await a.send(callback('msg_1'));
    expect(again.headers?.['Idempotent-Replayed']).toBe('true');
    expect((await b.send(callback('msg_1'))).headers?.['Idempotent-Replayed']).toBeUndefined();
    expect(a.handler).toHaveBeenCalledTimes(1);
    expect(b.handler).toHaveBeenCalledTimes(1);
    expect(store.claim.mock.calls.map(([key]) => key)).toEqual([
      recordKey('msg_1', 'targets.callback', 'target:tgt_a'),
      recordKey('msg_1', 'targets.callback', 'target:tgt_a'),
      recordKey('msg_1', 'targets.callback', 'target:tgt_b'),
    ]);
  });

  it('leaves routes that take no key alone', async () => {
    const store = fakeStore();
    const { send, handler } = stack({
      store,
      route: findRoute('projects.get'),
      handler: async () => jsonResponse(200, { id: 'prj_1' }),
    });
    const res = await send(httpEvent({ method: 'GET', path: '/api/projects/prj_1' }));
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['Idempotent-Replayed']).toBeUndefined();
    expect(handler).toHaveBeenCalledTimes(1);
    expect(store.claim).not.toHaveBeenCalled();
  });
});

describe('idempotency middleware: claim, completion, replay', () => {
  it('runs the route on a fresh claim and stores its 2xx answer with that claim', async () => {
    const store = fakeStore();
    const { send, handler, states } = stack({ store });
    const event = post('k1');
    const res = await send(event);
    expect(res.statusCode).toBe(201);
    expect(bodyOf(res)).toEqual({ id: 'prj_1', name: 'Example' });
    expect(handler).toHaveBeenCalledTimes(1);
    // Scoped to the caller (account), the route and the key.
    expect(store.claim).toHaveBeenCalledWith(recordKey('k1'), expect.stringMatching(/^[0-9a-f]{64}$/));
    expect(states.get(event)?.claim).toMatchObject({ key: recordKey('k1'), claimId: 'claim-1', done: false });
    expect(store.complete).toHaveBeenCalledTimes(1);
    const stored: StoredResponse = {
      statusCode: 201,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'prj_1', name: 'Example' }),
    };
    expect(store.complete).toHaveBeenCalledWith(recordKey('k1'), 'claim-1', stored);
    expect(store.record(recordKey('k1'))).toMatchObject({ status: 'completed', response: stored });
    expect(store.release).not.toHaveBeenCalled();
  });

  it('replays a finished request: the route does not run again, same status and body, marked replayed', async () => {
    const store = fakeStore();
    const { send, handler } = stack({ store });
    const first = await send(post('k1', BODY, { requestId: 'req-1' }));
    const again = await send(post('k1', BODY, { requestId: 'req-2' }));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.body).toBe(first.body);
    expect(again.headers).toMatchObject({
      'Content-Type': 'application/json',
      'Idempotent-Replayed': 'true',
      'X-Request-Id': 'req-2',
    });
    expect(first.headers?.['Idempotent-Replayed']).toBeUndefined();
    expect(store.complete).toHaveBeenCalledTimes(1);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED for the same key with another body, without running the route', async () => {
    const store = fakeStore();
    const { send, handler } = stack({ store });
    await send(post('k1'));
    const res = await send(post('k1', '{"name":"Other","base_url":"https://other.test"}'));
    expect(res.statusCode).toBe(422);
    expect(bodyOf(res).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(handler).toHaveBeenCalledTimes(1);
    // The original's record is untouched.
    expect(store.record(recordKey('k1'))?.status).toBe('completed');
    expect(store.release).not.toHaveBeenCalled();
  });

  it('counts the same JSON with other white space and key order as the same request (replay)', async () => {
    const store = fakeStore();
    const { send, handler } = stack({ store });
    await send(post('k1', '{"name":"Example","base_url":"https://example.test"}'));
    const again = await send(post('k1', '{ "base_url": "https://example.test",\n  "name": "Example" }'));
    expect(again.statusCode).toBe(201);
    expect(again.headers?.['Idempotent-Replayed']).toBe('true');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('binds the key to the path too (same key, another project)', async () => {
    const store = fakeStore();
    const route = findRoute('scan-runs.create');
    const { send, handler } = stack({
      store,
      route,
      handler: async () => jsonResponse(201, { scan_run_id: 1 }),
    });
    const at = (projectId: string) => post('k1', '', { path: `/api/projects/${projectId}/scan-runs` });
    expect((await send(at('prj_1'))).statusCode).toBe(201);
    const res = await send(at('prj_2'));
    expect(res.statusCode).toBe(422);
    expect(bodyOf(res).error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('keeps keys of different callers apart', async () => {
    const store = fakeStore();
    const a = stack({ store, principal: account({ accountId: 'acc_a' }) });
    const b = stack({ store, principal: account({ accountId: 'acc_b' }) });
    expect((await a.send(post('shared'))).statusCode).toBe(201);
    const res = await b.send(post('shared', '{"name":"Other","base_url":"https://other.test"}'));
    expect(res.statusCode).toBe(201);
    expect(res.headers?.['Idempotent-Replayed']).toBeUndefined();
    expect(b.handler).toHaveBeenCalledTimes(1);
    expect(store.claim.mock.calls.map(([key]) => key)).toEqual([
      recordKey('shared', 'projects.create', 'acc_a'),
      recordKey('shared', 'projects.create', 'acc_b'),
    ]);
  });

  it('answers 409 IDEMPOTENCY_REQUEST_IN_PROGRESS with Retry-After while the first request runs', async () => {
    const store = fakeStore({ retryAfterSeconds: 12 });
    const hold = deferred();
    const { send, handler } = stack({
      store,
      handler: async () => {
        await hold.promise;
        return jsonResponse(201, { id: 'prj_1' });
      },
    });
    const first = send(post('k1'));
    await vi.waitFor(() => expect(handler).toHaveBeenCalledTimes(1));
    const second = await send(post('k1'));
    expect(second.statusCode).toBe(409);
    expect(bodyOf(second).error.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
    expect(second.headers?.['Retry-After']).toBe('12');
    // The rejected duplicate never touches the original's claim.
    expect(store.release).not.toHaveBeenCalled();
    expect(store.record(recordKey('k1'))).toMatchObject({ status: 'in_progress', claimId: 'claim-1' });
    hold.resolve();
    expect((await first).statusCode).toBe(201);
    expect(store.record(recordKey('k1'))?.status).toBe('completed');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('does not complete a claim the commit already completed in its transaction', async () => {
    const store = fakeStore();
    const { send } = stack({
      store,
      handler: async (state) => {
        (state.claim as NonNullable<RequestState['claim']>).done = true; // as lib/http/commit.ts does
        return jsonResponse(201, { id: 'prj_1' });
      },
    });
    expect((await send(post('k1'))).statusCode).toBe(201);
    expect(store.complete).not.toHaveBeenCalled();
    expect(store.release).not.toHaveBeenCalled();
  });

  it('still answers when its claim was lost before completion (lock expired, key taken over), and warns', async () => {
    const store = fakeStore();
    const { send, logger } = stack({
      store,
      handler: async (state) => {
        const claim = state.claim as NonNullable<RequestState['claim']>;
        store.records.set(`${claim.key.pk}|${claim.key.sk}`, {
          status: 'in_progress',
          fingerprint: 'another request',
          claimId: 'claim-of-another-request',
        });
        return jsonResponse(201, { id: 'prj_1' });
      },
    });
    expect((await send(post('k1'))).statusCode).toBe(201);
    expect(store.complete).toHaveBeenCalledTimes(1);
    expect(store.record(recordKey('k1'))).toMatchObject({
      status: 'in_progress',
      claimId: 'claim-of-another-request',
    });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('claim was lost'));
  });
});

describe('idempotency middleware: which outcomes are stored', () => {
  it('releases the claim when the route throws a 422, so the fixed request can use the key again', async () => {
    const store = fakeStore();
    let calls = 0;
    const { send, handler } = stack({
      store,
      handler: async () => {
        if (++calls === 1) throw new ValidationError([{ field: 'base_url', message: 'bad' }]);
        return jsonResponse(201, { id: 'prj_1' });
      },
    });
    const res = await send(post('k1'));
    expect(res.statusCode).toBe(422);
    expect(bodyOf(res).error.code).toBe('VALIDATION_FAILED');
    expect(store.release).toHaveBeenCalledWith(recordKey('k1'), 'claim-1');
    expect(store.complete).not.toHaveBeenCalled();
    expect(store.record(recordKey('k1'))).toBeUndefined();
    const retry = await send(post('k1'));
    expect(retry.statusCode).toBe(201);
    expect(retry.headers?.['Idempotent-Replayed']).toBeUndefined();
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('releases the claim when the route answers a 422 without throwing', async () => {
    const store = fakeStore();
    const { send } = stack({ store, handler: async () => jsonResponse(422, { error: { code: 'X' } }) });
    expect((await send(post('k1'))).statusCode).toBe(422);
    expect(store.release).toHaveBeenCalledWith(recordKey('k1'), 'claim-1');
    expect(store.record(recordKey('k1'))).toBeUndefined();
  });

  it('releases the claim on a server error, and answers 500', async () => {
    const store = fakeStore();
    const { send } = stack({
      store,
      handler: async () => {
        throw new Error('boom');
      },
    });
    const res = await send(post('k1'));
    expect(res.statusCode).toBe(500);
    expect(store.release).toHaveBeenCalledWith(recordKey('k1'), 'claim-1');
    expect(store.record(recordKey('k1'))).toBeUndefined();
  });

  it('stores a 409 thrown by the route and replays it', async () => {
    const store = fakeStore();
    const { send, handler } = stack({
      store,
      handler: async () => {
        throw new ConflictError('The export is not pending approval.', 'EXPORT_NOT_PENDING');
      },
    });
    const first = await send(post('k1', BODY, { requestId: 'req-1' }));
    expect(first.statusCode).toBe(409);
    expect(bodyOf(first).error).toEqual({
      code: 'EXPORT_NOT_PENDING',
      message: 'The export is not pending approval.',
      request_id: 'req-1',
    });
    expect(store.complete).toHaveBeenCalledWith(
      recordKey('k1'),
      'claim-1',
      expect.objectContaining({ statusCode: 409, body: first.body }),
    );
    expect(store.release).not.toHaveBeenCalled();
    const again = await send(post('k1', BODY, { requestId: 'req-2' }));
    expect(handler).toHaveBeenCalledTimes(1);
    expect(again.statusCode).toBe(409);
    expect(again.body).toBe(first.body);
    expect(again.headers?.['Idempotent-Replayed']).toBe('true');
  });

  it('stores a 404 the route answers without throwing', async () => {
    const store = fakeStore();
    const { send } = stack({
      store,
      handler: async () => jsonResponse(404, { error: { code: 'NOT_FOUND' } }),
    });
    expect((await send(post('k1'))).statusCode).toBe(404);
    expect(store.record(recordKey('k1'))).toMatchObject({
      status: 'completed',
      response: { statusCode: 404 },
    });
  });

  it('answers the route error even when storing it fails (the lock expires on its own)', async () => {
    const store = fakeStore();
    store.complete.mockRejectedValueOnce(new Error('DynamoDB unavailable'));
    const { send, logger } = stack({
      store,
      handler: async () => {
        throw new NotFoundError();
      },
    });
    const res = await send(post('k1'));
    expect(res.statusCode).toBe(404);
    expect(bodyOf(res).error.code).toBe('NOT_FOUND');
    expect(logger.error).toHaveBeenCalledWith('idempotency record update failed', { error_name: 'Error' });
  });
});

describe('idempotency middleware: admission', () => {
  const refused = () => new RateLimitedError(30, { RateLimit: '"default";r=0;t=30' });

  it('gives a claim taken meanwhile back at once when admission refuses, and answers the refusal', async () => {
    const store = fakeStore();
    const { send, handler } = stack({
      store,
      // Settles after the claim did: the claim was taken by the time the refusal is known.
      admission: () => new Promise((_, reject) => setTimeout(() => reject(refused()), 5)),
    });
    const res = await send(post('k1'));
    expect(res.statusCode).toBe(429);
    expect(bodyOf(res).error.code).toBe('RATE_LIMITED');
    expect(res.headers).toMatchObject({ 'Retry-After': '30', RateLimit: '"default";r=0;t=30' });
    expect(handler).not.toHaveBeenCalled();
    expect(store.claim).toHaveBeenCalledTimes(1);
    expect(store.release).toHaveBeenCalledWith(recordKey('k1'), 'claim-1');
    expect(store.record(recordKey('k1'))).toBeUndefined();
    expect(store.complete).not.toHaveBeenCalled();
  });

  it("a refusal wins over the key's verdict (a reused key answers 429, not 422, and releases nothing)", async () => {
    const store = fakeStore();
    await stack({ store }).send(post('k1'));
    const { send } = stack({ store, admission: () => Promise.reject(refused()) });
    const res = await send(post('k1', '{"name":"Other","base_url":"https://other.test"}'));
    expect(res.statusCode).toBe(429);
    expect(store.release).not.toHaveBeenCalled();
    expect(store.record(recordKey('k1'))?.status).toBe('completed');
  });

  it('a refusal wins over a missing key', async () => {
    const store = fakeStore();
    const { send } = stack({ store, admission: () => Promise.reject(refused()) });
    expect((await send(post(undefined))).statusCode).toBe(429);
    expect(store.claim).not.toHaveBeenCalled();
  });

  it('waits for an admission check that passes before acting on the claim', async () => {
    const store = fakeStore();
    const gate = deferred();
    const { send, handler } = stack({ store, admission: () => gate.promise });
    const pending = send(post('k1'));
    await vi.waitFor(() => expect(store.claim).toHaveBeenCalledTimes(1));
    expect(handler).not.toHaveBeenCalled();
    gate.resolve();
    expect((await pending).statusCode).toBe(201);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('idempotency middleware: sealed answers', () => {
  const route = findRoute('targets.create');
  const secretBody = { id: 'tgt_1', signing_secret: 'whsec_c2VjcmV0LXNpZ25pbmcta2V5' };
  const targetRoute = async () => jsonResponse(201, secretBody);
  const targetKey = recordKey('k1', 'targets.create');

  it('stores a sealed body and no clear body, bound to its record', async () => {
    const store = fakeStore();
    const sealer = fakeSealer();
    const { send } = stack({ store, sealer, route, handler: targetRoute });
    const res = await send(post('k1', '{"name":"t"}', { path: '/api/ticket-export-targets' }));
    expect(res.statusCode).toBe(201);
    expect(bodyOf(res)).toEqual(secretBody);
    const stored = store.record(targetKey)?.response as StoredResponse;
    expect(stored).not.toHaveProperty('body');
    expect(stored.sealed_body).toBeDefined();
    expect(JSON.stringify(stored)).not.toContain(secretBody.signing_secret);
    expect(sealer.seal).toHaveBeenCalledWith(JSON.stringify(secretBody), targetKey.pk);
  });

  it('opens the sealed body on replay: the same answer, secret included', async () => {
    const store = fakeStore();
    const sealer = fakeSealer();
    const { send, handler } = stack({ store, sealer, route, handler: targetRoute });
    const event = () => post('k1', '{"name":"t"}', { path: '/api/ticket-export-targets' });
    const first = await send(event());
    const again = await send(event());
    expect(handler).toHaveBeenCalledTimes(1);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers?.['Idempotent-Replayed']).toBe('true');
    expect(sealer.open).toHaveBeenCalledWith(store.record(targetKey)?.response?.sealed_body, targetKey.pk);
  });

  it('seals a stored error answer too', async () => {
    const store = fakeStore();
    const sealer = fakeSealer();
    const { send } = stack({
      store,
      sealer,
      route,
      handler: async () => {
        throw new ConflictError('no');
      },
    });
    expect((await send(post('k1', '{}', { path: '/api/ticket-export-targets' }))).statusCode).toBe(409);
    const stored = store.record(targetKey)?.response as StoredResponse;
    expect(stored).not.toHaveProperty('body');
    expect(stored.sealed_body).toMatch(/^sealed\(/);
  });

  it('refuses to replay a sealed record on a route without a sealer (500, nothing leaks)', async () => {
    const store = fakeStore();
    await stack({ store, sealer: fakeSealer(), route, handler: targetRoute }).send(
      post('k1', '{"name":"t"}', { path: '/api/ticket-export-targets' }),
    );
    const { send, handler } = stack({ store, route, handler: targetRoute });
    const res = await send(post('k1', '{"name":"t"}', { path: '/api/ticket-export-targets' }));
    expect(res.statusCode).toBe(500);
    expect(bodyOf(res).error.code).toBe('INTERNAL');
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps values as JSON writes them', () => {
    expect(canonicalJson({ b: [{ y: 1, x: 'é' }], a: null })).toBe('{"a":null,"b":[{"x":"é","y":1}]}');
  });

  it('gives up (undefined) on hostile nesting instead of exhausting the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(canonicalJson(deep)).toBeUndefined();
    expect(canonicalJson({ name: deep })).toBeUndefined();
  });
});
