import { handler as scannerResults } from '../functions/scanner-results.ts';
import { applyPlan } from '../lib/db/commit.ts';
import { getScanRun } from '../lib/db/scan-runs-store.ts';
import { planScannerResult } from '../lib/domain/scanner-ingest.ts';
import { runtime } from '../lib/runtime.ts';
import { ScannerResultSchema } from '../lib/schemas/scanner-results.ts';
import { benchAccount, postbackBody } from './lib/fixtures.ts';
import { invoke } from './lib/invoke.ts';
import { ratio, round } from './lib/stats.ts';

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/**
 * CPU time of this process per scanner postback through the full Middy stack (scanner auth, rate limit,
 * idempotency claim and completion, JSON parsing, zod validation, then the business function) against
 * the bare business function (ingestion, including sanitization) on the same input. DynamoDB Local
 * runs in its own process, so its CPU is in neither figure. Alternating blocks; best block each.
 */
export async function benchHandlerOverhead(opts: {
  requests: number;
  blocks: number;
  pages: number;
  issues: number;
}) {
  const rt = runtime();
  const { newRun } = await benchAccount(rt);
  const secret = process.env.WRO_SCANNER_SHARED_SECRET as string;
  let full = Number.POSITIVE_INFINITY;
  let bare = Number.POSITIVE_INFINITY;
  for (let b = 0; b < opts.blocks; b++) {
    const fullInputs = [];
    const bareInputs = [];
    for (let i = 0; i < opts.requests; i++) {
      fullInputs.push(JSON.stringify(postbackBody(await newRun(), opts.pages, opts.issues)));
      const parsed = ScannerResultSchema().parse(postbackBody(await newRun(), opts.pages, opts.issues));
      bareInputs.push(parsed);
    }
    let start = process.cpuUsage();
    for (const body of fullInputs) {
      await invoke(scannerResults, {
        method: 'POST',
        path: '/api/scanner/results',
        headers: {
          'Content-Type': 'application/json',
          'X-Scanner-Secret': secret,
          'Idempotency-Key': `ov-${body.length}-${Math.random()}`,
        },
        body,
      });
    }
    full = Math.min(full, cpuMs(process.cpuUsage(start)) / opts.requests);
    start = process.cpuUsage();
    for (const input of bareInputs) {
      const run = await getScanRun(rt.db, input.scanRunId, true);
      await applyPlan(rt.db, await planScannerResult(rt.db, input, run));
    }
    bare = Math.min(bare, cpuMs(process.cpuUsage(start)) / opts.requests);
  }
  return {
    command: 'npm run bench',
    payload: `${opts.pages}x${opts.issues}`,
    requests_per_block: opts.requests,
    blocks: opts.blocks,
    full_stack_cpu_ms_per_request: round(full, 3),
    bare_business_cpu_ms_per_request: round(bare, 3),
    ratio_full_vs_bare: ratio(full, bare),
  };
}
