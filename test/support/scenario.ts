import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Db } from '../../lib/db/client.ts';
import { keys } from '../../lib/db/keys.ts';
import { MAX_SHARDS } from '../../lib/db/scan-result-shards.ts';
import { createAccount, createToken } from '../../lib/domain/accounts.ts';
import type { PlanName } from '../../lib/domain/plans.ts';
import type { apiClient } from './api-client.ts';
import { TEST_SCANNER_SECRET } from './local-stack.ts';

/** An account with a token and a project, created the way a customer would (admin functions + API). */
export async function accountWithProject(
  db: Db,
  api: ReturnType<typeof apiClient>,
  opts: { plan?: PlanName; credits?: number } = {},
) {
  const account = await createAccount(db, {
    name: 'Acme',
    plan: opts.plan ?? 'enterprise',
    credits: opts.credits ?? 100,
  });
  const token = (await createToken(db, { accountId: account.id })).api_token;
  const project = await api('POST', '/api/projects', {
    token,
    idempotencyKey: `project-${account.id}`,
    body: { name: 'Site', base_url: 'https://example.test' },
  });
  const newScanRun = async (): Promise<number> => {
    const res = await api('POST', `/api/projects/${project.body.id}/scan-runs`, {
      token,
      idempotencyKey: `run-${Math.random()}`,
    });
    if (res.status !== 201)
      throw new Error(`scan run creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.scan_run_id as number;
  };
  return { accountId: account.id, token, projectId: project.body.id as string, newScanRun };
}

/**
 * Items in each of a scan run's partitions (the run item, pages and issues, including uncommitted ones):
 * every shard a postback can spread over (lib/db/scan-result-shards.ts), keyed by partition, empty
 * ones left out.
 */
export async function partitionCounts(db: Db, scanRunId: number): Promise<Map<string, number>> {
  const counts = await Promise.all(
    Array.from({ length: MAX_SHARDS }, async (_, shard) => {
      const pk = keys.scanRunPartition(scanRunId, shard);
      let count = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const res = await db.doc.send(
          new QueryCommand({
            TableName: db.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          }),
        );
        count += res.Count ?? 0;
        start = res.LastEvaluatedKey;
      } while (start);
      return [pk, count] as const;
    }),
  );
  return new Map(counts.filter(([, n]) => n > 0));
}

/** Items in all of a scan run's partitions together. */
export async function partitionCount(db: Db, scanRunId: number): Promise<number> {
  return [...(await partitionCounts(db, scanRunId)).values()].reduce((a, b) => a + b, 0);
}

/**
 * The scanner's postback as a scanner sends it: a JSON value, or a body's text or bytes as they are
 * (gzip-compressed, hand-written JSON) with `Content-Type: application/json`.
 */
export function scannerPostback(api: ReturnType<typeof apiClient>) {
  return (body: unknown, key: string, headers: Record<string, string> = {}) => {
    const raw = typeof body === 'string' || Buffer.isBuffer(body);
    return api('POST', '/api/scanner/results', {
      ...(raw ? { rawBody: body } : { body }),
      headers: {
        ...(raw ? { 'Content-Type': 'application/json' } : {}),
        'X-Scanner-Secret': TEST_SCANNER_SECRET,
        ...headers,
      },
      idempotencyKey: key,
    });
  };
}

/**
 * Waits until the dispatcher has settled a completed run's scan report (report_status no longer
 * `pending`: `ready` or `failed`), and answers the run as the API shows it, with the statuses seen.
 */
export async function reportSettled(
  api: ReturnType<typeof apiClient>,
  token: string,
  scanRunId: number,
  timeoutMs = 30_000,
): Promise<{ run: Record<string, any>; seen: string[] }> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await api('GET', `/api/scan-runs/${scanRunId}`, { token });
    if (res.status !== 200)
      throw new Error(`GET scan run ${scanRunId}: ${res.status} ${JSON.stringify(res.body)}`);
    if (seen.at(-1) !== res.body.report_status) seen.push(res.body.report_status);
    if (res.body.report_status !== 'pending') return { run: res.body, seen };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `the report of scan run ${scanRunId} is still pending after ${timeoutMs} ms (seen: ${seen})`,
  );
}
