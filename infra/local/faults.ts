import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * Fault injection for the local stack and the tests, never for Lambda (nothing under functions/ or
 * lib/ imports it; docs/platform.md, "Fault injection"). An AWS SDK middleware, placed inside the
 * SDK's own retry loop and right above the HTTP handler, answers a call the way AWS does when it
 * throttles, cancels a transaction for a conflict, leaves batch entries unprocessed, drops a
 * connection, or loses the answer of a write it applied; the SDK then deserializes and retries those
 * answers as it would AWS's. Crashes end the current invocation (a Lambda that dies between two
 * writes): every later call of that invocation fails and the invocation itself ends in an error, so
 * nothing of it runs to completion, no idempotency claim is released, no message deleted.
 *
 * Faults come at a rate (a seeded random draw per call) or at named points (the n-th call of an
 * operation in an invocation of a route or worker). Nothing is injected unless a profile asks for it.
 */

/** What can go wrong at a call, and which calls it applies to. */
export const FAULT_KINDS = {
  /** DynamoDB ProvisionedThroughputExceededException / ThrottlingException, SQS RequestThrottled. */
  throttle: 'any',
  /** TransactWriteItems cancelled with TransactionConflict on one entry (nothing written). */
  conflict: 'transaction',
  /** BatchWriteItem / BatchGetItem with part of the request left unprocessed. */
  unprocessed: 'batch',
  /** The connection drops before the request arrives (ECONNRESET): nothing applied. */
  socket_error: 'any',
  /** A 500 InternalServerError / InternalFailure answer: nothing applied. */
  server_error: 'any',
  /** The write was applied and its answer lost (TimeoutError): the SDK sends it again. */
  timeout_after_write: 'write',
  /** The invocation dies before this write is sent. */
  crash_before_write: 'write',
  /** The invocation dies right after this write was applied, before it sees the answer. */
  crash_after_write: 'write',
} as const;

export type FaultKind = keyof typeof FAULT_KINDS;

export interface FaultPoint {
  /** The route (`scanner.results`) or worker (`delivery`, `dispatcher`) whose invocation it hits; any when absent. */
  invocation?: string;
  /** The SDK operation (`TransactWriteItems`, `SendMessage`), or `write` for any DynamoDB write. */
  operation: string;
  /** 1-based: the n-th such call within the invocation. */
  nth: number;
  fault: FaultKind;
  /** How many invocations it hits (default 1). */
  times?: number;
}

export interface FaultProfile {
  /** Seed of the draws (the same seed gives the same draws in the same order of calls). */
  seed?: number;
  /** Chance, per call it applies to, of each fault. */
  rates?: Partial<Record<FaultKind, number>>;
  points?: FaultPoint[];
}

/** One injected fault, as counted. */
export interface InjectedFault {
  kind: FaultKind;
  operation: string;
  invocation: string | null;
  requestId: string | null;
}

/** What happened in one invocation. */
export interface InvocationRecord {
  name: string;
  requestId: string;
  /** Injected faults, in order. */
  faults: FaultKind[];
  /**
   * Calls whose last attempt failed with an injected fault, after the SDK's own retries: the error
   * reached the code (which may retry it itself).
   */
  exhausted: string[];
  /** Set when a crash fault ended the invocation. */
  crashed?: string;
}

/** The error every call of a crashed invocation gets, and the invocation ends with. */
export class InvocationCrashed extends Error {
  override name = 'InvocationCrashed';
}

/** The SDK clients the injector can be installed on: DynamoDB (plain or document) and SQS. */
export interface Injectable {
  middlewareStack: { add(middleware: never, options: never): void };
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);
const BATCHES = new Set(['BatchWriteItem', 'BatchGetItem']);
const INJECTED = Symbol('injected faults of this call');
const MAX_RECORDS = 10_000;

function appliesTo(kind: FaultKind, service: string, operation: string): boolean {
  const scope = FAULT_KINDS[kind];
  if (scope === 'any') return true;
  if (service !== 'dynamodb') return false;
  if (scope === 'transaction') return operation === 'TransactWriteItems';
  if (scope === 'batch') return BATCHES.has(operation);
  return WRITES.has(operation);
}

