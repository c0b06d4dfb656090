import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { scanRunFailedNotify } from '../../../../lib/dispatch/reactions/scan-run-failed-notify.ts';
import { eventDeliveryId } from '../../../../lib/domain/event-deliveries.ts';
import { change, ddbMock, resetMocks, rt, sqsMock } from './harness.ts';

beforeEach(resetMocks);

describe('scan-run-failed-notify', () => {
  const run = {
    id: 42,
    account_id: 'acc_1',
    project_id: 'prj_1',
    status: 'failed',
    error: { code: 'CRAWL_TIMEOUT', message: 'timed out' },
    updated_at: '2025-01-01T00:00:00.000Z',
  };
  const target = (id: string, over: Record<string, unknown> = {}) => ({
    id,
    account_id: 'acc_1',
    status: 'active',
    events: ['ticket_export', 'scan_run.failed'],
    ...over,
  });

  it('matches a run becoming failed only', () => {
    expect(scanRunFailedNotify.matches(change('SCANRUN', { status: 'queued' }, run))).toBe(true);
    expect(scanRunFailedNotify.matches(change('SCANRUN', { status: 'failed' }, run))).toBe(false);
    expect(
      scanRunFailedNotify.matches(change('SCANRUN', { status: 'queued' }, { ...run, status: 'completed' })),
    ).toBe(false);
  });

  it('creates one deterministic, conditional event delivery per active subscribed target', async () => {
    ddbMock.on(QueryCommand).resolves({
      Items: [
        target('tgt_a'),
        target('tgt_b', { events: ['ticket_export'] }),
        target('tgt_c', { status: 'disabled' }),
        target('tgt_d', { events: ['scan_run.failed'] }),
      ],
    });
    ddbMock.on(TransactWriteCommand).resolves({});
    await scanRunFailedNotify.run(change('SCANRUN', { status: 'queued' }, run), rt);
    // Each delivery is its state item and its payload item (the body), in one transaction.
    const writes = ddbMock.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
    const puts = writes.map(([state, payload]) => ({
      ...state!.Put!,
      Item: { ...state!.Put!.Item, body: payload!.Put!.Item!.body } as Record<string, unknown>,
    }));
    expect(puts.map((p) => p.Item!.target_id)).toEqual(['tgt_a', 'tgt_d']);
    for (const p of puts) {
      expect(p.ConditionExpression).toBe('attribute_not_exists(pk)');
      expect(p.Item!.id).toBe(eventDeliveryId('scan_run.failed', '42', p.Item!.target_id as string));
      expect(p.Item).toMatchObject({
        status: 'queued',
        event_type: 'scan_run.failed',
        round: 1,
        attempts: 0,
      });
      expect(JSON.parse(p.Item!.body as string)).toMatchObject({
        type: 'scan_run.failed',
        event_id: p.Item!.id,
        scan_run: { scan_run_id: 42, error: { code: 'CRAWL_TIMEOUT' } },
      });
    }
    // The enqueue follows from the committed insert (event-delivery-queued), not from here.
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('gives different targets and runs different ids, the same inputs the same id', () => {
    expect(eventDeliveryId('scan_run.failed', '1', 'tgt_a')).toBe(
      eventDeliveryId('scan_run.failed', '1', 'tgt_a'),
    );
    expect(eventDeliveryId('scan_run.failed', '1', 'tgt_a')).not.toBe(
      eventDeliveryId('scan_run.failed', '1', 'tgt_b'),
    );
    expect(eventDeliveryId('scan_run.failed', '1', 'tgt_a')).not.toBe(
      eventDeliveryId('scan_run.failed', '2', 'tgt_a'),
    );
    expect(eventDeliveryId('scan_run.failed', '1', 'tgt_a')).toMatch(/^evt_[0-9a-f]{32}$/);
  });
});
