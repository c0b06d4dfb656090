import type { Db } from '../db/client.ts';
import { readFindingStates } from '../db/findings-store.ts';
import { type IssueRecord, listRunIssues, listRunPages, type PageRecord } from '../db/scan-results-store.ts';
import type { ScanRunItem } from '../db/scan-runs-store.ts';
import type { KeepFilter } from '../db/sharded-query.ts';
import { ValidationError } from '../errors.ts';
import type { FindingState } from './findings-lifecycle.ts';
import { toPage } from './pages.ts';

/**
 * A run's pages and issues as the API lists them (docs/scanner-results.md, "Reading results"):
 * severity and category are the stored items' own (DynamoDB filters them); `state` and `triage` are
 * those of the project's findings now, read by fingerprint for each batch of items the list reads.
 */
export interface FindingMatch {
  state?: FindingState;
  triage?: 'dismissed' | 'none';
}

interface ListQuery extends FindingMatch {
  limit: number;
  cursor?: string;
  severity?: string;
  category?: string;
}

/**
 * Keeps the items with a fingerprint whose finding of the project matches; none when nothing is asked.
 * An issue names one fingerprint; a page those of every issue it carried.
 */
export function findingFilter(
  db: Db,
  projectId: string,
  match: FindingMatch,
  fingerprintsOf: (item: Record<string, unknown>) => readonly string[],
): KeepFilter | undefined {
  if (match.state === undefined && match.triage === undefined) return undefined;
  const matches = (f: { state: string; triage_status: string } | undefined) =>
    f !== undefined &&
    (match.state === undefined || f.state === match.state) &&
    (match.triage === undefined || f.triage_status === match.triage);
  return {
    keep: async (items) => {
      const findings = await readFindingStates(db, projectId, [...new Set(items.flatMap(fingerprintsOf))]);
      return items.map((item) => fingerprintsOf(item).some((fp) => matches(findings.get(fp))));
    },
    cost: (item) => Math.max(1, fingerprintsOf(item).length),
  };
}

export async function listScanRunIssues(
  db: Db,
  run: ScanRunItem,
  query: ListQuery & { fingerprint?: string },
): Promise<{ items: IssueRecord[]; next_cursor: string | null }> {
  const { state, triage, ...read } = query;
  const keep = findingFilter(db, run.project_id, { state, triage }, (i) => [String(i.fingerprint)]);
  return toPage(await listRunIssues(db, run, { ...read, keep }));
}

export async function listScanRunPages(
  db: Db,
  run: ScanRunItem,
  query: ListQuery,
): Promise<{ items: PageRecord[]; next_cursor: string | null }> {
  const { state, triage, ...read } = query;
  if (!run.pages_indexed && run.ingest_id) {
    // Pages stored before they carried their issues' index cannot be filtered by what they hold.
    const asked = (['severity', 'category', 'state', 'triage'] as const).filter(
      (f) => query[f] !== undefined,
    );
    if (asked.length)
      throw new ValidationError(
        asked.map((field) => ({
          field,
          message: 'this run was stored before its pages could be filtered; filter its issues instead',
        })),
      );
  }
  const keep = findingFilter(db, run.project_id, { state, triage }, (p) => p.issue_fingerprints as string[]);
  return toPage(await listRunPages(db, run, { ...read, keep }));
}
