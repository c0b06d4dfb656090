import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config.ts';
import type { ItemChange } from '../../../lib/dispatch/reaction.ts';
import { eventDeliveryQueued } from '../../../lib/dispatch/reactions/event-delivery-queued.ts';
import { exportQueued } from '../../../lib/dispatch/reactions/export-queued.ts';
import { scanRunFailedNotify } from '../../../lib/dispatch/reactions/scan-run-failed-notify.ts';
import { eventDeliveryId } from '../../../lib/domain/event-deliveries.ts';
import type { Runtime } from '../../../lib/runtime.ts';

const sqs = new SQSClient({ region: 'us-east-1' });
const sqsMock = mockClient(sqs);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/1/deliveries';
const rt = {
  config: parseConfig({ WRO_TABLE_NAME: 'tbl', WRO_DELIVERIES_QUEUE_URL: QUEUE }),
  db: { doc, table: 'tbl' },
  sqs,
} as unknown as Runtime;

const change = (
  sk: string,
  oldImage: Record<string, unknown> | undefined,
  newImage: Record<string, unknown>,
) => ({ eventName: oldImage ? 'MODIFY' : 'INSERT', keys: { pk: 'X', sk }, oldImage, newImage }) as ItemChange;

beforeEach(() => {
  sqsMock.reset();
  ddbMock.reset();
  sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm' });
});

describe('export-queued', () => {
  it('enqueues when an export becomes queued (approval or retry), and only then', async () => {
    const approved = change('EXPORT', { status: 'pending_approval' }, { id: 'exp_1', status: 'queued' });
    const retried = change('EXPORT', { status: 'failed' }, { id: 'exp_1', status: 'queued' });
    expect(exportQueued.matches(approved)).toBe(true);
    expect(exportQueued.matches(retried)).toBe(true);
    expect(
      exportQueued.matches(change('EXPORT', { status: 'queued' }, { id: 'exp_1', status: 'delivering' })),
    ).toBe(false);
    expect(
      exportQueued.matches(change('EXPORT', { status: 'queued' }, { id: 'exp_1', status: 'queued' })),
    ).toBe(false);
    expect(exportQueued.matches(change('EVENT', undefined, { id: 'evt_1', status: 'queued' }))).toBe(false);
    await exportQueued.run(approved, rt);
    const input = sqsMock.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input.QueueUrl).toBe(QUEUE);
    expect(JSON.parse(input.MessageBody!)).toEqual({ type: 'ticket_export', export_id: 'exp_1' });
  });
});

describe('event-delivery-queued', () => {
  it('enqueues a newly created event delivery', async () => {
    const inserted = change('EVENT', undefined, { id: 'evt_1', status: 'queued' });
    expect(eventDeliveryQueued.matches(inserted)).toBe(true);
    expect(eventDeliveryQueued.matches(change('EVENT', { status: 'queued' }, { status: 'delivering' }))).toBe(
      false,
    );
    await eventDeliveryQueued.run(inserted, rt);
    expect(JSON.parse(sqsMock.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!)).toEqual({
      type: 'event',
      event_id: 'evt_1',
    });
  });
});

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
    ddbMock.on(PutCommand).resolves({});
    await scanRunFailedNotify.run(change('SCANRUN', { status: 'queued' }, run), rt);
    const puts = ddbMock.commandCalls(PutCommand).map((c) => c.args[0].input);
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
