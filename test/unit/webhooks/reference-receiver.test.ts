import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTicketRef } from '../../../lib/domain/ticket-ref.ts';
import { type ReferenceReceiver, startReferenceReceiver } from '../../../lib/webhooks/reference-receiver.ts';
import { generateSigningSecret, signWebhook } from '../../../lib/webhooks/signing.ts';

const secret = generateSigningSecret();
let receiver: ReferenceReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const ticket = JSON.stringify({
  type: 'ticket_export',
  export_id: 'exp_1',
  title: 'Fix it',
  scan_run: { scan_run_id: 1 },
  issues: [{ fingerprint: 'fp', severity: 'high', title: 'No CSP' }],
});

async function post(r: ReferenceReceiver, body: string, headers: Record<string, string>) {
  const res = await fetch(r.url, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as any };
}

describe('reference receiver', () => {
  it('verifies, prints each ticket once and dedupes by delivery id', async () => {
    const lines: string[] = [];
    receiver = await startReferenceReceiver({ secrets: [secret], print: (l) => lines.push(l) });
    const first = await post(receiver, ticket, signWebhook({ secret, body: ticket, deliveryId: 'dlv_1' }));
    // It names the ticket it created (docs/ticket-exports.md, "Ticket references").
    const made = { id: 'REF-1', url: `${receiver.url}/tickets/REF-1` };
    expect(first).toEqual({ status: 200, body: { received: true, ticket: made } });
    // A retry of the same delivery: new nonce and timestamp, same delivery id, the same ticket.
    const again = await post(receiver, ticket, signWebhook({ secret, body: ticket, deliveryId: 'dlv_1' }));
    expect(again).toEqual({ status: 200, body: { received: true, duplicate: true, ticket: made } });
    expect(parseTicketRef(JSON.stringify(again.body))).toEqual(made);
    expect(receiver.accepted.size).toBe(1);
    expect(lines[0]).toContain('ticket dlv_1: Fix it');
    expect(lines[1]).toContain('[high] No CSP');
    expect(lines).toHaveLength(2);
  });

  it('answers 401 WEBHOOK_SIGNATURE_INVALID for a wrong secret, a replayed nonce or a changed body', async () => {
    receiver = await startReferenceReceiver({ secrets: [secret], print: () => {} });
    const wrong = await post(
      receiver,
      ticket,
      signWebhook({ secret: generateSigningSecret(), body: ticket, deliveryId: 'd' }),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    const headers = signWebhook({ secret, body: ticket, deliveryId: 'd2' });
    expect((await post(receiver, ticket, headers)).status).toBe(200);
    expect((await post(receiver, ticket, headers)).body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    const fresh = signWebhook({ secret, body: ticket, deliveryId: 'd3' });
    expect((await post(receiver, `${ticket} `, fresh)).status).toBe(401);
  });

  it('follows a secrets file: 503 with Retry-After while it is absent, then verifies with what it holds', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'wro-receiver-')), 'secret');
    receiver = await startReferenceReceiver({ secrets: [], secretsFile: file, print: () => {} });
    const sign = (deliveryId: string) => signWebhook({ secret, body: ticket, deliveryId });
    const res = await fetch(receiver.url, { method: 'POST', headers: sign('f1'), body: ticket });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    writeFileSync(file, `${generateSigningSecret()}, ${secret}\n`);
    expect((await post(receiver, ticket, sign('f1'))).status).toBe(200);
    writeFileSync(file, generateSigningSecret());
    expect((await post(receiver, ticket, sign('f2'))).status).toBe(401);
  });

  it('accepts the previous secret during a rotation', async () => {
    const next = generateSigningSecret();
    receiver = await startReferenceReceiver({ secrets: [next, secret], print: () => {} });
    expect(
      (await post(receiver, ticket, signWebhook({ secret, body: ticket, deliveryId: 'a' }))).status,
    ).toBe(200);
    expect(
      (await post(receiver, ticket, signWebhook({ secret: next, body: ticket, deliveryId: 'b' }))).status,
    ).toBe(200);
  });

  it('follows its response script, then answers normally', async () => {
    receiver = await startReferenceReceiver({
      secrets: [secret],
      print: () => {},
      script: [{ status: 500 }, { status: 429, headers: { 'Retry-After': '1' } }, { kind: 'reset' }],
    });
    const sign = () => signWebhook({ secret, body: ticket, deliveryId: 'x' });
    expect((await post(receiver, ticket, sign())).status).toBe(500);
    const limited = await fetch(receiver.url, { method: 'POST', headers: sign(), body: ticket });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1']);
    await expect(fetch(receiver.url, { method: 'POST', headers: sign(), body: ticket })).rejects.toThrow();
    expect((await post(receiver, ticket, sign())).status).toBe(200);
    expect(receiver.requests.map((r) => r.answer)).toEqual([500, 429, 'reset', 200]);
  });
});
