import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DdbCounts, emptyCounts } from './ddb-counter.ts';

/**
 * A loopback HTTP proxy in front of DynamoDB Local that any client can be pointed at (an SDK client,
 * or a shipped bundle through AWS_ENDPOINT_URL_DYNAMODB):
 *
 * - **Counts** every request by operation, with the write and read units DynamoDB Local reports
 *   (it adds `ReturnConsumedCapacity: TOTAL` to each request; DynamoDB Local checks no signature),
 *   and the span of each request, for sequential round trips.
 *
 * Why a proxy and not an SDK middleware (bench/lib/ddb-counter.ts): a shipped bundle has its own
 * client, which no middleware of ours reaches; the proxy treats both the same.
 */
export interface DynamoDbProxy {
  url: string;
  counts: DdbCounts;
  reset(): void;
  close(): Promise<void>;
}

type Capacity = { CapacityUnits?: number; WriteCapacityUnits?: number; ReadCapacityUnits?: number };
const WRITES = /Put|Update|Delete|BatchWrite|TransactWrite/;

export async function startDynamoDbProxy(upstream: string): Promise<DynamoDbProxy> {
  const target = new URL(upstream);
  let counts = emptyCounts();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
      let body = Buffer.concat(chunks);
      try {
        const input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        if (!('ReturnConsumedCapacity' in input) && operation !== 'DescribeTable') {
          input.ReturnConsumedCapacity = 'TOTAL';
          body = Buffer.from(JSON.stringify(input));
        }
      } catch {
        // Not JSON: forwarded as it came.
      }
      const started = performance.now();
      const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
      const forward = request(
        { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers },
        (up) => {
          const answer: Buffer[] = [];
          up.on('data', (c: Buffer) => answer.push(c));
          up.on('end', () => {
            const text = Buffer.concat(answer);
            counts.requests++;
            counts.byCommand[operation] = (counts.byCommand[operation] ?? 0) + 1;
            counts.requestMs += performance.now() - started;
            counts.spans.push({ start: started, end: performance.now() });
            try {
              const out = JSON.parse(text.toString('utf8')) as { ConsumedCapacity?: Capacity | Capacity[] };
              for (const c of [out.ConsumedCapacity ?? []].flat()) {
                const write = c.WriteCapacityUnits ?? (WRITES.test(operation) ? (c.CapacityUnits ?? 0) : 0);
                const read = c.ReadCapacityUnits ?? (WRITES.test(operation) ? 0 : (c.CapacityUnits ?? 0));
                counts.writeUnits += write;
                counts.readUnits += read;
              }
            } catch {
              // An error page: counted as a request, no units.
            }
            res.writeHead(up.statusCode ?? 500, up.headers);
            res.end(text);
          });
        },
      );
      forward.on('error', (err) => {
        res.writeHead(502).end(String(err));
      });
      forward.end(body);
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
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
