import { gzipSync } from 'node:zlib';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { AccountPrincipal } from '../../../../lib/auth/principal.ts';
import { SignatureInvalidError, UnauthorizedError } from '../../../../lib/errors.ts';
import type { HttpEvent, HttpResponse, RequestState, WroInternal } from '../../../../lib/http/context.ts';
import {
  type Authenticators,
  authenticate,
  type SignedRequest,
} from '../../../../lib/http/middleware/authenticate.ts';
import { errorEnvelope } from '../../../../lib/http/middleware/error-envelope.ts';
import { jsonResponse } from '../../../../lib/http/response.ts';
import { findRoute, type RouteName } from '../../../../lib/http/routes.ts';
import { account, bodyOf, context, fakeLogger, httpEvent } from '../harness.ts';

/** The authentication middleware with fake authenticators, in the error envelope: no DynamoDB, no secret. */

function stack(
  routeName: RouteName,
  fakes: {
    scanner?: (presented: string | undefined) => Promise<void>;
    bearer?: (token: string) => Promise<AccountPrincipal>;
  } = {},
) {
  const scanner = vi.fn(fakes.scanner ?? (async () => {}));
  const bearer = vi.fn(fakes.bearer ?? (async () => account()));
  let seen: RequestState['principal'] | undefined;
  const h = middy<HttpEvent, HttpResponse, Error, Context, WroInternal>()
    .use(errorEnvelope(findRoute(routeName), { logger: fakeLogger().asLogger }))
    .use({
      after: (request) => {
        seen = request.internal.state.principal;
      },
    })
    .use(authenticate({ scanner, bearer }))
    .handler(async () => jsonResponse(200, { ok: true }));
  return {
    scanner,
    bearer,
    principal: () => seen,
    send: (headers: Record<string, string> = {}) => h(httpEvent({ headers }), context),
  };
}

describe('authenticate: bearer routes', () => {
  it('answers 401 without an Authorization header, and asks no authenticator', async () => {
    const s = stack('projects.create');
    const res = await s.send();
    expect(res.statusCode).toBe(401);
    expect(bodyOf(res).error.code).toBe('UNAUTHORIZED');
    expect(res.headers?.['WWW-Authenticate']).toBe('Bearer realm="webriskops"');
    expect(s.bearer).not.toHaveBeenCalled();
    expect(s.scanner).not.toHaveBeenCalled();
  });

  it.each([
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['no token', 'Bearer'],
    ['only spaces after the scheme', 'Bearer    '],
    ['two tokens', 'Bearer wro_a wro_b'],
    ['no space after the scheme', 'Bearerwro_a'],
  ])('answers 401 for a malformed Authorization header (%s)', async (_, authorization) => {
    const s = stack('projects.create');
    const res = await s.send({ authorization });
    expect(res.statusCode).toBe(401);
    expect(bodyOf(res).error.code).toBe('UNAUTHORIZED');
    expect(res.headers?.['WWW-Authenticate']).toBe('Bearer realm="webriskops", error="invalid_request"');
    expect(s.bearer).not.toHaveBeenCalled();
  });

  it('hands the token to the bearer authenticator and keeps its principal', async () => {
    const s = stack('projects.create');
    const res = await s.send({ authorization: 'bearer   wro_token123  ' });
    expect(res.statusCode).toBe(200);
    expect(s.bearer).toHaveBeenCalledWith('wro_token123');
    expect(s.scanner).not.toHaveBeenCalled();
    expect(s.principal()).toEqual(account());
  });

  it('answers 401 when the bearer authenticator rejects the token (unknown, revoked)', async () => {
    const s = stack('projects.create', {
      bearer: async () => {
        throw new UnauthorizedError();
      },
    });
    const res = await s.send({ authorization: 'Bearer wro_revoked' });
    expect(res.statusCode).toBe(401);
    expect(bodyOf(res).error.code).toBe('UNAUTHORIZED');
    expect(res.headers?.['WWW-Authenticate']).toBe('Bearer realm="webriskops", error="invalid_token"');
  });

  it('lets an authenticator failure that is not a refusal through as it is (a 500, no challenge)', async () => {
    const s = stack('projects.create', {
      bearer: async () => {
        throw new Error('DynamoDB unavailable');
      },
    });
    const res = await s.send({ authorization: 'Bearer wro_x' });
    expect(res.statusCode).toBe(500);
    expect(res.headers?.['WWW-Authenticate']).toBeUndefined();
  });

  it("answers 403 when the token lacks the route's scope", async () => {
    const s = stack('projects.create', { bearer: async () => account({ scopes: ['projects:read'] }) });
    const res = await s.send({ authorization: 'Bearer wro_readonly' });
    expect(res.statusCode).toBe(403);
    expect(bodyOf(res).error).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('projects:write'),
    });
  });

  it('ignores X-Scanner-Secret on a bearer route', async () => {
    const s = stack('projects.create');
    expect((await s.send({ 'x-scanner-secret': 'secret' })).statusCode).toBe(401);
    expect(s.scanner).not.toHaveBeenCalled();
  });
});

