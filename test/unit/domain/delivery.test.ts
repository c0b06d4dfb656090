import { describe, expect, it } from 'vitest';
import type { DeliveryState } from '../../../lib/db/deliveries-store.ts';
import { DELIVERY_KINDS, decide } from '../../../lib/domain/delivery.ts';

const now = 1_000_000;
const ctx = { messageId: 'm-1', receiveCount: 1 };
const rec = (over: Partial<DeliveryState>) => ({ status: 'queued', ...over }) as DeliveryState;
const exp = DELIVERY_KINDS.ticket_export;

describe('what a message does with the state it finds', () => {
  it.each([
    ['queued', rec({ status: 'queued' }), 'take'],
    ['retry_scheduled, due', rec({ status: 'retry_scheduled', next_attempt_ms: now - 1 }), 'take'],
    [
      'retry_scheduled, due within tolerance',
      rec({ status: 'retry_scheduled', next_attempt_ms: now + 500 }),
      'take',
    ],
    [
      'retry_scheduled, not due',
      rec({ status: 'retry_scheduled', next_attempt_ms: now + 5_000 }),
      'retry_later:5',
    ],
    [
      'delivering, expired lease',
      rec({ status: 'delivering', lease_expires_at: now - 1, lease_holder: 'm-2' }),
      'take',
    ],
    [
      'delivering, own lease (same message back)',
      rec({ status: 'delivering', lease_expires_at: now + 9e3, lease_holder: 'm-1' }),
      'take',
    ],
    [
      'delivering, live foreign lease: back after it expires (its holder may be gone)',
      rec({ status: 'delivering', lease_expires_at: now + 9e3, lease_holder: 'm-2' }),
      'retry_later:10',
    ],
    [
      'delivering, foreign lease expiring now',
      rec({ status: 'delivering', lease_expires_at: now, lease_holder: 'm-2' }),
      'retry_later:1',
    ],
    ['exported', rec({ status: 'exported' }), 'ack'],
    ['blocked', rec({ status: 'blocked' }), 'ack'],
    ['failed by the receiver', rec({ status: 'failed', failure_reason: 'receiver_rejected' }), 'ack'],
    [
      'failed by the poison rule',
      rec({ status: 'failed', failure_reason: 'processing_error' }),
      'dead_letter',
    ],
    ['pending_approval', rec({ status: 'pending_approval' }), 'ack'],
  ])('%s → %s', (_name, record, expected) => {
    const d = decide(record, exp, ctx, now);
    const got = d.take
      ? 'take'
      : d.decision.action === 'retry_later'
        ? `retry_later:${d.decision.delaySeconds}`
        : d.decision.action;
    expect(got).toBe(expected);
  });

  it('an event delivery succeeds as delivered, not exported', () => {
    const d = decide(rec({ status: 'delivered' }), DELIVERY_KINDS.event, ctx, now);
    expect(d.take ? 'take' : d.decision.action).toBe('ack');
  });
});
