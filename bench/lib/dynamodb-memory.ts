import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DdbCounts, emptyCounts } from './ddb-counter.ts';

/**
 * A concurrent, latency-injected DynamoDB stand-in for the delivery benchmark: items in memory, one
 * table keyed by `pk`/`sk`, each request answered after its operation's latency, many in flight at
 * once, as on AWS. DynamoDB Local handles requests one at a time, so behind it every saved round trip
 * is hidden by the queue in front of it; this stand-in shows what the round trips cost.
 *
 * It implements what the delivery worker sends, on the wire format (AttributeValues), with real
 * condition semantics: GetItem, PutItem, DeleteItem, UpdateItem (SET with `+`/`-` and if_not_exists, ADD of a
 * number, REMOVE),
 * BatchGetItem, Query on `pk` (with `=`, BETWEEN or begins_with on `sk`) and TransactWriteItems
 * (Put, Update, ConditionCheck; all-or-nothing, cancellation reasons with ALL_OLD items). Conditions:
 * comparisons, BETWEEN, IN, AND/OR/NOT, parentheses, attribute_exists/attribute_not_exists and
 * begins_with, on top-level attributes; a transaction touching an item twice is refused, as by
 * DynamoDB. An operation or expression it does not know answers a ValidationException, so a bench
 * that needs more fails loudly. Not modelled: paging (`Limit`, `ExclusiveStartKey`), order
 * (`ScanIndexForward`), `FilterExpression`, `ProjectionExpression`, index projections (a Query with
 * `IndexName` matches on the index's key attributes), return values other than ALL_NEW / ALL_OLD, and
 * item size limits. The delivery path uses none of them.
 *
 * Written here rather than taken from a library: the Node emulators on npm (dynalite) have no
 * transactions, and the others run on DynamoDB Local or a JVM.
 */
export interface MemoryDynamoDb {
  url: string;
  counts: DdbCounts;
  reset(): void;
  /** Loads items (wire format), e.g. copied from DynamoDB Local after fixtures were written there. */
  load(items: Item[]): void;
  get(key: Item): Item | undefined;
  close(): Promise<void>;
}

/** Milliseconds added to each operation (`GetItem`, `TransactWriteItems`, …). */
export type LatencyProfile = Partial<Record<string, number>>;

/**
 * AWS-like latencies, in ms, of requests from Lambda to DynamoDB in the same region: DynamoDB's
 * single-digit-millisecond reads and writes, a transaction about twice a write (it is two-phase and
 * costs twice the units). Assumed values, not measured on AWS: the bench reports what the pipeline
 * does with them, and the reference worker of the same run gets the same profile.
 */
export const AWS_LIKE_LATENCIES: LatencyProfile = {
  GetItem: 4,
  BatchGetItem: 5,
  Query: 5,
  PutItem: 6,
  UpdateItem: 6,
  TransactWriteItems: 12,
};

type Attr = Record<string, unknown>;
export type Item = Record<string, Attr>;
type Names = Record<string, string>;
type Values = Record<string, Attr>;

class ValidationError extends Error {}
class ConditionFailed extends Error {}

const keyOf = (k: Item) => `${JSON.stringify(k.pk)}|${JSON.stringify(k.sk)}`;

// ── expressions ──────────────────────────────────────────────────────────────────────────────────

