import type { Db } from '../db/client.ts';
import { unexpectedConditionFailure, type WritePlan } from '../db/commit.ts';
import { NO_DELIVERY_OUTCOME } from '../db/deliveries-store.ts';
import { readFindingTickets } from '../db/finding-tickets-store.ts';
import { getScanRun, type ScanRunItem } from '../db/scan-runs-store.ts';
import { type ExportItem, exportPuts, type TicketedFinding } from '../db/ticket-exports-store.ts';
import { ConflictError, ScanRunNotFoundError, ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { CreateExportInput } from '../schemas/ticket-exports.ts';
import { findSecretsIn } from './preview-safety.ts';
import type { AccountRef } from './targets.ts';
import { buildTicketPayload, defaultTitle } from './ticket-payload.ts';

/** Reads stored issues of a run by fingerprint (scanner ingestion's store); missing ones are absent. */
export type IssueReader = (
  db: Db,
  run: ScanRunItem,
  fingerprints: string[],
) => Promise<Map<string, Record<string, unknown>>>;

/** The serialized webhook body may not exceed this (DynamoDB items are at most 400 KB). */
export const MAX_EXPORT_BODY_BYTES = 256 * 1024;

/** The export's payload item (body, fingerprints, ticket flags) stays this far under the 400 KB limit. */
export const MAX_EXPORT_PAYLOAD_BYTES = 380 * 1024;

/**
 * Prepares an export: the scan run must be the account's and completed, every fingerprint must be one
 * of its stored issues. The preview is built, serialized once and stored; it is exactly the body that
 * will be sent. preview_safe is false when the secret detector still finds something in it.
 */
export async function planPrepareExport(
  deps: { db: Db; readIssues: IssueReader },
  account: AccountRef,
  input: CreateExportInput,
): Promise<WritePlan<ExportItem>> {
  const run = await getScanRun(deps.db, input.scan_run_id);
  if (!run || run.account_id !== account.accountId) {
    throw new ScanRunNotFoundError(
      'scan_run_id does not reference a scan run of this account.',
      'scan_run_id',
    );
  }
  if (run.status !== 'completed') {
    throw new ConflictError(
      `The scan run is ${run.status}; exports are prepared from completed scan runs.`,
      'SCAN_RUN_NOT_COMPLETED',
    );
  }
  const found = await deps.readIssues(deps.db, run, input.issue_fingerprints);
  const missing = input.issue_fingerprints.map((fp, i) => ({ fp, i })).filter(({ fp }) => !found.has(fp));
  if (missing.length > 0) {
    throw new ValidationError(
      missing.map(({ fp, i }) => ({
        field: `issue_fingerprints.${i}`,
        message: `no issue with fingerprint ${JSON.stringify(fp)} in scan run ${run.id}`,
      })),
      `Unknown issue fingerprints: ${missing.map(({ fp }) => fp).join(', ')}.`,
    );
  }
  const id = newId('export');
  const now = new Date().toISOString();
  const issues = input.issue_fingerprints.map((fp) => found.get(fp) as Record<string, unknown>);
  const title = input.title ?? defaultTitle(run, issues.length);
  const payload = buildTicketPayload({ exportId: id, title, run, issues, createdAt: now });
  const body = JSON.stringify(payload);
  if (Buffer.byteLength(body, 'utf8') > MAX_EXPORT_BODY_BYTES) {
    throw new ValidationError([
      {
        field: 'issue_fingerprints',
        message: `the export would exceed ${MAX_EXPORT_BODY_BYTES} bytes; export fewer issues at a time`,
      },
    ]);
  }
  const findings = findSecretsIn(payload);
  // Findings an earlier export already turned into tickets are flagged, not refused: the customer
  // decides (docs/ticket-exports.md, "Ticket references").
  const tickets = await readFindingTickets(deps.db, run.project_id, input.issue_fingerprints);
  const ticketed: TicketedFinding[] = input.issue_fingerprints.flatMap((fp) => {
    const t = tickets.get(fp);
    return t ? [{ fingerprint: fp, ticket: t.ticket, export_id: t.export_id }] : [];
  });
  // The payload item holds the body, the fingerprints and the flags: DynamoDB's 400 KB item limit
  // applies to all of them together (a 256 KB body with 100 long ticket references would pass it).
  const payloadBytes = Buffer.byteLength(
    JSON.stringify({ body, issue_fingerprints: input.issue_fingerprints, ticketed_findings: ticketed }),
  );
  if (payloadBytes > MAX_EXPORT_PAYLOAD_BYTES) {
    throw new ValidationError([
      {
        field: 'issue_fingerprints',
        message: `the export and its ticket references would exceed ${MAX_EXPORT_PAYLOAD_BYTES} bytes; export fewer issues at a time`,
      },
    ]);
  }
  const item: ExportItem = {
    id,
    account_id: account.accountId,
    scan_run_id: run.id,
    project_id: run.project_id,
    issue_fingerprints: input.issue_fingerprints,
    ticketed_findings: ticketed,
    title,
    body,
    preview_safe: findings.length === 0,
    preview_findings: findings,
    status: 'pending_approval',
    target_id: null,
    delivery_id: newId('delivery'),
    round: 0,
    attempts: 0,
    log_seq: 0,
    ...NO_DELIVERY_OUTCOME,
    created_at: now,
    updated_at: now,
    approved_at: null,
  };
  return {
    writes: exportPuts(deps.db, item),
    result: item,
    onConditionFailed: unexpectedConditionFailure('export preparation'),
  };
}
