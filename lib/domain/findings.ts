import type { Db } from '../db/client.ts';
import { defaultSleep } from '../db/dynamo.ts';
import { readFindingTickets } from '../db/finding-tickets-store.ts';
import {
  claimFindingsRun,
  commitFindingsRun,
  deleteUncommittedFinding,
  type FindingFilter,
  type FindingItem,
  getFinding,
  getFindingsHead,
  lifecycleOf,
  listFindings,
  markRunSuperseded,
  readProjectFindings,
  setFindingTriage,
  writeFinding,
} from '../db/findings-store.ts';
import { readRunResults } from '../db/scan-results-store.ts';
import type { ScanRunItem } from '../db/scan-runs-store.ts';
import { type Deadline, NO_DEADLINE } from '../deadline.ts';
import { NotFoundError } from '../errors.ts';
import type { FindingView } from '../schemas/responses.ts';
import {
  type FindingLifecycle,
  type RunObservation,
  recheckOf,
  reconcileFindings,
  type TriageReason,
} from './findings-lifecycle.ts';
import { toPage } from './pages.ts';
import { getOwnedProject } from './projects.ts';
import type { TicketRef } from './ticket-ref.ts';

/** How long a run holds its project's findings lease: longer than the dispatcher may run (60 s). */
export const FINDINGS_LEASE_MS = 120_000;
/** How long a run waits for another run of its project to be applied, and how often it looks. */
const BUSY_WAIT_MS = 30_000;
const BUSY_POLL_MS = 500;
/** Finding writes in flight at once while a run is applied. */
const WRITE_CONCURRENCY = 16;

/**
 * A run's application stops taking finding writes when less than this is left of its invocation
 * (the commit and the writes in flight fit in it).
 */
const STOP_MARGIN_MS = 10_000;

/**
 * The invocation's time ran out before every finding was written: the writes made stay, and the
 * stream record's retry goes on after them (a finding this run already wrote as it would is not
 * written again), so a run of any size is applied over as many invocations as it takes.
 */
export class FindingsIncompleteError extends Error {
  constructor(projectId: string, scanRunId: number, done: number, total: number) {
    super(
      `findings of ${projectId}: run ${scanRunId} wrote ${done} of ${total} findings before its deadline`,
    );
    this.name = 'FindingsIncompleteError';
  }
}

/** Another run of the project is being applied: the stream record is retried (docs/scanner-results.md). */
export class FindingsBusyError extends Error {
  constructor(projectId: string, scanRunId: number, holder: number) {
    super(`findings of ${projectId}: run ${holder} is being applied; run ${scanRunId} waits`);
    this.name = 'FindingsBusyError';
  }
}

/** What a committed run saw: its pages (normalized URL, status) and its issues, read consistently. */
async function observe(db: Db, run: ScanRunItem): Promise<RunObservation> {
  const { pages, issues } = await readRunResults(db, run);
  const byIndex: RunObservation['pages'][number][] = [];
  for (const p of pages) byIndex[p.index] = { normalized_url: p.normalized_url, status_code: p.status_code };
  return { scanRunId: run.id, pages: byIndex, issues };
}

/** Runs `work` over the items, `limit` at a time, taking none once `stop()`; answers how many it ran. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  stop: () => boolean,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return next;
}

export type ApplyOutcome =
  | { kind: 'applied'; delta: ReturnType<typeof reconcileFindings>['delta']; writes: number }
  | { kind: 'already_applied' }
  | { kind: 'superseded'; appliedScanRunId: number };

/**
 * Applies a completed run to its project's findings (docs/scanner-results.md, "Findings across scan
 * runs"), once: under the project's lease, from the committed state (a finding written by a run not
 * yet committed counts as it was before), then the head names the run and the run gets its delta.
 * A replayed record of an applied run changes nothing; a run older than the last applied one changes
 * nothing and is marked superseded; a run whose project is busy throws FindingsBusyError (retried).
 */
