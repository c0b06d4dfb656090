import { type ArtifactStore, artifactStoreFor } from '../../artifacts/artifact-store.ts';
import type { Db } from '../../db/client.ts';
import { readRunResults } from '../../db/scan-results-store.ts';
import { getScanRun, markReportFailed, markReportReady, type ScanRunItem } from '../../db/scan-runs-store.ts';
import { buildSarifLog } from '../../domain/sarif-report.ts';
import { buildReportSummary, REPORT_CONTENT_TYPES, reportKey } from '../../domain/scan-report.ts';
import { logger } from '../../logger.ts';
import { type Reaction, reaction } from '../reaction.ts';

/**
 * The largest document the dispatcher builds (it holds it in memory twice: object and text). A run's
 * results come from one postback of at most 6 MB, whose SARIF is a few times that; past this limit the
 * report is `failed` with REPORT_TOO_LARGE instead of the invocation running out of memory.
 */
export const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/** A reason the report cannot be built that retrying does not change: the run's report is `failed`. */
export class ReportNotBuildable extends Error {
  constructor(
    readonly code: 'RESULTS_MISSING' | 'REPORT_TOO_LARGE',
    message: string,
  ) {
    super(message);
    this.name = 'ReportNotBuildable';
  }
}

export type ReportOutcome =
  | { kind: 'ready'; bytes: { json: number; sarif: number } }
  | { kind: 'failed'; code: string }
  | { kind: 'skipped'; reason: string };

/**
 * Builds a completed run's report from its committed state and stores it (docs/scanner-results.md,
 * "The scan report"): the run read consistently (its `findings_delta` if the findings reaction, which
 * runs first, has applied it), all its pages and issues over every shard, both documents written under
 * their deterministic keys, then pending → ready in one conditional write. Run again for the same run
 * (a replayed stream record, a retried batch) it rewrites the same bytes and the condition, already
 * settled, changes nothing. A reason it can name → failed with it; any other error is thrown (retried).
 */
export async function produceReport(db: Db, store: ArtifactStore, scanRunId: number): Promise<ReportOutcome> {
  const run = await getScanRun(db, scanRunId, true);
  if (!run) return { kind: 'skipped', reason: 'no such run' };
  if (run.status !== 'completed' || run.report_status !== 'pending')
    return { kind: 'skipped', reason: `run ${run.status}, report ${run.report_status}` };
  try {
    const documents = await buildDocuments(db, run);
    for (const [format, text] of documents)
      await store.put(reportKey(run.id, format), text, REPORT_CONTENT_TYPES[format]);
    const bytes = { json: Buffer.byteLength(documents[0][1]), sarif: Buffer.byteLength(documents[1][1]) };
    const settled = await markReportReady(db, run.id, bytes);
    return settled ? { kind: 'ready', bytes } : { kind: 'skipped', reason: 'already settled' };
  } catch (err) {
    if (!(err instanceof ReportNotBuildable)) throw err;
    await markReportFailed(db, run.id, { code: err.code, message: err.message });
    return { kind: 'failed', code: err.code };
  }
}

async function buildDocuments(db: Db, run: ScanRunItem): Promise<[['json', string], ['sarif', string]]> {
  if (!run.ingest_id)
    throw new ReportNotBuildable('RESULTS_MISSING', 'The completed run names no stored results.');
  const { pages, issues } = await readRunResults(db, run);
  const input = { run, pages, issues };
  const json = JSON.stringify(buildReportSummary(input));
  const sarif = JSON.stringify(buildSarifLog(input));
  for (const text of [json, sarif])
    if (Buffer.byteLength(text) > MAX_REPORT_BYTES)
      throw new ReportNotBuildable(
        'REPORT_TOO_LARGE',
        `The report would be over ${MAX_REPORT_BYTES} bytes (${issues.length} issues on ${pages.length} pages).`,
      );
  return [
    ['json', json],
    ['sarif', sarif],
  ];
}

/** A scan run committed as completed → its report, after its findings (REACTIONS order). */
export const scanRunReport: Reaction = reaction({
  name: 'scan-run-report',
  on: { sk: 'SCANRUN', statusChangedTo: 'completed' },
  async run(change, rt) {
    const id = Number(change.newImage?.id);
    const outcome = await produceReport(rt.db, artifactStoreFor(rt), id);
    logger.info('scan report', { scan_run_id: id, ...outcome });
  },
});
