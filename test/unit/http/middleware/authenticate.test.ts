import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { AccountPrincipal } from '../../../../lib/auth/principal.ts';
import { UnauthorizedError } from '../../../../lib/errors.ts';
import type { HttpEvent, HttpResponse, RequestState, WroInternal } from '../../../../lib/http/context.ts';
import { authenticate } from '../../../../lib/http/middleware/authenticate.ts';
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