export async function applyRunToFindings(
  db: Db,
  run: ScanRunItem,
  clock: { nowMs: () => number } = { nowMs: Date.now },
  sleep: (ms: number) => Promise<void> = defaultSleep,
  deadline: Deadline = NO_DEADLINE,
): Promise<ApplyOutcome> {
  if (run.status !== 'completed') throw new Error(`scan run ${run.id} is ${run.status}, not completed`);
  // Another run of the project being applied takes seconds: wait for it here rather than spend the
  // stream record's retries; past BUSY_WAIT_MS the record is retried.
  let claim = await claimFindingsRun(db, run.project_id, run.id, clock.nowMs(), FINDINGS_LEASE_MS);
  for (let waited = 0; claim.kind === 'busy' && waited < BUSY_WAIT_MS; waited += BUSY_POLL_MS) {
    await sleep(BUSY_POLL_MS);
    claim = await claimFindingsRun(db, run.project_id, run.id, clock.nowMs(), FINDINGS_LEASE_MS);
  }
  if (claim.kind === 'busy') throw new FindingsBusyError(run.project_id, run.id, claim.leaseScanRunId);
  if (claim.kind === 'applied') {
    if (claim.appliedScanRunId === run.id) return { kind: 'already_applied' };
    await markRunSuperseded(db, run.id);
    return { kind: 'superseded', appliedScanRunId: claim.appliedScanRunId };
  }
  const committed = claim.appliedScanRunId ?? 0;
  const [observation, stored] = await Promise.all([
    observe(db, run),
    readProjectFindings(db, run.project_id),
  ]);
  // The committed state: a finding written by a run after the last committed one is as it was before.
  const previous = new Map<string, FindingLifecycle>();
  const uncommitted = new Map<string, FindingItem>();
  for (const f of stored) {
    if (f.applied_scan_run_id > committed) {
      uncommitted.set(f.fingerprint, f);
      if (f.prev) previous.set(f.fingerprint, lifecycleOf(f.prev));
    } else previous.set(f.fingerprint, lifecycleOf(f));
  }
  const { changes, delta } = reconcileFindings(previous, observation);
  const now = new Date(clock.nowMs()).toISOString();
  const storedByFp = new Map(stored.map((s) => [s.fingerprint, s]));
  const changed = new Set(changes.map((c) => c.after.fingerprint));
  // How each finding was before this run: what an uncommitted write recorded, else as stored.
  const prevOf = (fp: string): FindingItem['prev'] => {
    const u = uncommitted.get(fp);
    if (u) return u.prev;
    const s = storedByFp.get(fp);
    return s ? { ...lifecycleOf(s), applied_scan_run_id: s.applied_scan_run_id } : null;
  };
  // A finding this run already wrote as it would now (an earlier invocation's, cut off) is left as
  // it is: the retry of a run cut off by its deadline goes on where it stopped.
  const writtenAlready = (after: FindingLifecycle) => {
    const u = uncommitted.get(after.fingerprint);
    return u?.applied_scan_run_id === run.id && sameLifecycle(lifecycleOf(u), lifecycleOf(after));
  };
  const writes: (() => Promise<void>)[] = changes
    .filter((c) => !writtenAlready(c.after))
    .map((c) => () => writeFinding(db, run.project_id, run.id, c.after, prevOf(c.after.fingerprint), now));
  // What an abandoned run wrote and this one does not change: put back as it was, or removed.
  for (const [fp, f] of uncommitted) {
    if (changed.has(fp)) continue;
    const before = f.prev;
    writes.push(
      before
        ? () => writeFinding(db, run.project_id, run.id, lifecycleOf(before), before, now)
        : () => deleteUncommittedFinding(db, run.project_id, fp, f.applied_scan_run_id),
    );
  }
  const done = await eachLimited(
    writes,
    WRITE_CONCURRENCY,
    (w) => w(),
    () => deadline.remainingMs() < STOP_MARGIN_MS,
  );
  if (done < writes.length) throw new FindingsIncompleteError(run.project_id, run.id, done, writes.length);
  if (!(await commitFindingsRun(db, run.project_id, run.id, delta, now))) {
    throw new Error(`findings of ${run.project_id}: run ${run.id} lost its lease before it committed`);
  }
  return { kind: 'applied', delta, writes: writes.length };
}

/** The same lifecycle fields: a null and an absent field alike, a map's keys in any order. */
const sameLifecycle = (a: FindingLifecycle, b: FindingLifecycle) => canonical(a) === canonical(b);
const canonical = (v: unknown): string =>
  v !== null && typeof v === 'object'
    ? `{${Object.keys(v)
        .filter((k) => (v as Record<string, unknown>)[k] != null)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
        .join(',')}}`
    : JSON.stringify(v ?? null);

