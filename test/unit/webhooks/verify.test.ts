import { describe, expect, it } from 'vitest';
import { WebhookSignatureInvalidError } from '../../../lib/errors.ts';
import { generateSigningSecret, signWebhook } from '../../../lib/webhooks/signing.ts';
import { MemoryNonceStore, type NonceStore, verifyWebhook } from '../../../lib/webhooks/verify.ts';

const NOW_SECONDS = 1_700_000_000;
const now = () => NOW_SECONDS * 1000;
const SECRET = generateSigningSecret();
const BODY = JSON.stringify({ event: 'ticket_export.exported', id: 'exp_1', title: 'Caf\u00e9' });

function signed(opts: { secret?: string; timestamp?: number; body?: string; nonce?: string } = {}) {
  return signWebhook({
    secret: opts.secret ?? SECRET,
    body: opts.body ?? BODY,
    timestamp: opts.timestamp ?? NOW_SECONDS,
    nonce: opts.nonce,
    deliveryId: 'dlv_123',
  });
}

function verify(
  headers: Record<string, string | undefined>,
  overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {},
) {
  return verifyWebhook({
    headers,
    rawBody: BODY,
    secrets: [SECRET],
    nonceStore: new MemoryNonceStore({ now }),
    now,
    ...overrides,
  });
}

async function expectInvalid(promise: Promise<unknown>) {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebhookSignatureInvalidError);
  expect((err as WebhookSignatureInvalidError).code).toBe('WEBHOOK_SIGNATURE_INVALID');
  expect((err as WebhookSignatureInvalidError).status).toBe(401);
}

describe('verifyWebhook', () => {
  it('accepts a valid signature and returns timestamp, nonce and delivery id', async () => {
    const headers = signed({ nonce: 'nonce-valid-1' });
    await expect(verify(headers)).resolves.toEqual({
      timestamp: NOW_SECONDS,
      nonce: 'nonce-valid-1',
      deliveryId: 'dlv_123',
    });
  });

  it('accepts a Buffer body and header names in any case', async () => {
    const headers = Object.fromEntries(Object.entries(signed()).map(([k, v]) => [k.toUpperCase(), v]));
    await expect(verify(headers, { rawBody: Buffer.from(BODY, 'utf8') })).resolves.toMatchObject({
      timestamp: NOW_SECONDS,
    });
  });

  it('rejects a tampered body', async () => {
    await expectInvalid(verify(signed(), { rawBody: BODY.replace('exp_1', 'exp_2') }));
  });

  it('rejects a body that was re-serialised (whitespace differs)', async () => {
    await expectInvalid(verify(signed(), { rawBody: JSON.stringify(JSON.parse(BODY), null, 2) }));
  });

  it('rejects a signature made with another secret', async () => {
    await expectInvalid(verify(signed({ secret: generateSigningSecret() })));
  });

  it('rejects a tampered timestamp or nonce', async () => {
    const headers = signed();
    await expectInvalid(verify({ ...headers, 'X-WebRiskOps-Timestamp': String(NOW_SECONDS + 1) }));
    await expectInvalid(verify({ ...headers, 'X-WebRiskOps-Nonce': 'another-nonce-123' }));
  });

  it.each(['X-WebRiskOps-Signature', 'X-WebRiskOps-Timestamp', 'X-WebRiskOps-Nonce'])(
    'rejects a request without %s',
    async (name) => {
      const headers: Record<string, string | undefined> = { ...signed() };
      delete headers[name];
      await expectInvalid(verify(headers));
      await expectInvalid(verify({ ...signed(), [name]: '' }));
    },
  );

  it('rejects an unsigned request', async () => {
    await expectInvalid(verify({ 'Content-Type': 'application/json' }));
  });

  it.each([
    ['no prefix', (s: string) => s.slice('sha256='.length)],
    ['other algorithm', (s: string) => s.replace('sha256=', 'sha1=')],
    ['too short', (s: string) => s.slice(0, -2)],
    ['not hex', (s: string) => `${s.slice(0, -1)}z`],
    ['two signatures', (s: string) => `${s},${s}`],
  ])('rejects a malformed signature (%s)', async (_label, mangle) => {
    const headers = signed();
    await expectInvalid(
      verify({ ...headers, 'X-WebRiskOps-Signature': mangle(headers['X-WebRiskOps-Signature']!) }),
    );
  });

  it.each(['1.7e9', '-1', ' 1700000000', '0x6553f100', 'soon'])(
    'rejects a malformed timestamp %j',
    async (ts) => {
      await expectInvalid(verify({ ...signed(), 'X-WebRiskOps-Timestamp': ts }));
    },
  );

  it('rejects a stale timestamp', async () => {
    await expectInvalid(verify(signed({ timestamp: NOW_SECONDS - 301 })));
    await expectInvalid(verify(signed({ timestamp: NOW_SECONDS - 86_400 })));
  });

  it('rejects a timestamp too far in the future', async () => {
    await expectInvalid(verify(signed({ timestamp: NOW_SECONDS + 301 })));
  });

  it('accepts timestamps exactly at the tolerance boundaries (default 300 s)', async () => {
    await expect(verify(signed({ timestamp: NOW_SECONDS - 300 }))).resolves.toBeDefined();
    await expect(verify(signed({ timestamp: NOW_SECONDS + 300 }))).resolves.toBeDefined();
  });

  it('honours a custom tolerance', async () => {
    await expect(
      verify(signed({ timestamp: NOW_SECONDS - 30 }), { toleranceSeconds: 30 }),
    ).resolves.toBeDefined();
    await expectInvalid(verify(signed({ timestamp: NOW_SECONDS - 31 }), { toleranceSeconds: 30 }));
    await expectInvalid(verify(signed({ timestamp: NOW_SECONDS + 31 }), { toleranceSeconds: 30 }));
  });

  it('rejects a replayed nonce', async () => {
    const nonceStore = new MemoryNonceStore({ now });
    const headers = signed();
    await expect(verify(headers, { nonceStore })).resolves.toBeDefined();
    await expectInvalid(verify(headers, { nonceStore }));
  });

  it('replay protection is on by default (process-wide store)', async () => {
    const headers = signWebhook({ secret: SECRET, body: BODY, deliveryId: 'dlv_default' });
    const input = { headers, rawBody: BODY, secrets: [SECRET] };
    await expect(verifyWebhook(input)).resolves.toBeDefined();
    await expectInvalid(verifyWebhook(input));
  });

  it('does not record the nonce of a request whose signature fails', async () => {
    const calls: string[] = [];
    const nonceStore: NonceStore = {
      checkAndStore: async (nonce) => {
        calls.push(nonce);
        return true;
      },
    };
    await expectInvalid(verify(signed({ secret: generateSigningSecret() }), { nonceStore }));
    expect(calls).toEqual([]);
    // …so the genuine request carrying that nonce still gets through.
    const store = new MemoryNonceStore({ now });
    await expectInvalid(
      verify(signed({ nonce: 'shared-nonce-1', secret: generateSigningSecret() }), { nonceStore: store }),
    );
    await expect(verify(signed({ nonce: 'shared-nonce-1' }), { nonceStore: store })).resolves.toBeDefined();
  });

  it('records the nonce until the timestamp leaves the tolerance window', async () => {
    let expiry: number | undefined;
    const nonceStore: NonceStore = {
      checkAndStore: async (_nonce, expiresAtSeconds) => {
        expiry = expiresAtSeconds;
        return true;
      },
    };
    await verify(signed({ timestamp: NOW_SECONDS - 10 }), { nonceStore });
    expect(expiry).toBe(NOW_SECONDS - 10 + 300);
  });

  describe('secret rotation', () => {
    const OLD = generateSigningSecret();
    const NEW = generateSigningSecret();

    it('accepts a signature made with the previous secret while it is still listed', async () => {
      await expect(verify(signed({ secret: OLD }), { secrets: [NEW, OLD] })).resolves.toBeDefined();
    });

    it('accepts the new secret', async () => {
      await expect(verify(signed({ secret: NEW }), { secrets: [NEW, OLD] })).resolves.toBeDefined();
    });

    it('rejects the old secret once it is removed', async () => {
      await expectInvalid(verify(signed({ secret: OLD }), { secrets: [NEW] }));
    });

    it('refuses to run without any secret', async () => {
      await expect(verify(signed(), { secrets: [] })).rejects.toThrow(/secret/);
    });
  });
});