type Token = { t: 'id' | 'name' | 'value' | 'op' | 'punct'; v: string };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(<=|>=|<>|[=<>+-])|([(),])|(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*))/y;
  let i = 0;
  while (i < text.length) {
    if (/^\s*$/.test(text.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new ValidationError(`cannot parse expression at: ${text.slice(i, i + 20)}`);
    i = re.lastIndex;
    if (m[1]) out.push({ t: 'op', v: m[1] });
    else if (m[2]) out.push({ t: 'punct', v: m[2] });
    else if (m[3]) out.push({ t: 'name', v: m[3] });
    else if (m[4]) out.push({ t: 'value', v: m[4] });
    else out.push({ t: 'id', v: m[5] as string });
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly names: Names,
    private readonly values: Values,
  ) {}
  peek(): Token | undefined {
    return this.tokens[this.i];
  }
  next(): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new ValidationError('unexpected end of expression');
    return t;
  }
  accept(v: string): boolean {
    const t = this.peek();
    if (t && (t.v === v || (t.t === 'id' && t.v.toUpperCase() === v))) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(v: string) {
    if (!this.accept(v)) throw new ValidationError(`expected ${v} at token ${this.i}`);
  }
  done() {
    return this.i >= this.tokens.length;
  }
  /** An attribute name (top level only). */
  path(): string {
    const t = this.next();
    if (t.t === 'name') {
      const n = this.names[t.v];
      if (n === undefined) throw new ValidationError(`unknown name ${t.v}`);
      return n;
    }
    if (t.t === 'id') return t.v;
    throw new ValidationError(`expected an attribute, got ${t.v}`);
  }
  /** An operand: a value, an attribute, or if_not_exists(path, operand); its value on `item`. */
  operand(item: Item | undefined): Attr | undefined {
    const t = this.peek();
    if (t?.t === 'value') {
      this.i++;
      const v = this.values[t.v];
      if (v === undefined) throw new ValidationError(`unknown value ${t.v}`);
      return v;
    }
    if (t?.t === 'id' && t.v === 'if_not_exists') {
      this.i++;
      this.expect('(');
      const p = this.path();
      this.expect(',');
      const fallback = this.operand(item);
      this.expect(')');
      return item?.[p] ?? fallback;
    }
    const path = this.path();
    return item?.[path];
  }
}

function num(a: Attr | undefined): number | undefined {
  return a && 'N' in a ? Number(a.N) : undefined;
}

function compare(a: Attr | undefined, b: Attr | undefined): number | undefined {
  if (!a || !b) return undefined;
  if ('N' in a && 'N' in b) return Number(a.N) - Number(b.N);
  if ('S' in a && 'S' in b) return (a.S as string) < (b.S as string) ? -1 : a.S === b.S ? 0 : 1;
  return undefined;
}

function equal(a: Attr | undefined, b: Attr | undefined): boolean {
  if (!a || !b) return false;
  if ('N' in a && 'N' in b) return Number(a.N) === Number(b.N);
  return JSON.stringify(a) === JSON.stringify(b);
}

function condition(p: Parser, item: Item | undefined): boolean {
  let result = conjunction(p, item);
  while (p.accept('OR')) result = conjunction(p, item) || result;
  return result;
}
function conjunction(p: Parser, item: Item | undefined): boolean {
  let result = factor(p, item);
  while (p.accept('AND')) result = factor(p, item) && result;
  return result;
}
function factor(p: Parser, item: Item | undefined): boolean {
  if (p.accept('NOT')) return !factor(p, item);
  if (p.accept('(')) {
    const r = condition(p, item);
    p.expect(')');
    return r;
  }
  const t = p.peek();
  if (t?.t === 'id' && ['attribute_exists', 'attribute_not_exists', 'begins_with'].includes(t.v)) {
    p.next();
    p.expect('(');
    if (t.v === 'begins_with') {
      const a = p.operand(item);
      p.expect(',');
      const b = p.operand(item);
      p.expect(')');
      return typeof a?.S === 'string' && typeof b?.S === 'string' && a.S.startsWith(b.S);
    }
    const path = p.path(); // read before use: `item?.[…]` would skip it for a missing item
    const exists = item?.[path] !== undefined;
    p.expect(')');
    return t.v === 'attribute_exists' ? exists : !exists;
  }
  const left = p.operand(item);
  if (p.accept('BETWEEN')) {
    const lo = p.operand(item);
    p.expect('AND');
    const hi = p.operand(item);
    const a = compare(left, lo);
    const b = compare(left, hi);
    return a !== undefined && b !== undefined && a >= 0 && b <= 0;
  }
  if (p.accept('IN')) {
    p.expect('(');
    let found = false;
    do found = equal(left, p.operand(item)) || found;
    while (p.accept(','));
    p.expect(')');
    return found;
  }
  const op = p.next();
  const right = p.operand(item);
  if (op.v === '=') return equal(left, right);
  if (op.v === '<>') return !equal(left, right);
  const c = compare(left, right);
  if (c === undefined) return false;
  if (op.v === '<') return c < 0;
  if (op.v === '<=') return c <= 0;
  if (op.v === '>') return c > 0;
  if (op.v === '>=') return c >= 0;
  throw new ValidationError(`unsupported operator ${op.v}`);
}

function checkCondition(input: Record<string, unknown>, item: Item | undefined): boolean {
  const text = input.ConditionExpression as string | undefined;
  if (!text) return true;
  const p = new Parser(
    tokenize(text),
    (input.ExpressionAttributeNames ?? {}) as Names,
    (input.ExpressionAttributeValues ?? {}) as Values,
  );
  const r = condition(p, item);
  if (!p.done()) throw new ValidationError(`trailing tokens in condition: ${text}`);
  return r;
}

function applyUpdate(input: Record<string, unknown>, before: Item | undefined, key: Item): Item {
  const item: Item = { ...(before ?? {}), ...key };
  const p = new Parser(
    tokenize(input.UpdateExpression as string),
    (input.ExpressionAttributeNames ?? {}) as Names,
    (input.ExpressionAttributeValues ?? {}) as Values,
  );
  while (!p.done()) {
    if (p.accept('SET')) {
      do {
        const path = p.path();
        p.expect('=');
        let value = p.operand(before);
        const op = p.peek();
        if (op?.t === 'op' && (op.v === '+' || op.v === '-')) {
          p.next();
          const b = num(p.operand(before));
          const a = num(value);
          if (a === undefined || b === undefined) throw new ValidationError('arithmetic on a non-number');
          value = { N: String(op.v === '+' ? a + b : a - b) };
        }
        if (value === undefined) throw new ValidationError(`SET ${path} to a missing attribute`);
        item[path] = value;
      } while (p.accept(','));
    } else if (p.accept('ADD')) {
      // Numbers only: ADD path :n adds to the number, or sets it when absent.
      do {
        const path = p.path();
        const by = num(p.operand(before));
        if (by === undefined) throw new ValidationError('ADD supports numbers only');
        item[path] = { N: String((num(item[path]) ?? 0) + by) };
      } while (p.accept(','));
    } else if (p.accept('REMOVE')) {
      do delete item[p.path()];
      while (p.accept(','));
    } else {
      throw new ValidationError(`unsupported update clause at ${JSON.stringify(p.peek())}`);
    }
  }
  return item;
}

// ── the server ──────────────────────────────────────────────────────────────────────────────────

/** The table and its operations, without a server: `answer` takes an operation and its input on the wire. */
export interface MemoryTable {
  /** The HTTP status and JSON body DynamoDB would answer. */
  answer(operation: string, input: Record<string, unknown>): { status: number; body: unknown };
  load(items: Item[]): void;
  get(key: Item): Item | undefined;
}

export function memoryTable(): MemoryTable {
  const items = new Map<string, Item>();
  const keyFrom = (k: Item) => ({ pk: k.pk as Attr, sk: k.sk as Attr });

  /** One write (Put, Update, ConditionCheck), checked and computed but not stored. */
  const plan = (kind: string, input: Record<string, unknown>): { k: string; after?: Item; before?: Item } => {
    const key = kind === 'Put' ? keyFrom(input.Item as Item) : keyFrom(input.Key as Item);
    const k = keyOf(key);
    const before = items.get(k);
    if (!checkCondition(input, before)) {
      throw Object.assign(new ConditionFailed('The conditional request failed'), {
        item: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? before : undefined,
      });
    }
    if (kind === 'Put') return { k, before, after: input.Item as Item };
    if (kind === 'Update') return { k, before, after: applyUpdate(input, before, key) };
    if (kind === 'ConditionCheck') return { k, before };
    throw new ValidationError(`unsupported transaction entry ${kind}`);
  };

  const ops: Record<string, (i: Record<string, unknown>) => unknown> = {
    GetItem: (i) => {
      const item = items.get(keyOf(i.Key as Item));
      return item ? { Item: item } : {};
    },
    PutItem: (i) => {
      const w = plan('Put', i);
      items.set(w.k, w.after as Item);
      return {};
    },
    UpdateItem: (i) => {
      const w = plan('Update', i);
      items.set(w.k, w.after as Item);
      return i.ReturnValues === 'ALL_NEW' ? { Attributes: w.after } : {};
    },
    DeleteItem: (i) => {
      const w = plan('ConditionCheck', i);
      items.delete(w.k);
      return i.ReturnValues === 'ALL_OLD' && w.before ? { Attributes: w.before } : {};
    },
    BatchGetItem: (i) => ({
      Responses: Object.fromEntries(
        Object.entries(i.RequestItems as Record<string, { Keys: Item[] }>).map(([table, req]) => [
          table,
          req.Keys.map((k) => items.get(keyOf(k))).filter(Boolean),
        ]),
      ),
      UnprocessedKeys: {},
    }),
    Query: (i) => {
      const keyCondition = { ...i, ConditionExpression: i.KeyConditionExpression };
      const found = [...items.values()]
        .filter((item) => checkCondition(keyCondition, item))
        .sort((a, b) => ((a.sk?.S as string) < (b.sk?.S as string) ? -1 : 1));
      return { Items: found, Count: found.length, ScannedCount: found.length };
    },
    TransactWriteItems: (i) => {
      const entries = i.TransactItems as Record<string, Record<string, unknown>>[];
      const planned: ({ k: string; after?: Item } | undefined)[] = [];
      const reasons: { Code: string; Message?: string; Item?: Item }[] = [];
      let failed = false;
      // As DynamoDB: one transaction touches an item at most once.
      const touched = entries.map((entry) => {
        const input = Object.values(entry)[0] as { Item?: Item; Key?: Item };
        return keyOf((input.Item ?? input.Key) as Item);
      });
      if (new Set(touched).size !== touched.length) {
        throw new ValidationError('Transaction request cannot include multiple operations on one item');
      }
      for (const entry of entries) {
        const [kind, input] = Object.entries(entry)[0] as [string, Record<string, unknown>];
        try {
          planned.push(plan(kind, input));
          reasons.push({ Code: 'None' });
        } catch (err) {
          if (!(err instanceof ConditionFailed)) throw err;
          failed = true;
          planned.push(undefined);
          const item = (err as ConditionFailed & { item?: Item }).item;
          reasons.push({
            Code: 'ConditionalCheckFailed',
            Message: err.message,
            ...(item ? { Item: item } : {}),
          });
        }
      }
      if (failed) {
        throw Object.assign(new Error('Transaction cancelled'), { cancellation: reasons });
      }
      for (const w of planned) if (w?.after) items.set(w.k, w.after);
      return {};
    },
  };

  return {
    answer: (operation, input) => {
      try {
        const handler = ops[operation];
        if (!handler) throw new ValidationError(`the stand-in does not implement ${operation}`);
        return { status: 200, body: handler(input) };
      } catch (err) {
        if (err instanceof ConditionFailed) {
          const item = (err as ConditionFailed & { item?: Item }).item;
          return {
            status: 400,
            body: {
              __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
              message: err.message,
              ...(item ? { Item: item } : {}),
            },
          };
        }
        if ((err as { cancellation?: unknown }).cancellation) {
          return {
            status: 400,
            body: {
              __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
              message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
              CancellationReasons: (err as { cancellation: unknown }).cancellation,
            },
          };
        }
        return {
          status: 400,
          body: { __type: 'com.amazon.coral.validate#ValidationException', message: (err as Error).message },
        };
      }
    },
    load: (list) => {
      for (const item of list) items.set(keyOf(item), item);
    },
    get: (key) => items.get(keyOf(key)),
  };
}

/** The table behind a loopback server that adds `latencies` and answers many requests at once. */
export async function startMemoryDynamoDb(latencies: LatencyProfile): Promise<MemoryDynamoDb> {
  const table = memoryTable();
  let counts = emptyCounts();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const started = performance.now();
      const delay = latencies[operation] ?? 0;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const reply = (status: number, body: unknown) => {
        counts.requests++;
        counts.byCommand[operation] = (counts.byCommand[operation] ?? 0) + 1;
        counts.requestMs += performance.now() - started;
        counts.spans.push({ start: started, end: performance.now() });
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      };
      const { status, body } = table.answer(operation, JSON.parse(Buffer.concat(chunks).toString('utf8')));
      reply(status, body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get counts() {
      return counts;
    },
    reset: () => {
      counts = emptyCounts();
    },
    load: table.load,
    get: table.get,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