/** mulberry32: a small seeded generator, so a profile's draws can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Invocation extends InvocationRecord {
  calls: Map<string, number>;
}

const crashedError = (inv: Invocation) =>
  new InvocationCrashed(`invocation ${inv.requestId} (${inv.name}) crashed ${inv.crashed}`);

type Body = Record<string, unknown>;
interface WireRequest {
  headers: Record<string, string>;
  body?: unknown;
}
interface WireResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

async function readBody(body: unknown): Promise<string> {
  if (typeof body === 'string') return body;
  // The SDK's JSON request body is a Uint8Array with string methods that warn: read its bytes only.
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** An AWS JSON-protocol answer, as DynamoDB and SQS send them. */
function jsonAnswer(status: number, value: Body): { response: WireResponse } {
  const body = JSON.stringify(value);
  return {
    response: {
      statusCode: status,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': randomUUID(),
        'content-length': String(Buffer.byteLength(body)),
      },
      body: utf8(body),
    },
  };
}

/** An error answer of that protocol: its type, and a message saying it was injected. */
const errorAnswer = (status: number, type: string, extra: Body = {}) =>
  jsonAnswer(status, { __type: type, message: `injected fault: ${type.split('#').pop()}`, ...extra });

const errorCode = (message: string, code: string) => Object.assign(new Error(message), { code });

export interface FaultInjector {
  /** Adds the injecting middleware to a client (a document client shares its base client's stack). */
  install(client: Injectable, service: 'dynamodb' | 'sqs'): void;
  /** A Lambda handler that runs as one invocation: its calls can crash it, and it ends in an error then. */
  wrap<E, C, R>(
    name: string,
    handler: (event: E, context: C) => Promise<R>,
  ): (event: E, context: C) => Promise<R>;
  /** Every injected fault, in order. */
  readonly injected: readonly InjectedFault[];
  /** The record of an invocation by its request id (the gateway's X-Request-Id). */
  invocation(requestId: string): InvocationRecord | undefined;
  /** Counts by fault kind, exhausted calls and crashed invocations. */
  summary(): { byKind: Partial<Record<FaultKind, number>>; exhausted: number; crashed: number };
}

