import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the AWS JSON-protocol calls a function makes on its first request, so the
 * cold-start benchmark can time init plus a first invocation without a network, DynamoDB Local's JVM
 * warm-up or its serialised request handling in the measurement:
 *
 * - DynamoDB: items live in memory by `pk`/`sk`. GetItem, PutItem, BatchGetItem and the Puts of
 *   TransactWriteItems work on them (so fixtures can be written with the real domain code);
 *   UpdateItem, DeleteItem and the other entries of a transaction succeed without evaluating their
 *   expressions; Query answers an empty page.
 * - Secrets Manager: GetSecretValue, and the Parameters and Secrets Lambda Extension's
 *   `GET /secretsmanager/get?secretId=…` (what the functions call), answer the configured strings.
 * - SQS: every call succeeds with an empty answer.
 *
 * It answers at once: the benchmark measures the functions, not a network. Requests are counted by
 * operation, so a first invocation's calls are reported exactly.
 */
export interface AwsStandIn {
  url: string;
  /** Requests by `X-Amz-Target` operation (`DynamoDB_20120810.GetItem`, …) since the last reset. */
  counts: Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

type Attr = Record<string, unknown>;
type Item = Record<string, Attr>;

const keyOf = (key: Item) => `${JSON.stringify(key.pk)}|${JSON.stringify(key.sk)}`;

export async function startAwsStandIn(secrets: Record<string, string> = {}): Promise<AwsStandIn> {
  const items = new Map<string, Item>();
  const counts: Record<string, number> = {};
  const put = (item: Item) => items.set(keyOf(item), item);

  const dynamodb: Record<string, (input: Record<string, unknown>) => unknown> = {
    GetItem: (i) => {
      const item = items.get(keyOf(i.Key as Item));
      return item ? { Item: item } : {};
    },
    PutItem: (i) => {
      put(i.Item as Item);
      return {};
    },
    UpdateItem: () => ({}),
    DeleteItem: () => ({}),
    Query: () => ({ Items: [], Count: 0, ScannedCount: 0 }),
    BatchGetItem: (i) => ({
      Responses: Object.fromEntries(
        Object.entries(i.RequestItems as Record<string, { Keys: Item[] }>).map(([table, req]) => [
          table,
          req.Keys.map((k) => items.get(keyOf(k))).filter(Boolean),
        ]),
      ),
      UnprocessedKeys: {},
    }),
    TransactWriteItems: (i) => {
      for (const entry of i.TransactItems as { Put?: { Item: Item } }[]) if (entry.Put) put(entry.Put.Item);
      return {};
    },
  };

  const answer = (target: string, input: Record<string, unknown>): unknown => {
    const [service, op] = target.split('.') as [string, string];
    if (service.startsWith('DynamoDB_')) {
      const fn = dynamodb[op];
      if (!fn) throw new Error(`stand-in: DynamoDB ${op} is not implemented`);
      return fn(input);
    }
    if (service === 'secretsmanager' && op === 'GetSecretValue') {
      const arn = input.SecretId as string;
      const value = secrets[arn];
      if (value === undefined) throw new Error(`stand-in: no secret ${arn}`);
      return { ARN: arn, Name: arn.split(':').pop(), SecretString: value, VersionId: 'v1' };
    }
    if (service === 'AmazonSQS') return {};
    throw new Error(`stand-in: ${target} is not implemented`);
  };

  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/secretsmanager/get?')) {
      const arn = new URL(req.url, 'http://localhost').searchParams.get('secretId') ?? '';
      counts['extension.GetSecret'] = (counts['extension.GetSecret'] ?? 0) + 1;
      const value = secrets[arn];
      res.writeHead(value === undefined ? 400 : 200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          value === undefined ? { message: 'no such secret' } : { ARN: arn, SecretString: value },
        ),
      );
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      counts[target] = (counts[target] ?? 0) + 1;
      try {
        const body = JSON.stringify(
          answer(target, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')),
        );
        res.writeHead(200, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': `stand-in-${counts[target]}`,
        });
        res.end(body);
      } catch (err) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'ValidationException', message: (err as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    reset: () => {
      for (const k of Object.keys(counts)) delete counts[k];
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
