import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { NO_DELIVERY_OUTCOME } from '../db/deliveries-store.ts';
import { type EventDeliveryItem, putEventDeliveryOnce } from '../db/events-store.ts';
import type { ScanRunItem } from '../db/scan-runs-store.ts';
import { listTargets, type TargetItem } from '../db/targets-store.ts';
import type { ExportItem } from '../db/ticket-exports-store.ts';
import { ID_FORMATS } from '../ids.ts';
import type { WebhookEventType } from './delivery-vocabulary.ts';

/**
 * Webhook events besides ticket exports (docs/ticket-exports.md, "Events"): one event delivery per
 * active target of the account subscribed to the event, created by dispatcher reactions from
 * committed changes and delivered, signed and retried like an export.
 */

/** Deterministic id of one event delivery: the same event to the same target is the same delivery. */
export function eventDeliveryId(type: WebhookEventType, subject: string, targetId: string): string {
  const hex = createHash('sha256').update(`${type}\n${subject}\n${targetId}`).digest('hex');
  return `${ID_FORMATS.event.prefix}_${hex.slice(0, ID_FORMATS.event.bytes * 2)}`;
}

/** The webhook body of a `scan_run.failed` event (the run's error is already sanitized at ingestion). */
export function scanRunFailedPayload(eventId: string, run: ScanRunItem) {
  return {
    type: 'scan_run.failed' as const,
    event_id: eventId,
    occurred_at: run.updated_at,
    scan_run: {
      scan_run_id: run.id,
      project_id: run.project_id,
      status: 'failed' as const,
      error: run.error ? { code: run.error.code, message: run.error.message } : null,
    },
  };
}

/**
 * The webhook body of a `target.disabled` event: which target, when and why. Never its URL: a
 * webhook URL is often a secret of its own (a chat incoming hook), and this goes to other receivers.
 */
export function targetDisabledPayload(eventId: string, target: TargetItem) {
  return {
    type: 'target.disabled' as const,
    event_id: eventId,
    occurred_at: target.disabled_at ?? target.updated_at,
    target: {
      id: target.id,
      name: target.name,
      disabled_reason: target.disabled_reason ?? null,
      disabled_at: target.disabled_at ?? null,
    },
  };
}

/** The webhook body of an `export.failed` event: the export's final state of that round. */
export function exportFailedPayload(eventId: string, exp: ExportItem) {
  return {
    type: 'export.failed' as const,
    event_id: eventId,
    occurred_at: exp.updated_at,
    export: {
      id: exp.id,
      scan_run_id: exp.scan_run_id,
      title: exp.title,
      target_id: exp.target_id,
      delivery_id: exp.delivery_id,
      round: exp.round,
      attempts: exp.attempts,
      failure_reason: exp.failure_reason,
      last_error_class: exp.last_error_class,
      last_status_code: exp.last_status_code,
    },
  };
}

async function subscribedTargets(db: Db, accountId: string, event: WebhookEventType): Promise<TargetItem[]> {
  const found: TargetItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTargets(db, accountId, { limit: 100, cursor });
    if (page.kind === 'invalid_cursor') throw new Error('listTargets refused its own cursor');
    found.push(...page.items.filter((t) => t.status === 'active' && t.events.includes(event)));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

/**
 * Creates one delivery of an event per subscribed active target of the account (idempotent: ids are
 * deterministic), except `exceptTargetId`, the target the event is about. Returns how many were new.
 */
export async function notifyEvent(
  db: Db,
  event: {
    type: WebhookEventType;
    /** What the event is about, unique per occurrence (the id is derived from it). */
    subject: string;
    accountId: string;
    exceptTargetId?: string | null;
    body: (eventId: string) => unknown;
    scanRunId?: number;
  },
): Promise<number> {
  const targets = (await subscribedTargets(db, event.accountId, event.type)).filter(
    (t) => t.id !== event.exceptTargetId,
  );
  let created = 0;
  for (const target of targets) {
    const id = eventDeliveryId(event.type, event.subject, target.id);
    const now = new Date().toISOString();
    const item: EventDeliveryItem = {
      id,
      event_type: event.type,
      subject: event.subject,
      ...(event.scanRunId !== undefined ? { scan_run_id: event.scanRunId } : {}),
      account_id: event.accountId,
      target_id: target.id,
      delivery_id: id,
      body: JSON.stringify(event.body(id)),
      status: 'queued',
      round: 1,
      attempts: 0,
      log_seq: 0,
      ...NO_DELIVERY_OUTCOME,
      created_at: now,
      updated_at: now,
    };
    if (await putEventDeliveryOnce(db, item)) created++;
  }
  return created;
}

/** The `scan_run.failed` deliveries of a failed run. */
export const notifyScanRunFailed = (db: Db, run: ScanRunItem) =>
  notifyEvent(db, {
    type: 'scan_run.failed',
    subject: String(run.id),
    accountId: run.account_id,
    scanRunId: run.id,
    body: (id) => scanRunFailedPayload(id, run),
  });

/** The `target.disabled` deliveries of a target the platform disabled, to the account's other targets. */
export const notifyTargetDisabled = (db: Db, target: TargetItem) =>
  notifyEvent(db, {
    type: 'target.disabled',
    subject: `${target.id}\n${target.disabled_at ?? target.updated_at}`,
    accountId: target.account_id,
    exceptTargetId: target.id,
    body: (id) => targetDisabledPayload(id, target),
  });

/** The `export.failed` deliveries of an export's failed round, to the account's other targets. */
export const notifyExportFailed = (db: Db, exp: ExportItem) =>
  notifyEvent(db, {
    type: 'export.failed',
    subject: `${exp.id}\n${exp.round}`,
    accountId: exp.account_id,
    exceptTargetId: exp.target_id,
    body: (id) => exportFailedPayload(id, exp),
  });
