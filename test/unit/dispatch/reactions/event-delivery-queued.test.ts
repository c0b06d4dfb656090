import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventDeliveryQueued } from '../../../../lib/dispatch/reactions/event-delivery-queued.ts';
import { change, resetMocks, rt, sqsMock } from './harness.ts';

beforeEach(resetMocks);

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
