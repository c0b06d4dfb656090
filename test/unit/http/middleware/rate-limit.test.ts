import { describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../../lib/auth/principal.ts';
import type { RateLimitDecision } from '../../../../lib/db/rate-limit-store.ts';
import { type AppError, RateLimitedError } from '../../../../lib/errors.ts';
import type { RequestState, WroRequest } from '../../../../lib/http/context.ts';
import { admitted, rateLimit, rateLimitHeaders } from '../../../../lib/http/middleware/rate-limit.ts';
import { findRoute } from '../../../../lib/http/routes.ts';
import { account } from '../harness.ts';

/** The rate-limit middleware with a fake counter: no DynamoDB. */

const decision = (over: Partial<RateLimitDecision> = {}): RateLimitDecision => ({
  allowed: true,
  limit: 600,
  remaining: 599,
  resetSeconds: 42,
  windowSeconds: 60,
  ...over,
});

function requestFor(principal: Principal) {
  const state = {
    route: findRoute('projects.get'),
    requestId: 'req-1',
    startedAt: 0,
    principal,
    rawBody: '',
    responseHeaders: {},
    admission: [],
  } as RequestState;
  return { state, request: { internal: { state } } as unknown as WroRequest };
}

function limiter(answer: (subject: string, limit: number) => Promise<RateLimitDecision>) {
  const consume = vi.fn(answer);
  return { consume, middleware: rateLimit({ consume, scannerLimit: 1200 }) };
}

describe('rate limit middleware', () => {
  it("counts a signed callback per target, against its account's plan", async () => {
    const { consume, middleware } = limiter(async () => decision());
    const { state, request } = requestFor({
      kind: 'target',
      targetId: 'tgt_1',
      accountId: 'acc_1',
      plan: 'free',
    });
    await middleware.before!(request);
    await admitted(state);
    expect(consume).toHaveBeenCalledWith('target#tgt_1', 60);
  });

  it('sets the RateLimit headers on the request state when the request is allowed', async () => {
    const { middleware } = limiter(async () => decision());
    const { state, request } = requestFor(account());
    await middleware.before!(request);
    await admitted(state);
    expect(state.responseHeaders).toEqual({
      'RateLimit-Policy': '"default";q=600;w=60',
      RateLimit: '"default";r=599;t=42',
    });
  });

  it('refuses with 429 RATE_LIMITED carrying Retry-After and the RateLimit headers', async () => {
    const { middleware } = limiter(async (_, limit) =>
      decision({ allowed: false, limit, remaining: 0, resetSeconds: 17 }),
    );
    const { state, request } = requestFor(account());
    await middleware.before!(request);
    const refusal = await admitted(state).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refusal).toBeInstanceOf(RateLimitedError);
    const err = refusal as AppError;
    expect(err.status).toBe(429);
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.headers).toEqual({
      'Retry-After': '17',
      'RateLimit-Policy': '"default";q=600;w=60',
      RateLimit: '"default";r=0;t=17',
    });
    // A refused request's headers travel with its error, not on the state.
    expect(state.responseHeaders).toEqual({});
  });

  it('starts the count without waiting for it: the verdict waits in admission', async () => {
    let settle!: (d: RateLimitDecision) => void;
    const { consume, middleware } = limiter(() => new Promise((r) => (settle = r)));
    const { state, request } = requestFor(account());
    expect(middleware.before!(request)).toBeUndefined();
    expect(consume).toHaveBeenCalledTimes(1);
    expect(state.admission).toHaveLength(1);
    let done = false;
    const waiting = admitted(state).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    settle(decision());
    await waiting;
    expect(state.responseHeaders.RateLimit).toBe('"default";r=599;t=42');
  });

  it('waits for every admission check once, and takes them off the state', async () => {
    const { middleware } = limiter(async () => decision());
    const { state, request } = requestFor(account());
    await middleware.before!(request);
    await admitted(state);
    expect(state.admission).toEqual([]);
    await expect(admitted(state)).resolves.toBeUndefined();
  });

  it('answers a failing counter as that error (a server error, not a refusal)', async () => {
    const { middleware } = limiter(async () => {
      throw new Error('DynamoDB unavailable');
    });
    const { state, request } = requestFor(account());
    await middleware.before!(request);
    await expect(admitted(state)).rejects.toThrow('DynamoDB unavailable');
  });

  it('does not count anonymous requests (left to API Gateway throttling)', async () => {
    const { consume, middleware } = limiter(async () => decision());
    const { state, request } = requestFor({ kind: 'anonymous' });
    await middleware.before!(request);
    expect(consume).not.toHaveBeenCalled();
    expect(state.admission).toEqual([]);
    expect(state.responseHeaders).toEqual({});
  });

  it.each([
    ['free', 60],
    ['team', 600],
    ['enterprise', 3000],
  ] as const)("counts a token against its plan's limit (%s: %i)", async (plan, limit) => {
    const { consume, middleware } = limiter(async (_, l) => decision({ limit: l, remaining: l - 1 }));
    const { state, request } = requestFor(account({ tokenId: 'tok_9', plan }));
    await middleware.before!(request);
    await admitted(state);
    expect(consume).toHaveBeenCalledWith('token#tok_9', limit);
    expect(state.responseHeaders['RateLimit-Policy']).toBe(`"default";q=${limit};w=60`);
  });

  it('counts each token on its own, even of the same account', async () => {
    const { consume, middleware } = limiter(async () => decision());
    for (const tokenId of ['tok_a', 'tok_b']) {
      await middleware.before!(requestFor(account({ tokenId })).request);
    }
    expect(consume.mock.calls.map(([subject]) => subject)).toEqual(['token#tok_a', 'token#tok_b']);
  });

  it('counts the scanner against scannerLimit', async () => {
    const { consume, middleware } = limiter(async (_, l) => decision({ limit: l }));
    const { state, request } = requestFor({ kind: 'scanner' });
    await middleware.before!(request);
    await admitted(state);
    expect(consume).toHaveBeenCalledWith('scanner', 1200);
    expect(state.responseHeaders['RateLimit-Policy']).toBe('"default";q=1200;w=60');
  });
});

describe('rateLimitHeaders', () => {
  it('writes the IETF structured-field form', () => {
    expect(
      rateLimitHeaders(decision({ limit: 3000, remaining: 0, resetSeconds: 1, windowSeconds: 30 })),
    ).toEqual({ 'RateLimit-Policy': '"default";q=3000;w=30', RateLimit: '"default";r=0;t=1' });
  });
});
