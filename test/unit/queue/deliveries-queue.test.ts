import {
  ChangeMessageVisibilityCommand,
  GetQueueAttributesCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  changeMessageVisibility,
  parseDeliveryMessage,
  queueUrlFromArn,
  readRedriveMaxReceiveCount,
  sendDeliveryMessage,
} from '../../../lib/queue/deliveries-queue.ts';

const sqs = new SQSClient({ region: 'us-east-1' });
const sqsMock = mockClient(sqs);
const URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/deliveries';

beforeEach(() => sqsMock.reset());

describe('deliveries queue adapter', () => {
  it('sends the message as JSON', async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const id = await sendDeliveryMessage(sqs, URL, {
      type: 'ticket_export',
      export_id: 'exp_0123456789abcdef01234567',
    });
    expect(id).toBe('m-1');
    const input = sqsMock.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input.QueueUrl).toBe(URL);
    expect(JSON.parse(input.MessageBody!)).toEqual({
      type: 'ticket_export',
      export_id: 'exp_0123456789abcdef01234567',
    });
  });

  it('changes visibility within SQS limits (0 … 12 h, whole seconds)', async () => {
    sqsMock.on(ChangeMessageVisibilityCommand).resolves({});
    await changeMessageVisibility(sqs, URL, 'rh', 2.4);
    await changeMessageVisibility(sqs, URL, 'rh', 99_999);
    await changeMessageVisibility(sqs, URL, 'rh', -3);
    expect(
      sqsMock.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input.VisibilityTimeout),
    ).toEqual([2, 43_200, 0]);
    expect(sqsMock.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input.ReceiptHandle).toBe('rh');
  });

  it('reads the redrive limit once per queue and caches it', async () => {
    sqsMock.on(GetQueueAttributesCommand).resolves({
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn', maxReceiveCount: 13 }) },
    });
    expect(await readRedriveMaxReceiveCount(sqs, `${URL}-a`)).toBe(13);
    expect(await readRedriveMaxReceiveCount(sqs, `${URL}-a`)).toBe(13);
    expect(sqsMock.commandCalls(GetQueueAttributesCommand)).toHaveLength(1);
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: {} });
    expect(await readRedriveMaxReceiveCount(sqs, `${URL}-b`)).toBeUndefined();
  });

  it('does not cache a failed lookup', async () => {
    sqsMock
      .on(GetQueueAttributesCommand)
      .rejectsOnce(new Error('denied'))
      .resolves({
        Attributes: { RedrivePolicy: JSON.stringify({ maxReceiveCount: 9 }) },
      });
    await expect(readRedriveMaxReceiveCount(sqs, `${URL}-c`)).rejects.toThrow('denied');
    expect(await readRedriveMaxReceiveCount(sqs, `${URL}-c`)).toBe(9);
  });

  it('derives a queue URL from the event source ARN', () => {
    expect(queueUrlFromArn('arn:aws:sqs:eu-west-1:123456789012:wro-deliveries')).toBe(
      'https://sqs.eu-west-1.amazonaws.com/123456789012/wro-deliveries',
    );
    expect(() => queueUrlFromArn('arn:aws:sns:eu-west-1:1:x')).toThrow();
  });
});

describe('message parsing (poison detection)', () => {
  it.each([
    ['{"type":"ticket_export","export_id":"exp_0123456789abcdef01234567"}', true],
    ['{"type":"event","event_id":"evt_0123456789abcdef0123456789abcdef"}', true],
    ['not json', false],
    ['null', false],
    ['[]', false],
    ['{"type":"ticket_export"}', false],
    ['{"type":"ticket_export","export_id":"../../etc"}', false],
    ['{"type":"ticket_export","export_id":7}', false],
    ['{"type":"event","event_id":"exp_0123456789abcdef01234567"}', false],
    ['{"type":"other","export_id":"exp_0123456789abcdef01234567"}', false],
  ])('%s → parseable: %s', (body, ok) => {
    expect(parseDeliveryMessage(body) !== undefined).toBe(ok);
  });

  it('keeps only the known fields', () => {
    expect(
      parseDeliveryMessage('{"type":"ticket_export","export_id":"exp_0123456789abcdef01234567","x":1}'),
    ).toEqual({ type: 'ticket_export', export_id: 'exp_0123456789abcdef01234567' });
  });
});
