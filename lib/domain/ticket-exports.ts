import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { WritePlan } from '../db/commit.ts';
import { type AttemptLogItem, listAttempts } from '../db/deliveries-store.ts';
import type { TransactItem } from '../db/dynamo.ts';
import { keys } from '../db/keys.ts';
import { getTarget, type TargetItem, usableTargetCheck } from '../db/targets-store.ts';
import {
  approveExportWrite,
  type ExportItem,
  type ExportListFilter,
  type ExportSummaryItem,
  getExport,
  listExports,
  requeueExportWrite,
} from '../db/ticket-exports-store.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { isId } from '../ids.ts';
import type { AttemptView, ExportSummaryView, ExportView, TicketPayload } from '../schemas/responses.ts';
import { toPage } from './pages.ts';
import { type AccountRef, planRefusal } from './targets.ts';

/** How an export's delivery stands, as the whole export and the exports list show it. */
function deliveryState(e: ExportSummaryItem, config: Pick<Config, 'delivery'>) {
  const scheduled = e.status === 'retry_scheduled';
  return {
    target_id: e.target_id ?? null,
    delivery_id: e.delivery_id,
    attempts: e.attempts ?? 0,
    max_attempts: config.delivery.maxAttempts,
    last_error_class: e.last_error_class ?? null,
    last_status_code: e.last_status_code ?? null,
    retry_after_seconds: scheduled ? (e.retry_after_seconds ?? null) : null,
    next_attempt_at: scheduled ? (e.next_attempt_at ?? null) : null,
    failure_reason: e.status === 'failed' ? (e.failure_reason ?? null) : null,
    blocked_reason: e.status === 'blocked' ? (e.blocked_reason ?? null) : null,
    created_at: e.created_at,
    updated_at: e.updated_at,
    approved_at: e.approved_at ?? null,
    exported_at: e.status === 'exported' ? (e.delivered_at ?? null) : null,
  };
}

export function toExportView(e: ExportItem, config: Pick<Config, 'delivery'>): ExportView {
  return {
    id: e.id,
    status: e.status as ExportView['status'],
    scan_run_id: e.scan_run_id,
    issue_fingerprints: e.issue_fingerprints,
    title: e.title,
    preview: JSON.parse(e.body) as TicketPayload,
    preview_safe: e.preview_safe,
    preview_findings: e.preview_findings ?? [],
    ticketed_findings: e.ticketed_findings ?? [],
    ticket: e.ticket ?? null,
    ...deliveryState(e, config),
  };
}

/** An export as the exports list shows it (its state, not its payload). */
export function toExportSummaryView(
  e: ExportSummaryItem,
  config: Pick<Config, 'delivery'>,
): ExportSummaryView {
  return {
    id: e.id,
    status: e.status as ExportSummaryView['status'],
    scan_run_id: e.scan_run_id,
    project_id: e.project_id ?? null,
    title: e.title,
    preview_safe: e.preview_safe,
    ticket: e.ticket ?? null,
    ...deliveryState(e, config),
    url: `/api/ticket-exports/${e.id}`,
  };
}

/**
 * The account's exports, newest first, filtered (docs/ticket-exports.md, "List"). A `target_id` that
 * names no target of the account matches nothing: the page is empty (and any cursor, which only an
 * owned target's list can have issued, is refused).
 */
export async function listOwnedExports(
  db: Db,
  config: Pick<Config, 'delivery'>,
  accountId: string,
  query: {
    limit: number;
    cursor?: string;
    status?: ExportListFilter['status'];
    target_id?: string;
    scan_run_id?: number;
  },
): Promise<{ items: ExportSummaryView[]; next_cursor: string | null }> {
  const filter: ExportListFilter = {
    status: query.status,
    targetId: query.target_id,
    scanRunId: query.scan_run_id,
  };
  if (filter.targetId !== undefined) {
    const target = await getTarget(db, filter.targetId);
    if (!target || target.account_id !== accountId)
      return toPage(
        query.cursor === undefined
          ? { kind: 'page', items: [], nextCursor: null }
          : { kind: 'invalid_cursor' },
      );
  }
  const page = await listExports(db, accountId, filter, { limit: query.limit, cursor: query.cursor });
  return toPage(page, (e) => toExportSummaryView(e, config));
}

