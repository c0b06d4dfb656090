import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { AccountPrincipal, Principal, TargetPrincipal } from '../auth/principal.ts';
import { verifyScannerSecret } from '../auth/scanner-secret.ts';
import { loadConfigAtColdStart } from '../config.ts';
import { loadSecretKey, open, seal } from '../crypto/secret-box.ts';
import type { WritePlan } from '../db/commit.ts';
import { idempotencyStore } from '../db/idempotency-store.ts';
import { consumeRateLimit } from '../db/rate-limit-store.ts';
import { authenticateBearer } from '../domain/accounts.ts';
import { ForbiddenError } from '../errors.ts';
import { logger, withLogKeys } from '../logger.ts';
import { type Runtime, runtime } from '../runtime.ts';
import type * as z from '../schemas/zod.ts';
import { type Commit, commitPlan, type RouteOutput, toHttp } from './commit.ts';
import type {
  HttpEvent,
  HttpResponse,
  RequestState,
  ValidatedInput,
  WroInternal,
  WroRequest,
} from './context.ts';
import { authenticate, type SignedRequest } from './middleware/authenticate.ts';
import { compress } from './middleware/compress.ts';
import { errorEnvelope, logRequestEnd } from './middleware/error-envelope.ts';
import { headWithoutBody } from './middleware/head.ts';
import { idempotency, type ResponseSealer } from './middleware/idempotency.ts';
import { jsonBody } from './middleware/json-body.ts';
import { admitted, rateLimit } from './middleware/rate-limit.ts';
import { validateRequest } from './middleware/validate-request.ts';
import type { PathParams, RouteDef } from './routes/route.ts';

export type { RouteOutput } from './commit.ts';

type BodyOf<R> = R extends { parseBody: (json: unknown) => infer T }
  ? T
  : R extends { body: () => infer S extends z.ZodMiniType }
    ? z.output<S>
    : undefined;
type QueryOf<R> = R extends { query: () => infer S extends z.ZodMiniType }
  ? z.output<S>
  : Record<string, never>;

/** What a route's function is given: its validated input, who asks, its dependencies, and `commit`. */
export interface RouteInput<R extends RouteDef, P = undefined> {
  body: BodyOf<R>;
  query: QueryOf<R>;
  params: PathParams<R['path']>;
  principal: Principal;
  requestId: string;
  event: HttpEvent;
  deps: Runtime;
  /** The route's preload read, started alongside admission. */
  preloaded: P;
  /** Commits a write plan together with this request's idempotency record (lib/http/commit.ts). */
  commit: Commit;
}

export interface RouteDefinition<R extends RouteDef, P> {
  /**
   * Routes with auth `target-signature`: the target whose signing secret signed the request (rejects
   * with SignatureInvalidError). The route's function hands it in, so no other bundle carries it.
   */
  verifySignature?: (request: SignedRequest, deps: Runtime) => Promise<TargetPrincipal>;
  /** A read to start with the validated input, in the same round trip as rate limit and claim. */
  preload?: (input: { body: BodyOf<R>; query: QueryOf<R> }, deps: Runtime) => Promise<P>;
  handle: (input: RouteInput<R, P>) => Promise<RouteOutput | HttpResponse>;
}

/** The account behind a bearer-authenticated request. */
export function accountOf(principal: Principal): AccountPrincipal {
  if (principal.kind !== 'account') throw new ForbiddenError();
  return principal;
}

/** The target behind a request signed with its signing secret. */
export function targetOf(principal: Principal): TargetPrincipal {
  if (principal.kind !== 'target') throw new ForbiddenError();
  return principal;
}

function sealerFor(rt: Runtime): ResponseSealer {
  return {
    seal: async (plaintext, aad) => seal(await loadSecretKey(rt.config, rt.secrets), plaintext, aad),
    open: async (sealed, aad) => open(await loadSecretKey(rt.config, rt.secrets), sealed, aad),
  };
}

export type RouteHandler = ((event: HttpEvent, context: Context) => Promise<HttpResponse>) & {
  /** The same route built on other dependencies (tests: fault-injecting clients, fake resolvers). */
  with(rt: Runtime): (event: HttpEvent, context: Context) => Promise<HttpResponse>;
};

/**
 * Builds one route's Middy stack on the given dependencies, in this order — HEAD without a body →
 * compression → error envelope (request id, errors → JSON) → authenticate (+scope) → rate limit
 * (started) → JSON body (413/415) → validation and preload (started) → idempotency claim (waits for
 * admission) → the route's function (docs/platform.md, "Order of checks"). Auth, scope, schemas and
 * idempotency come from the route table entry. Middy runs `after`/`onError` in the reverse order, so
 * on the way out the error envelope finalizes the answer, compression encodes it, and HEAD strips
 * the (compressed) body last, keeping the Content-Length GET would send.
 */
