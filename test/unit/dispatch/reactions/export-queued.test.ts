import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportQueued } from '../../../../lib/dispatch/reactions/export-queued.ts';
import { change, QUEUE, resetMocks, rt, sqsMock } from './harness.ts';

beforeEach(resetMocks);

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