export function toAttemptView(a: AttemptLogItem): AttemptView {
  return {
    attempt: a.attempt,
    round: a.round,
    at: a.at,
    outcome: a.outcome,
    status_code: a.status_code ?? null,
    duration_ms: a.duration_ms ?? null,
    error_class: a.error_class ?? null,
    retry_after_seconds: a.retry_after_seconds ?? null,
    response_body: a.response_body ?? null,
  };
}

/** Another account's export is indistinguishable from a missing one (404). */
export async function getOwnedExport(
  db: Db,
  accountId: string,
  exportId: string,
  consistent = false,
): Promise<ExportItem> {
  const item = isId('export', exportId) ? await getExport(db, exportId, consistent) : undefined;
  if (!item || item.account_id !== accountId) throw new NotFoundError('Export not found.');
  return item;
}

/** Why an export cannot be approved, from the export as it is (undefined: it can). */
function notApprovable(item: Partial<ExportItem> | undefined, accountId: string): Error | undefined {
  if (!item || item.account_id !== accountId) return new NotFoundError('Export not found.');
  if (item.status !== 'pending_approval') {
    return new ConflictError(
      `The export is ${String(item.status)}; only pending_approval exports can be approved.`,
      'EXPORT_NOT_PENDING',
    );
  }
  if (!item.preview_safe) {
    return new ConflictError(
      'The preview still contains something that looks like a secret; prepare a new export.',
      'PREVIEW_NOT_SAFE',
    );
  }
  return undefined;
}

/**
 * Why an export cannot be retried, from the export as it is (undefined: it can): a `failed` or
 * `blocked` one, or one left `delivering` by a worker whose lease expired (docs/ticket-exports.md,
 * "Retry").
 */
function notRetryable(
  item: Partial<ExportItem> | undefined,
  accountId: string,
  nowMs: number,
): Error | undefined {
  if (!item || item.account_id !== accountId) return new NotFoundError('Export not found.');
  const abandoned = item.status === 'delivering' && (item.lease_expires_at ?? 0) < nowMs;
  if (item.status !== 'failed' && item.status !== 'blocked' && !abandoned) {
    return new ConflictError(
      `The export is ${String(item.status)}; only failed or blocked exports, or delivering ones whose lease expired, can be retried.`,
      'EXPORT_NOT_RETRYABLE',
    );
  }
  return undefined;
}

/** Why a target cannot take an export of this account, from the target as it is (undefined: it can). */
export function unusableTarget(
  target: Partial<TargetItem> | undefined,
  account: AccountRef,
): Error | undefined {
  if (!target || target.account_id !== account.accountId) {
    return new ConflictError('target_id does not reference a target of this account.', 'TARGET_NOT_FOUND');
  }
  if (target.status !== 'active') return new ConflictError('The target is disabled.', 'TARGET_NOT_ACTIVE');
  if (!target.events?.includes('ticket_export')) {
    return new ConflictError('The target is not subscribed to ticket exports.', 'TARGET_NOT_SUBSCRIBED');
  }
  const t = target as TargetItem; // every field the checks above read is there
  const refusal = planRefusal(account.plan, t.provider_key, t.deployment_mode);
  return refusal ? new ForbiddenError(refusal) : undefined;
}

async function requireUsableTarget(db: Db, account: AccountRef, targetId: string): Promise<TargetItem> {
  const target = isId('target', targetId) ? await getTarget(db, targetId, true) : undefined;
  const refusal = unusableTarget(target, account);
  if (refusal) throw refusal;
  return target as TargetItem;
}

