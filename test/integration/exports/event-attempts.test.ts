import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import { eventDeliveryId, notifyEvent } from '../../../lib/domain/event-deliveries.ts';
import { type ReferenceReceiver, startReferenceReceiver } from '../../../lib/webhooks/reference-receiver.ts';
import { apiClient } from '../../support/api-client.ts';
import { SHORT_DELIVERY_SCHEDULE, startTestStack } from '../../support/local-stack.ts';

/**
 * The attempt log of an event delivery, `GET /api/event-deliveries/{eventId}/attempts`, on the local
 * stack with its workers: what the receiver answered at each attempt, paged like an export's log,
 * reachable from the target's deliveries list, and nobody else's (docs/ticket-exports.md, "Events").
 */
let stack: Awaited<ReturnType<typeof startTestStack>>;
let api: ReturnType<typeof apiClient>;
let receiver: ReferenceReceiver;
let accountId: string;
let token: string;
let otherToken: string;
let exportsOnlyToken: string;
let targetId: string;

beforeAll(async () => {
  stack = await startTestStack({ workers: true, env: SHORT_DELIVERY_SCHEDULE });
  api = apiClient(stack.apiUrl);
  receiver = await startReferenceReceiver({ secrets: [], print: () => {} });
  accountId = (await createAccount(stack.db, { name: 'Events', plan: 'team' })).id;
  token = (await createToken(stack.db, { accountId })).api_token;
  exportsOnlyToken = (await createToken(stack.db, { accountId, scopes: ['exports:read'] })).api_token;
  const other = await createAccount(stack.db, { name: 'Other', plan: 'team' });
  otherToken = (await createToken(stack.db, { accountId: other.id })).api_token;
  const target = await api('POST', '/api/ticket-export-targets', {
    token,
    idempotencyKey: 'event-attempts-target',
    body: {
      provider_key: 'generic_webhook',
      base_url: `${receiver.url}/hooks`,
      deployment_mode: 'cloud',
      name: 'Operations',
      events: ['scan_run.failed', 'export.failed'],
    },
  });
  expect(target.status).toBe(201);
  targetId = target.body.id;
  receiver.setSecrets([target.body.signing_secret]);
});
afterAll(async () => {
  await receiver?.close();
  await stack?.stop();
});

/** Polls the target's deliveries list until the event is in a final state; returns its list item. */
async function settled(eventId: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const list = await api('GET', `/api/ticket-export-targets/${targetId}/deliveries`, { token });
    expect(list.status).toBe(200);
    const item = list.body.items.find((d: { id: string }) => d.id === eventId);
    if (item && ['delivered', 'failed', 'blocked'].includes(item.status)) return item;
    if (Date.now() > deadline) throw new Error(`event ${eventId} not delivered: ${JSON.stringify(item)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("an event delivery's attempt log", () => {
  it('lists every attempt oldest first, pages with a cursor, and is linked from the deliveries list', async () => {
    // The receiver fails the first attempt, then accepts the retry.
    receiver.setScript([{ status: 503, body: 'down for maintenance' }]);
    await notifyEvent(stack.db, {
      type: 'scan_run.failed',
      subject: 'event-attempts-1',
      accountId,
      body: (id) => ({ type: 'scan_run.failed', event_id: id }),
    });
    const eventId = eventDeliveryId('scan_run.failed', 'event-attempts-1', targetId);
    const item = await settled(eventId);
    expect(item).toMatchObject({
      kind: 'event',
      status: 'delivered',
      attempts: 2,
      attempts_url: `/api/event-deliveries/${eventId}/attempts`,
    });

    const log = await api('GET', item.attempts_url, { token });
    expect(log.status).toBe(200);
    expect(log.body).toMatchObject({
      event_id: eventId,
      event_type: 'scan_run.failed',
      target_id: targetId,
      next_cursor: null,
    });
    expect(log.body.items).toEqual([
      {
        attempt: 1,
        round: 1,
        at: expect.any(String),
        outcome: 'retry_scheduled',
        status_code: 503,
        duration_ms: expect.any(Number),
        error_class: 'http_server_error',
        retry_after_seconds: expect.any(Number),
        response_body: 'down for maintenance',
      },
      {
        attempt: 2,
        round: 1,
        at: expect.any(String),
        outcome: 'delivered',
        status_code: 200,
        duration_ms: expect.any(Number),
        error_class: null,
        retry_after_seconds: null,
        response_body: '{"received":true}',
      },
    ]);
    // The receiver got the event twice, with the same delivery id.
    expect(
      receiver.requests.filter((r) => r.headers['x-webriskops-delivery-id'] === eventId).map((r) => r.answer),
    ).toEqual([503, 200]);

    // Pages: one attempt per page, the cursor continues; a cursor of another list is 422.
    const first = await api('GET', `${item.attempts_url}?limit=1`, { token });
    expect(first.body.items.map((a: { attempt: number }) => a.attempt)).toEqual([1]);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await api('GET', `${item.attempts_url}?limit=1&cursor=${first.body.next_cursor}`, {
      token,
    });
    expect(second.body.items.map((a: { attempt: number }) => a.attempt)).toEqual([2]);
    const forged = Buffer.from(JSON.stringify({ pk: 'EVENT#evt_other', sk: 'ATTEMPT#000001' })).toString(
      'base64url',
    );
    const refused = await api('GET', `${item.attempts_url}?cursor=${forged}`, { token });
    expect([refused.status, refused.body.error.details[0].field]).toEqual([422, 'cursor']);
    expect((await api('GET', `${item.attempts_url}?limit=0`, { token })).status).toBe(422);
  });

  it("is 404 for another account's delivery, a missing one and a malformed id; 403 without targets:read", async () => {
    await notifyEvent(stack.db, {
      type: 'scan_run.failed',
      subject: 'event-attempts-2',
      accountId,
      body: (id) => ({ type: 'scan_run.failed', event_id: id }),
    });
    const eventId = eventDeliveryId('scan_run.failed', 'event-attempts-2', targetId);
    await settled(eventId);
    const path = `/api/event-deliveries/${eventId}/attempts`;
    expect((await api('GET', path, { token })).status).toBe(200);

    const foreign = await api('GET', path, { token: otherToken });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'NOT_FOUND']);
    // Indistinguishable from a delivery that does not exist.
    const missing = await api('GET', `/api/event-deliveries/evt_${'0'.repeat(32)}/attempts`, { token });
    expect([missing.status, missing.body.error.message]).toEqual([404, foreign.body.error.message]);
    expect((await api('GET', '/api/event-deliveries/evt_nope/attempts', { token })).status).toBe(404);
    // An export id is not an event delivery.
    expect((await api('GET', `/api/event-deliveries/exp_${'0'.repeat(24)}/attempts`, { token })).status).toBe(
      404,
    );

    const scoped = await api('GET', path, { token: exportsOnlyToken });
    expect([scoped.status, scoped.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await api('GET', path, {})).status).toBe(401);
  });
});
