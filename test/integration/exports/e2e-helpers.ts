import { createHmac, timingSafeEqual } from 'node:crypto';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { expect } from 'vitest';
import type { ReceivedRequest } from '../../../lib/webhooks/reference-receiver.ts';
import type { apiClient } from '../../support/api-client.ts';

export const FINAL = ['exported', 'failed', 'blocked'];

/** Polls GET /api/ticket-exports/{id} until `done` holds; returns every distinct status view seen. */
export async function pollExport(
  api: ReturnType<typeof apiClient>,
  token: string,
  exportId: string,
  done: (view: any) => boolean = (v) => FINAL.includes(v.status),
  timeoutMs = 20_000,
): Promise<any[]> {
  const seen: any[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api('GET', `/api/ticket-exports/${exportId}`, { token });
    expect(res.status).toBe(200);
    if (seen.at(-1)?.status !== res.body.status || seen.at(-1)?.attempts !== res.body.attempts)
      seen.push(res.body);
    if (done(res.body)) return seen;
    if (Date.now() > deadline) {
      throw new Error(`export ${exportId} still ${res.body.status} after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The documented PHP verification, recomputed with node:crypto exactly as the PHP does:
 *   $expected = 'sha256='.hash_hmac('sha256', $timestamp.'.'.$nonce.'.'.$body, getenv('WEBRISKOPS_WEBHOOK_SECRET'));
 *   hash_equals($expected, $receivedSignature)
 */
export function phpSnippetAccepts(request: ReceivedRequest, secret: string): boolean {
  const timestamp = String(request.headers['x-webriskops-timestamp']);
  const nonce = String(request.headers['x-webriskops-nonce']);
  const received = String(request.headers['x-webriskops-signature']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${nonce}.${request.rawBody}`).digest('hex')}`;
  return expected.length === received.length && timingSafeEqual(Buffer.from(expected), Buffer.from(received));
}

/** Resolves once the queue holds no message, visible or in flight (all were processed and deleted). */
export async function queueDrained(sqs: SQSClient, queueUrl: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const a = res.Attributes ?? {};
    if (Number(a.ApproximateNumberOfMessages) === 0 && Number(a.ApproximateNumberOfMessagesNotVisible) === 0)
      return;
    if (Date.now() > deadline)
      throw new Error(`queue not drained after ${timeoutMs} ms: ${JSON.stringify(a)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
