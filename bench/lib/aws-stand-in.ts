import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { memoryTable } from './dynamodb-memory.ts';

/**
 * A loopback stand-in for the AWS JSON-protocol calls a function makes on its first request, so the
 * cold-start benchmark can time init plus a first invocation without a network, DynamoDB Local's JVM
 * warm-up or its serialised request handling in the measurement:
 *
 * - DynamoDB: the in-memory table of bench/lib/dynamodb-memory.ts, with its condition semantics
 *   (fixtures are written with the real domain code).
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

export async function startAwsStandIn(secrets: Record<string, string> = {}): Promise<AwsStandIn> {
  const table = memoryTable();
  const counts: Record<string, number> = {};

  const answer = (target: string, input: Record<string, unknown>): { status: number; body: unknown } => {
    const [service, op] = target.split('.') as [string, string];
    if (service.startsWith('DynamoDB_')) return table.answer(op, input);
    if (service === 'secretsmanager' && op === 'GetSecretValue') {
      const arn = input.SecretId as string;
      const value = secrets[arn];
      if (value === undefined) throw new Error(`stand-in: no secret ${arn}`);
      return {
        status: 200,
        body: { ARN: arn, Name: arn.split(':').pop(), SecretString: value, VersionId: 'v1' },
      };
    }
    if (service === 'AmazonSQS') return { status: 200, body: {} };
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
        const out = answer(target, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
        const body = JSON.stringify(out.body);
        res.writeHead(out.status, {
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