/**
 * The writes of approve and retry: the export's transition, and a check that the target is still the
 * account's, active and subscribed when it commits. A failed condition is explained from the item as
 * it is: the export's (entry 0) or the target's (entry 1); an export changed since it was read is
 * explained by its new state, or is a plain conflict.
 */
function transitionPlan(
  db: Db,
  account: AccountRef,
  transition: TransactItem,
  targetId: string,
  result: ExportItem,
  explainExport: (item: Partial<ExportItem> | undefined) => Error | undefined,
): WritePlan<ExportItem> {
  return {
    writes: [transition, usableTargetCheck(db, targetId, account.accountId)],
    result,
    // `item` is the stored item as it was: the export's (entry 0) or the target's (entry 1).
    onConditionFailed: ({ index, item }) => {
      const refusal =
        index === 0
          ? explainExport(item as Partial<ExportItem>)
          : unusableTarget(item as Partial<TargetItem>, account);
      throw refusal ?? new ConflictError('The export changed while this request ran; read it and retry.');
    },
  };
}

/**
 * Approval: checks, then ONE transaction pending_approval → queued (with the target check). The enqueue
 * follows from the committed change (dispatcher reaction), never from here.
 */
export async function planApprove(
  db: Db,
  account: AccountRef,
  exportId: string,
  targetId: string,
): Promise<WritePlan<ExportItem>> {
  const current = await getOwnedExport(db, account.accountId, exportId, true);
  const refusal = notApprovable(current, account.accountId);
  if (refusal) throw refusal;
  await requireUsableTarget(db, account, targetId);
  const at = new Date().toISOString();
  const write = approveExportWrite(db, {
    exportId: current.id,
    accountId: account.accountId,
    targetId,
    seenUpdatedAt: current.updated_at,
    at,
    createdAt: current.created_at,
  });
  const result: ExportItem = {
    ...current,
    status: 'queued',
    target_id: targetId,
    approved_at: at,
    updated_at: at,
    round: 1,
    attempts: 0,
  };
  return transitionPlan(db, account, write, targetId, result, (item) =>
    notApprovable(item, account.accountId),
  );
}

/** Retry of a failed or blocked export: a new round, queued again by one transaction. */
export async function planRetry(
  db: Db,
  account: AccountRef,
  exportId: string,
  toTargetId?: string,
): Promise<WritePlan<ExportItem>> {
  const current = await getOwnedExport(db, account.accountId, exportId, true);
  const nowMs = Date.now();
  const refusal = notRetryable(current, account.accountId, nowMs);
  if (refusal) throw refusal;
  // Another target may take the new round (its own checks apply); the delivery id stays the same.
  const targetId = toTargetId ?? current.target_id ?? '';
  await requireUsableTarget(db, account, targetId);
  const at = new Date(nowMs).toISOString();
  const write = requeueExportWrite(db, {
    exportId: current.id,
    accountId: account.accountId,
    seenUpdatedAt: current.updated_at,
    at,
    nowMs,
    targetId,
    createdAt: current.created_at,
  });
  const result: ExportItem = {
    ...current,
    target_id: targetId,
    status: 'queued',
    round: current.round + 1,
    attempts: 0,
    retry_after_seconds: null,
    next_attempt_at: null,
    next_attempt_ms: null,
    failure_reason: null,
    blocked_reason: null,
    updated_at: at,
  };
  return transitionPlan(db, account, write, targetId, result, (item) =>
    notRetryable(item, account.accountId, nowMs),
  );
}

export async function listOwnedAttempts(
  db: Db,
  accountId: string,
  exportId: string,
  page: { limit: number; cursor?: string },
): Promise<{ export_id: string; items: AttemptView[]; next_cursor: string | null }> {
  const item = await getOwnedExport(db, accountId, exportId);
  const res = await listAttempts(db, keys.exportPartition(item.id), page);
  return { export_id: item.id, ...toPage(res, toAttemptView) };
}