export function createFaultInjector(profile: FaultProfile = {}): FaultInjector {
  const draw = seeded(profile.seed ?? 1);
  const rates = Object.entries(profile.rates ?? {}) as [FaultKind, number][];
  const points = (profile.points ?? []).map((p) => ({ ...p, left: p.times ?? 1 }));
  const scope = new AsyncLocalStorage<Invocation>();
  const injected: InjectedFault[] = [];
  const records = new Map<string, Invocation>();

  const pick = (service: string, operation: string, inv: Invocation | undefined): FaultKind | undefined => {
    if (inv) {
      const counted = [operation, ...(service === 'dynamodb' && WRITES.has(operation) ? ['write'] : [])];
      for (const name of counted) inv.calls.set(name, (inv.calls.get(name) ?? 0) + 1);
      for (const p of points) {
        if (p.left <= 0 || (p.invocation && p.invocation !== inv.name)) continue;
        if (!counted.includes(p.operation) || inv.calls.get(p.operation) !== p.nth) continue;
        if (!appliesTo(p.fault, service, operation)) continue;
        p.left--;
        return p.fault;
      }
    }
    for (const [kind, rate] of rates) {
      if (!appliesTo(kind, service, operation)) continue;
      // Crashes need an invocation to end; outside one (the stack's own calls) they are not drawn.
      if (kind.startsWith('crash') && !inv) continue;
      if (draw() < rate) return kind;
    }
    return undefined;
  };

  const crash = (inv: Invocation, what: string): never => {
    inv.crashed = what;
    throw crashedError(inv);
  };

  /** Sends a batch with some entries held back, and answers them as unprocessed. */
  async function partialBatch(
    next: (args: unknown) => Promise<{ response: WireResponse }>,
    args: { request: WireRequest },
    operation: string,
  ) {
    const input = JSON.parse(await readBody(args.request.body)) as {
      RequestItems: Record<string, unknown[]>;
    };
    const entries = Object.entries(input.RequestItems).flatMap(([table, reqs]) =>
      (operation === 'BatchGetItem' ? (reqs as unknown as { Keys: unknown[] }).Keys : reqs).map(
        (r) => [table, r] as const,
      ),
    );
    const heldBack = entries.filter((_, i) => i === 0 || draw() < 0.5);
    const sent = entries.filter((e) => !heldBack.includes(e));
    const group = (list: (readonly [string, unknown])[]) => {
      const out: Record<string, unknown[]> = {};
      for (const [table, r] of list) out[table] = [...(out[table] ?? []), r];
      return out;
    };
    const asRequestItems = (list: (readonly [string, unknown])[]) =>
      operation === 'BatchGetItem'
        ? Object.fromEntries(
            Object.entries(group(list)).map(([table, ks]) => [
              table,
              { ...(input.RequestItems[table] as object), Keys: ks },
            ]),
          )
        : group(list);
    let answer: Body = { Responses: {}, UnprocessedItems: {}, UnprocessedKeys: {} };
    if (sent.length > 0) {
      const body = JSON.stringify({ ...input, RequestItems: asRequestItems(sent) });
      const out = await next({
        ...args,
        request: {
          ...args.request,
          headers: { ...args.request.headers, 'content-length': String(Buffer.byteLength(body)) },
          body,
        },
      });
      if (out.response.statusCode !== 200) return out;
      answer = JSON.parse(await readBody(out.response.body)) as Body;
    }
    const unprocessed = asRequestItems(heldBack);
    return jsonAnswer(
      200,
      operation === 'BatchGetItem'
        ? { ...answer, UnprocessedKeys: unprocessed }
        : { ...answer, UnprocessedItems: unprocessed },
    );
  }

  function middlewares(service: 'dynamodb' | 'sqs') {
    /** Innermost: decides and injects; the SDK's retry loop and deserializer are above it. */
    const inject =
      (next: (args: unknown) => Promise<{ response: WireResponse }>, context: Record<PropertyKey, unknown>) =>
      async (args: { request: WireRequest }) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        const inv = scope.getStore();
        if (inv?.crashed !== undefined) throw new InvocationCrashed(`invocation ${inv.requestId} is gone`);
        const kind = pick(service, operation, inv);
        // Per attempt: the outer middleware asks whether the attempt that failed last was injected.
        context[INJECTED] = kind;
        if (!kind) return next(args);
        injected.push({ kind, operation, invocation: inv?.name ?? null, requestId: inv?.requestId ?? null });
        inv?.faults.push(kind);
        switch (kind) {
          case 'throttle':
            return service === 'sqs'
              ? errorAnswer(400, 'com.amazonaws.sqs#RequestThrottled')
              : errorAnswer(
                  400,
                  draw() < 0.5
                    ? 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException'
                    : 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
                );
          case 'server_error':
            return service === 'sqs'
              ? errorAnswer(500, 'com.amazon.coral.service#InternalFailure')
              : errorAnswer(500, 'com.amazonaws.dynamodb.v20120810#InternalServerError');
          case 'conflict': {
            const input = JSON.parse(await readBody(args.request.body)) as { TransactItems: unknown[] };
            const loser = Math.floor(draw() * input.TransactItems.length);
            const reasons = input.TransactItems.map((_, i) =>
              i === loser
                ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }
                : { Code: 'None' },
            );
            return errorAnswer(400, 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException', {
              Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
              CancellationReasons: reasons,
            });
          }
          case 'unprocessed':
            return partialBatch(next, args, operation);
          case 'socket_error':
            throw errorCode('socket hang up (injected)', 'ECONNRESET');
          case 'timeout_after_write': {
            const out = await next(args);
            await readBody(out.response.body);
            throw Object.assign(new Error('Connection timed out after the request was sent (injected)'), {
              name: 'TimeoutError',
            });
          }
          case 'crash_before_write':
            return crash(inv as Invocation, `before ${operation}`);
          case 'crash_after_write': {
            const out = await next(args);
            await readBody(out.response.body);
            return crash(inv as Invocation, `after ${operation}`);
          }
        }
      };
    /** Outermost: sees the error the code gets, once the SDK gave up retrying an injected fault. */
    const observe =
      (next: (args: unknown) => Promise<unknown>, context: Record<PropertyKey, unknown>) =>
      async (args: unknown) => {
        try {
          return await next(args);
        } catch (err) {
          const inv = scope.getStore();
          if (inv && context[INJECTED] && !(err instanceof InvocationCrashed)) {
            inv.exhausted.push(String(context.commandName));
          }
          throw err;
        }
      };
    return { inject, observe };
  }

  return {
    install(client, service) {
      const { inject, observe } = middlewares(service);
      client.middlewareStack.add(
        inject as never,
        { step: 'deserialize', priority: 'low', name: 'faultInject' } as never,
      );
      client.middlewareStack.add(
        observe as never,
        { step: 'initialize', priority: 'high', name: 'faultObserve' } as never,
      );
    },
    wrap(name, handler) {
      return async (event, context) => {
        const inv: Invocation = {
          name,
          requestId: (context as { awsRequestId?: string } | undefined)?.awsRequestId ?? randomUUID(),
          faults: [],
          exhausted: [],
          calls: new Map(),
        };
        records.set(inv.requestId, inv);
        if (records.size > MAX_RECORDS) records.delete(records.keys().next().value as string);
        return scope.run(inv, async () => {
          const outcome = await handler(event, context).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
          // A crashed invocation ends in the crash, whatever its handler made of the failed calls.
          if (inv.crashed !== undefined) {
            throw 'error' in outcome && outcome.error instanceof InvocationCrashed
              ? outcome.error
              : crashedError(inv);
          }
          if ('error' in outcome) throw outcome.error;
          return outcome.value;
        });
      };
    },
    get injected() {
      return injected;
    },
    invocation: (requestId) => records.get(requestId),
    summary() {
      const byKind: Partial<Record<FaultKind, number>> = {};
      for (const f of injected) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
      const all = [...records.values()];
      return {
        byKind,
        exhausted: all.reduce((n, r) => n + r.exhausted.length, 0),
        crashed: all.filter((r) => r.crashed).length,
      };
    },
  };
}

