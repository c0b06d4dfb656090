import type { Db } from '../db/client.ts';
import { listAttempts, listTargetDeliveries, type TargetDelivery } from '../db/deliveries-store.ts';
import { getEventDelivery } from '../db/events-store.ts';
import { keys } from '../db/keys.ts';
import { NotFoundError } from '../errors.ts';
import { isId } from '../ids.ts';
import type { AttemptView, TargetDeliveryView } from '../schemas/responses.ts';
import { toPage } from './pages.ts';
import { getOwnedTarget } from './targets.ts';
import { toAttemptView } from './ticket-exports.ts';

/**
 * A target's deliveries, exports and events, newest first (docs/ticket-exports.md, "Deliveries of a
 * target"): what was sent there, how it went, and where each export's attempt log is.
 */
export async function listOwnedTargetDeliveries(
  db: Db,
  accountId: string,
  targetId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: TargetDeliveryView[]; next_cursor: string | null }> {
  await getOwnedTarget(db, accountId, targetId);
  return toPage(await listTargetDeliveries(db, targetId, page), toTargetDeliveryView);
}

export function toTargetDeliveryView(d: TargetDelivery): TargetDeliveryView {
  const isExport = isId('export', d.id);
  const scheduled = d.status === 'retry_scheduled';
  return {
    kind: isExport ? 'ticket_export' : 'event',
    id: d.id,
    event_type: isExport ? 'ticket_export' : (d.event_type ?? 'event'),
    delivery_id: d.delivery_id,
    status: d.status,
    round: d.round,
    attempts: d.attempts ?? 0,
    last_error_class: d.last_error_class ?? null,
    last_status_code: d.last_status_code ?? null,
    next_attempt_at: scheduled ? (d.next_attempt_at ?? null) : null,
    failure_reason: d.status === 'failed' ? (d.failure_reason ?? null) : null,
    blocked_reason: d.status === 'blocked' ? (d.blocked_reason ?? null) : null,
    delivered_at: d.delivered_at ?? null,
    created_at: d.created_at,
    updated_at: d.updated_at,
    attempts_url: isExport
      ? `/api/ticket-exports/${d.id}/attempts`
      : `/api/event-deliveries/${d.id}/attempts`,
  };
}

/**
 * The attempt log of one event delivery, oldest first (docs/ticket-exports.md, "Attempt log of an
 * event delivery"). Another account's delivery is indistinguishable from a missing one (404).
 */
export async function listOwnedEventAttempts(
  db: Db,
  accountId: string,
  eventId: string,
  page: { limit: number; cursor?: string },
): Promise<{
  event_id: string;
  event_type: string;
  target_id: string | null;
  items: AttemptView[];
  next_cursor: string | null;
}> {
  const item = isId('event', eventId) ? await getEventDelivery(db, eventId) : undefined;
  if (!item || item.account_id !== accountId) throw new NotFoundError('Event delivery not found.');
  const res = await listAttempts(db, keys.eventPartition(item.id), page);
  return {
    event_id: item.id,
    event_type: item.event_type,
    target_id: item.target_id ?? null,
    ...toPage(res, toAttemptView),
  };
}
