import { createHash } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { NO_DELIVERY_OUTCOME } from '../db/deliveries-store.ts';
import { type EventDeliveryItem, putEventDeliveryOnce, type WebhookEventType } from '../db/events-store.ts';
import type { ScanRunItem } from '../db/scan-runs-store.ts';
import { listTargets, type TargetItem } from '../db/targets-store.ts';
import { ID_FORMATS } from '../ids.ts';

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

/** Creates the `scan_run.failed` deliveries of a failed run (idempotent); returns how many were new. */
export async function notifyScanRunFailed(db: Db, run: ScanRunItem): Promise<number> {
  const targets = await subscribedTargets(db, run.account_id, 'scan_run.failed');
  let created = 0;
  for (const target of targets) {
    const id = eventDeliveryId('scan_run.failed', String(run.id), target.id);
    const now = new Date().toISOString();
    const item: EventDeliveryItem = {
      id,
      event_type: 'scan_run.failed',
      scan_run_id: run.id,
      account_id: run.account_id,
      target_id: target.id,
      delivery_id: id,
      body: JSON.stringify(scanRunFailedPayload(id, run)),
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