/** A finding as the API shows it. */
function toFindingView(
  f: FindingItem,
  latestRun: number | undefined,
  ticket: FindingView['ticket'],
): FindingView {
  return {
    fingerprint: f.fingerprint,
    state: f.state,
    recheck: f.state === 'fixed' ? null : recheckOf(f, latestRun),
    triage: f.triage
      ? {
          status: 'dismissed',
          reason: f.triage.reason,
          comment: f.triage.comment,
          dismissed_at: f.triage.dismissed_at,
          by: f.triage.by ?? null,
          ticket: f.triage.ticket ?? null,
        }
      : null,
    type: f.type,
    category: f.category,
    severity: f.severity,
    title: f.title,
    page_url: f.page_url,
    first_scan_run_id: f.first_scan_run_id,
    last_seen_scan_run_id: f.last_seen_scan_run_id,
    fixed_scan_run_id: f.fixed_scan_run_id,
    page_error: f.page_error,
    latest_issue: {
      scan_run_id: f.last_seen_scan_run_id,
      url: `/api/scan-runs/${f.last_seen_scan_run_id}/issues?fingerprint=${encodeURIComponent(f.fingerprint)}`,
    },
    ticket,
    created_at: f.created_at,
    updated_at: f.updated_at,
  };
}

async function viewsOf(db: Db, projectId: string, items: FindingItem[]): Promise<FindingView[]> {
  const [head, tickets] = await Promise.all([
    getFindingsHead(db, projectId),
    items.length
      ? readFindingTickets(
          db,
          projectId,
          items.map((f) => f.fingerprint),
        )
      : Promise.resolve(new Map()),
  ]);
  return items.map((f) => {
    const t = tickets.get(f.fingerprint);
    return toFindingView(f, head?.applied_scan_run_id, t ? { ...t.ticket, export_id: t.export_id } : null);
  });
}

/** A page of the findings of a project the account owns (docs/scanner-results.md, "Listing findings"). */
export async function listOwnedFindings(
  db: Db,
  accountId: string,
  projectId: string,
  query: {
    limit: number;
    cursor?: string;
    state?: string;
    severity?: string;
    category?: string;
    triage?: string;
  },
): Promise<{ items: FindingView[]; next_cursor: string | null }> {
  await getOwnedProject(db, accountId, projectId);
  const filter: FindingFilter = {
    state: query.state,
    severity: query.severity,
    category: query.category,
    triage_status: query.triage,
  };
  const page = toPage(
    await listFindings(db, projectId, filter, { limit: query.limit, cursor: query.cursor }),
  );
  return { items: await viewsOf(db, projectId, page.items), next_cursor: page.next_cursor };
}

/** A finding of a project the account owns, as the API shows it; 404 for a missing one. */
export async function getOwnedFinding(
  db: Db,
  accountId: string,
  projectId: string,
  fingerprint: string,
): Promise<FindingView> {
  await getOwnedProject(db, accountId, projectId);
  const found = await getFinding(db, projectId, fingerprint);
  if (!found) throw new NotFoundError('Finding not found.');
  const [view] = await viewsOf(db, projectId, [found]);
  return view as FindingView;
}

/**
 * Dismisses a finding (or, with `null`, takes the dismissal back). Idempotent: the same dismissal
 * (reason and comment) again keeps the first one's time, setter and ticket; any run after it leaves it
 * as it is. `by` records who set it (`token:<id>`, `target:<id>`), `ticket` the ticket a callback named.
 */
export async function triageFinding(
  db: Db,
  accountId: string,
  projectId: string,
  fingerprint: string,
  input: { reason: TriageReason; comment?: string | null; by?: string; ticket?: TicketRef | null } | null,
  now = new Date().toISOString(),
): Promise<FindingView> {
  await getOwnedProject(db, accountId, projectId);
  const notFound = () => new NotFoundError('Finding not found.');
  const current = await getFinding(db, projectId, fingerprint);
  if (!current) throw notFound();
  const same =
    input === null
      ? current.triage === null
      : current.triage?.reason === input.reason && current.triage.comment === (input.comment ?? null);
  const updated = same
    ? current
    : await setFindingTriage(
        db,
        projectId,
        fingerprint,
        input && {
          reason: input.reason,
          comment: input.comment ?? null,
          dismissed_at: now,
          ...(input.by ? { by: input.by } : {}),
          ...(input.ticket ? { ticket: input.ticket } : {}),
        },
        now,
      );
  if (!updated) throw notFound();
  const [view] = await viewsOf(db, projectId, [updated]);
  return view as FindingView;
}
