import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { type AttemptLogItem, listAttempts } from '../db/deliveries-store.ts';
import { keys } from '../db/keys.ts';
import { getTarget } from '../db/targets-store.ts';
import { approveExport, type ExportItem, getExport, requeueExport } from '../db/ticket-exports-store.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import {
  type AttemptView,
  ExportIdParam,
  type ExportView,
  type TicketPayload,
} from '../schemas/ticket-exports.ts';
import { type AccountRef, planRefusal } from './targets.ts';

export function toExportView(e: ExportItem, config: Pick<Config, 'delivery'>): ExportView {
  const scheduled = e.status === 'retry_scheduled';
  return {
    id: e.id,
    status: e.status as ExportView['status'],
    scan_run_id: e.scan_run_id,
    issue_fingerprints: e.issue_fingerprints,
    title: e.title,
    preview: JSON.parse(e.body) as TicketPayload,
    preview_safe: e.preview_safe,
    preview_findings: e.preview_findings ?? [],
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
  const item = ExportIdParam.safeParse(exportId).success
    ? await getExport(db, exportId, consistent)
    : undefined;
  if (!item || item.account_id !== accountId) throw new NotFoundError('Export not found.');
  return item;
}

/** The target checks shared by approve and retry: the account's, active, subscribed, allowed by the plan. */
async function requireUsableTarget(db: Db, account: AccountRef, targetId: string) {
  const target = /^tgt_[0-9a-f]{24}$/.test(targetId) ? await getTarget(db, targetId, true) : undefined;
  if (!target || target.account_id !== account.accountId) {
    throw new ConflictError('target_id does not reference a target of this account.', 'TARGET_NOT_FOUND');
  }
  if (target.status !== 'active') throw new ConflictError('The target is disabled.', 'TARGET_NOT_ACTIVE');
  if (!target.events.includes('ticket_export')) {
    throw new ConflictError('The target is not subscribed to ticket exports.', 'TARGET_NOT_SUBSCRIBED');
  }
  const refusal = planRefusal(account.plan, target.provider_key, target.deployment_mode);
  if (refusal) throw new ForbiddenError(refusal);
  return target;
}

/**
 * Approval: checks, then ONE conditional write pending_approval → queued. The enqueue follows from the
 * committed change (dispatcher reaction), never from here.
 */
export async function approve(
  db: Db,
  account: AccountRef,
  exportId: string,
  targetId: string,
): Promise<ExportItem> {
  const current = await getOwnedExport(db, account.accountId, exportId, true);
  if (current.status !== 'pending_approval') {
    throw new ConflictError(
      `The export is ${current.status}; only pending_approval exports can be approved.`,
      'EXPORT_NOT_PENDING',
    );
  }
  if (!current.preview_safe) {
    throw new ConflictError(
      'The preview still contains something that looks like a secret; prepare a new export.',
      'PREVIEW_NOT_SAFE',
    );
  }
  await requireUsableTarget(db, account, targetId);
  return approveExport(db, {
    exportId: current.id,
    accountId: account.accountId,
    targetId,
    at: new Date().toISOString(),
  });
}

/** Retry of a failed or blocked export: a new round, queued again by one conditional write. */
export async function retry(db: Db, account: AccountRef, exportId: string): Promise<ExportItem> {
  const current = await getOwnedExport(db, account.accountId, exportId, true);
  if (current.status !== 'failed' && current.status !== 'blocked') {
    throw new ConflictError(
      `The export is ${current.status}; only failed or blocked exports can be retried.`,
      'EXPORT_NOT_RETRYABLE',
    );
  }
  await requireUsableTarget(db, account, current.target_id ?? '');
  return requeueExport(db, {
    exportId: current.id,
    accountId: account.accountId,
    at: new Date().toISOString(),
  });
}

export async function listOwnedAttempts(
  db: Db,
  accountId: string,
  exportId: string,
  page: { limit: number; cursor?: string },
): Promise<{ export_id: string; items: AttemptView[]; next_cursor: string | null }> {
  const item = await getOwnedExport(db, accountId, exportId);
  const res = await listAttempts(db, keys.exportPartition(item.id), page);
  return { export_id: item.id, items: res.items.map(toAttemptView), next_cursor: res.nextCursor };
}