describe('authenticate: the scanner route', () => {
  it('asks the scanner authenticator with the presented secret and acts as the scanner', async () => {
    const s = stack('scanner.results.store');
    const res = await s.send({ 'x-scanner-secret': 'the-shared-secret', authorization: 'Bearer wro_x' });
    expect(res.statusCode).toBe(200);
    expect(s.scanner).toHaveBeenCalledWith('the-shared-secret');
    expect(s.bearer).not.toHaveBeenCalled();
    expect(s.principal()).toEqual({ kind: 'scanner' });
  });

  it('asks the scanner authenticator even without a secret, and answers its 401', async () => {
    const s = stack('scanner.results.store', {
      scanner: async (presented) => {
        if (presented !== 'the-shared-secret') throw new UnauthorizedError();
      },
    });
    const res = await s.send();
    expect(res.statusCode).toBe(401);
    expect(s.scanner).toHaveBeenCalledWith(undefined);
    expect((await s.send({ 'x-scanner-secret': 'wrong' })).statusCode).toBe(401);
  });
});

describe('authenticate: routes without authentication', () => {
  it('asks neither authenticator and leaves the request anonymous', async () => {
    const s = stack('openapi');
    const res = await s.send({ authorization: 'Bearer wro_x', 'x-scanner-secret': 's' });
    expect(res.statusCode).toBe(200);
    expect(s.bearer).not.toHaveBeenCalled();
    expect(s.scanner).not.toHaveBeenCalled();
    expect(s.principal()).toEqual({ kind: 'anonymous' });
  });
});

describe('authenticate: target-signature routes (signed callbacks)', () => {
  const TARGET = { kind: 'target', targetId: 'tgt_1', accountId: 'acc_1', plan: 'team' } as const;

  function signedStack(targetSignature?: Authenticators['targetSignature']) {
    const scanner = vi.fn(async () => {});
    const bearer = vi.fn(async () => account());
    let seen: RequestState['principal'] | undefined;
    const h = middy<HttpEvent, HttpResponse, Error, Context, WroInternal>()
      .use(errorEnvelope(findRoute('targets.callback'), { logger: fakeLogger().asLogger }))
      .use({
        after: (request) => {
          seen = request.internal.state.principal;
        },
      })
      .use(authenticate({ scanner, bearer, ...(targetSignature ? { targetSignature } : {}) }))
      .handler(async () => jsonResponse(200, { ok: true }));
    const send = (opts: { headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean }) => {
      const event = httpEvent({
        path: '/api/ticket-export-targets/tgt_1/callbacks',
        headers: opts.headers,
        body: opts.body,
        isBase64Encoded: opts.isBase64Encoded,
      });
      return h({ ...event, pathParameters: { targetId: 'tgt_1' } } as HttpEvent, context);
    };
    return { scanner, bearer, principal: () => seen, send };
  }

  it('hands the path target id, the three webhook headers and the raw body to the verifier', async () => {
    const verify = vi.fn(async () => TARGET);
    const s = signedStack(verify);
    const res = await s.send({
      headers: {
        'webhook-id': 'msg_1',
        'webhook-timestamp': '1700000000',
        'webhook-signature': 'v1,abc',
        authorization: 'Bearer wro_x',
      },
      body: '{"type":"risk.accepted"}',
    });
    expect(res.statusCode).toBe(200);
    expect(verify).toHaveBeenCalledWith({
      targetId: 'tgt_1',
      headers: { id: 'msg_1', timestamp: '1700000000', signature: 'v1,abc' },
      rawBody: Buffer.from('{"type":"risk.accepted"}'),
    });
    expect(s.principal()).toEqual(TARGET);
    expect(s.bearer).not.toHaveBeenCalled();
    expect(s.scanner).not.toHaveBeenCalled();
  });

  it('verifies the decompressed bytes of a gzip body (what the signer signed)', async () => {
    const verify = vi.fn(async (_request: SignedRequest) => TARGET);
    const s = signedStack(verify);
    const body = '{"type":"ticket.closed"}';
    await s.send({
      headers: { 'content-encoding': 'gzip' },
      body: gzipSync(body).toString('base64'),
      isBase64Encoded: true,
    });
    expect(verify.mock.calls[0]?.[0].rawBody.toString()).toBe(body);
  });

  it("answers the verifier's 401 SIGNATURE_INVALID in the envelope, without a Bearer challenge", async () => {
    const s = signedStack(async () => {
      throw new SignatureInvalidError();
    });
    const res = await s.send({ headers: {} });
    expect(res.statusCode).toBe(401);
    expect(bodyOf(res).error).toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: 'The request signature is not valid.',
    });
    expect(res.headers?.['WWW-Authenticate']).toBeUndefined();
  });

  it('fails closed (500) when the function handed in no verifier', async () => {
    const res = await signedStack().send({ headers: { 'webhook-id': 'msg_1' } });
    expect(res.statusCode).toBe(500);
  });
});