describe('MemoryNonceStore', () => {
  it('forgets expired nonces', async () => {
    let t = NOW_SECONDS * 1000;
    const store = new MemoryNonceStore({ now: () => t });
    expect(await store.checkAndStore('n1', NOW_SECONDS + 10)).toBe(true);
    expect(await store.checkAndStore('n1', NOW_SECONDS + 10)).toBe(false);
    t += 11_000;
    expect(await store.checkAndStore('n1', NOW_SECONDS + 400)).toBe(true);
  });

  it('stays within its bound, sweeping expired entries first', async () => {
    let t = NOW_SECONDS * 1000;
    const store = new MemoryNonceStore({ maxEntries: 3, now: () => t });
    await store.checkAndStore('short-lived', NOW_SECONDS + 1);
    await store.checkAndStore('a', NOW_SECONDS + 100);
    await store.checkAndStore('b', NOW_SECONDS + 100);
    t += 5_000;
    await store.checkAndStore('c', NOW_SECONDS + 100);
    expect(store.size).toBe(3);
    // The expired entry was swept, so the live ones are all still remembered.
    expect(await store.checkAndStore('a', NOW_SECONDS + 100)).toBe(false);
    expect(await store.checkAndStore('b', NOW_SECONDS + 100)).toBe(false);
    expect(await store.checkAndStore('c', NOW_SECONDS + 100)).toBe(false);
    // Full of live entries: the oldest is evicted.
    await store.checkAndStore('d', NOW_SECONDS + 100);
    expect(store.size).toBe(3);
    expect(await store.checkAndStore('a', NOW_SECONDS + 100)).toBe(true);
  });
});