/**
 * A profile from its JSON text (`WRO_LOCAL_FAULTS` of `npm start`), checked: known fault kinds, rates
 * from 0 to 1, points with an operation, a positive nth and a known fault. Throws naming `variable`.
 */
export function parseFaultProfile(text: string, variable: string): FaultProfile {
  const fail = (why: string): never => {
    throw new Error(`${variable} must be a fault profile (docs/platform.md, "Fault injection"): ${why}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail('not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail('not an object');
  const { seed, rates, points, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length) fail(`unknown field ${Object.keys(rest)[0]}`);
  if (seed !== undefined && !Number.isInteger(seed)) fail('seed is not an integer');
  const isKind = (k: unknown): k is FaultKind => typeof k === 'string' && Object.hasOwn(FAULT_KINDS, k);
  if (rates !== undefined) {
    if (!rates || typeof rates !== 'object' || Array.isArray(rates)) fail('rates is not an object');
    for (const [kind, rate] of Object.entries(rates as object)) {
      if (!isKind(kind)) fail(`unknown fault ${kind} (known: ${Object.keys(FAULT_KINDS).join(', ')})`);
      if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) fail(`rates.${kind} is not from 0 to 1`);
    }
  }
  if (points !== undefined) {
    if (!Array.isArray(points)) fail('points is not a list');
    (points as Record<string, unknown>[]).forEach((p, i) => {
      if (typeof p?.operation !== 'string') fail(`points.${i}.operation is missing`);
      if (!Number.isInteger(p.nth) || (p.nth as number) < 1)
        fail(`points.${i}.nth is not a positive integer`);
      if (!isKind(p.fault)) fail(`points.${i}.fault is not a known fault`);
    });
  }
  return value as FaultProfile;
}
