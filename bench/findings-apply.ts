import { handler as scannerResults } from '../functions/scanner-results.ts';
import { WORKER_SIZES } from '../infra/function-sizing.ts';
import { getScanRun } from '../lib/db/scan-runs-store.ts';
import { applyRunToFindings } from '../lib/domain/findings.ts';
import { runtime } from '../lib/runtime.ts';
import { countDynamoDbRequests, emptyCounts, sequentialRoundTrips } from './lib/ddb-counter.ts';
import { benchAccount, postbackBody } from './lib/fixtures.ts';
import { invoke } from './lib/invoke.ts';
import { ratio, round } from './lib/stats.ts';

/** Per-request latency of the stand-in the applications run on (AWS: a few ms per request). */
const ROUND_TRIP_LATENCY_MS = 10;

/**
 * Applying a 1,000-page run to its project's findings (docs/scanner-results.md, "Findings across scan
 * runs"), as the dispatcher's `scan-run-findings` reaction does, with exact DynamoDB counts:
 *
 * 1. the first run of the project (every finding new);
 * 2. a rescan of every page where half the issues are gone (half fixed, half unchanged);
 * 3. run 2 applied again (a replayed stream record): nothing written.
 *
 * Baseline in the same run: the findings the run observed, i.e. the writes of an applier that wrote
 * every observed finding; and the dispatcher's timeout, against the application's time on the
 * latency-injected stand-in (+10 ms per request on top of DynamoDB Local).
 */
export async function benchFindingsApply(opts: { pages: number; issuesPerPage: number }) {
  const rt = runtime();
  const { newRun } = await benchAccount(rt);
  const secret = process.env.WRO_SCANNER_SHARED_SECRET as string;

  const postRun = async (keep: (issueIndex: number) => boolean) => {
    const id = await newRun();
    const body = postbackBody(id, opts.pages, opts.issuesPerPage);
    for (const page of body.pages) page.issues = page.issues.filter((_, i) => keep(i));
    const res = await invoke(scannerResults, {
      method: 'POST',
      path: '/api/scanner/results',
      headers: {
        'Content-Type': 'application/json',
        'X-Scanner-Secret': secret,
        'Idempotency-Key': `fa-${id}`,
      },
      body: JSON.stringify(body),
    });
    if (res.statusCode !== 202) throw new Error(`postback answered ${res.statusCode}: ${res.body}`);
    const run = await getScanRun(rt.db, id, true);
    if (!run) throw new Error(`run ${id} is gone`);
    return { run, observed: body.pages.reduce((n, p) => n + p.issues.length, 0) };
  };

  const measure = async (name: string, run: Awaited<ReturnType<typeof postRun>>) => {
    const counts = emptyCounts();
    const remove = countDynamoDbRequests(rt.db.doc, counts, { latencyMs: ROUND_TRIP_LATENCY_MS });
    const started = performance.now();
    let outcome: Awaited<ReturnType<typeof applyRunToFindings>>;
    try {
      outcome = await applyRunToFindings(rt.db, run.run);
    } finally {
      remove();
    }
    const ms = performance.now() - started;
    return {
      case: name,
      findings_observed: run.observed,
      outcome: outcome.kind,
      delta: outcome.kind === 'applied' ? outcome.delta : null,
      finding_writes: outcome.kind === 'applied' ? outcome.writes : 0,
      ratio_writes_vs_observed: ratio(outcome.kind === 'applied' ? outcome.writes : 0, run.observed),
      dynamodb_requests: counts.requests,
      dynamodb_requests_by_command: counts.byCommand,
      write_units: round(counts.writeUnits, 1),
      read_units: round(counts.readUnits, 1),
      sequential_round_trips: sequentialRoundTrips(counts),
      wall_ms_stand_in: round(ms, 0),
      ratio_wall_vs_dispatcher_timeout: ratio(ms, WORKER_SIZES.dispatcher.timeout.toMilliseconds()),
    };
  };

  const half = Math.ceil(opts.issuesPerPage / 2);
  const first = await postRun(() => true);
  const rescan = await postRun((i) => i < half);
  const results = [
    await measure('first run: every finding new', first),
    await measure(
      `rescan: ${opts.issuesPerPage - half} of ${opts.issuesPerPage} issues per page gone`,
      rescan,
    ),
    await measure('the rescan applied again (replayed stream record)', rescan),
  ];
  return {
    command: 'npm run bench',
    size: `${opts.pages}x${opts.issuesPerPage}`,
    round_trip_latency_injected_ms: ROUND_TRIP_LATENCY_MS,
    dispatcher_timeout_ms: WORKER_SIZES.dispatcher.timeout.toMilliseconds(),
    results,
  };
}