function build<R extends RouteDef, P>(route: R, def: RouteDefinition<R, P>, rt: Runtime) {
  const store = idempotencyStore(rt.db, {
    ttlSeconds: Math.max(rt.config.idempotencyTtlSeconds, route.replayKey?.minTtlSeconds ?? 0),
    lockSeconds: rt.config.idempotencyLockSeconds,
  });
  const sealer = route.sealedResponse ? sealerFor(rt) : undefined;
  // Middy gives the handler only (event, context); the request's state lives in request.internal, and
  // this map, private to this one stack, hands the same object to the route's function by its event.
  const states = new WeakMap<HttpEvent, RequestState>();
  const business = async (event: HttpEvent): Promise<HttpResponse> => {
    const state = states.get(event) as RequestState;
    await admitted(state); // routes without a key: the rate limit's verdict
    const input = state.input as NonNullable<RequestState['input']>;
    if (!input.ok) throw input.error;
    const { body, query, params } = input.value;
    const out = await def.handle({
      body: body as BodyOf<R>,
      query: query as QueryOf<R>,
      params: params as PathParams<R['path']>,
      principal: state.principal,
      requestId: state.requestId,
      event,
      deps: rt,
      preloaded: (await state.preloaded) as P,
      commit: (plan, respond) => commitPlan({ db: rt.db, store, sealer }, state, plan, respond),
    });
    return 'statusCode' in out ? (out as HttpResponse) : toHttp(out as RouteOutput);
  };
  const { preload, verifySignature } = def;
  return middy<HttpEvent, HttpResponse, Error, Context, WroInternal>({
    requestEnd: (request) => logRequestEnd(request as WroRequest, logger),
  })
    .use(headWithoutBody())
    .use(compress())
    .use(errorEnvelope(route, { logger }))
    .use({ before: (request: WroRequest) => void states.set(request.event, request.internal.state) })
    .use(
      authenticate({
        scanner: (presented) => verifyScannerSecret(rt.config, rt.secrets, presented),
        bearer: (token) => authenticateBearer(rt.db, token),
        ...(verifySignature ? { targetSignature: (request) => verifySignature(request, rt) } : {}),
      }),
    )
    .use(
      rateLimit({
        consume: (subject, limit) =>
          consumeRateLimit(rt.db, subject, limit, rt.config.rateLimitWindowSeconds),
        scannerLimit: rt.config.scannerRateLimit,
      }),
    )
    .use(jsonBody())
    .use(
      validateRequest(
        route,
        preload
          ? (input: ValidatedInput) => preload(input as { body: BodyOf<R>; query: QueryOf<R> }, rt)
          : undefined,
      ),
    )
    .use(idempotency({ store, sealer, logger }))
    .handler(business);
}

/** One invocation, with its request id and route on every log line written during it. */
function inLogScope(
  route: RouteDef,
  h: (event: HttpEvent, context: Context) => Promise<HttpResponse>,
  event: HttpEvent,
  context: Context,
): Promise<HttpResponse> {
  const requestId = event.requestContext?.requestId || context.awsRequestId;
  return withLogKeys({ request_id: requestId, route: route.name }, () => h(event, context));
}

/**
 * A route's Lambda handler. `handler` builds the stack on the process's runtime (configuration and
 * DynamoDB client, made once) and the clients its entry hands in (`clients`, e.g. Secrets Manager for
 * the routes that read a secret) — during the cold start on Lambda; `handler.with(rt)` builds it on
 * other dependencies.
 */
export function httpRoute<const R extends RouteDef, P = undefined>(
  route: R,
  definition: RouteDefinition<R, P> | RouteDefinition<R, P>['handle'],
  clients: () => Pick<Runtime, 'secrets'> = () => ({}),
): RouteHandler {
  const def: RouteDefinition<R, P> = typeof definition === 'function' ? { handle: definition } : definition;
  loadConfigAtColdStart();
  const own = () => build(route, def, { ...runtime(), ...clients() });
  let built: ReturnType<typeof build> | undefined;
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) built = own();
  const handler = ((event: HttpEvent, context: Context) => {
    built ??= own();
    return inLogScope(route, built, event, context);
  }) as RouteHandler;
  handler.with = (rt: Runtime) => {
    const h = build(route, def, rt);
    return (event: HttpEvent, context: Context) => inLogScope(route, h, event, context);
  };
  return handler;
}

export type { WritePlan };
