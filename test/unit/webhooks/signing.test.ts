import { spawnSync } from 'node:child_process';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { generateSigningSecret, signWebhook } from '../../../lib/webhooks/signing.ts';

/**
 * Known-answer vectors computed with openssl, independently of the project's code. The secret is
 * 'whsec_' + base64('0123456789abcdef0123456789abcdef').
 */
const SECRET = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

const WEBRISKOPS_VECTORS: Array<{
  command: string;
  timestamp: number;
  nonce: string;
  body: string;
  hex: string;
}> = [
  {
    // printf '%s' '1700000000.nonce123.{"a":1}' \
    //   | openssl dgst -sha256 -hmac 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY='
    command: 'ascii body',
    timestamp: 1700000000,
    nonce: 'nonce123',
    body: '{"a":1}',
    hex: 'ac4386b22f1ac682fa7533c97c3a561810412358b9927889e6d9c7a8e393f2c7',
  },
  {
    // printf '%s' '1712345678.abcDEF_-12345678.' \
    //   | openssl dgst -sha256 -hmac 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY='
    command: 'empty body',
    timestamp: 1712345678,
    nonce: 'abcDEF_-12345678',
    body: '',
    hex: 'a0410420cb0eff1de2264030493cb7d9ee90ddf5cd5de3cce06cb6024333a785',
  },
  {
    // printf '%s' '1700000000.nonce12345.{"name":"Café ✓"}' \
    //   | openssl dgst -sha256 -hmac 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY='
    // (run from a UTF-8 shell, so the body bytes are UTF-8)
    command: 'UTF-8 body',
    timestamp: 1700000000,
    nonce: 'nonce12345',
    body: '{"name":"Caf\u00e9 \u2713"}',
    hex: 'a21e25bf9fbf840e24af47d655b6c9d4cd9dcd6b2c93305a495f923cb20fabf5',
  },
];

describe('signWebhook: X-WebRiskOps-Signature known answers', () => {
  it.each(WEBRISKOPS_VECTORS)('$command', ({ timestamp, nonce, body, hex }) => {
    const headers = signWebhook({ secret: SECRET, body, timestamp, nonce, deliveryId: 'dlv_123' });
    expect(headers['X-WebRiskOps-Signature']).toBe(`sha256=${hex}`);
    expect(headers['X-WebRiskOps-Timestamp']).toBe(String(timestamp));
    expect(headers['X-WebRiskOps-Nonce']).toBe(nonce);
  });
});

describe('signWebhook: Standard Webhooks header', () => {
  it('matches an openssl known answer (key = base64-decoded part after whsec_)', () => {
    // printf '%s' 'dlv_123.1700000000.{"a":1}' | openssl dgst -sha256 -mac HMAC \
    //   -macopt hexkey:$(printf '%s' '0123456789abcdef0123456789abcdef' | xxd -p -c 64) -binary | base64
    const headers = signWebhook({
      secret: SECRET,
      body: '{"a":1}',
      timestamp: 1700000000,
      nonce: 'nonce123',
      deliveryId: 'dlv_123',
    });
    expect(headers['webhook-signature']).toBe('v1,uYH3hZ99fwA7hUVl0I89XrjEG3vKk1yCOr8M0GMbSGg=');
    expect(headers['webhook-id']).toBe('dlv_123');
    expect(headers['webhook-timestamp']).toBe('1700000000');
  });

  it('matches the Standard Webhooks specification example', () => {
    // Vector from the Standard Webhooks spec; re-checked with:
    // printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}' | openssl dgst -sha256 \
    //   -mac HMAC -macopt hexkey:$(printf '%s' 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' | base64 -d | xxd -p -c 64) \
    //   -binary | base64
    const headers = signWebhook({
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      body: '{"test": 2432232314}',
      timestamp: 1614265330,
      deliveryId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
    });
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies with the standardwebhooks library', () => {
    const secret = generateSigningSecret();
    const body = JSON.stringify({ event: 'ticket_export.exported', id: 'exp_1', title: 'Caf\u00e9' });
    const headers = signWebhook({ secret, body, deliveryId: 'dlv_abc' });
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(generateSigningSecret()).verify(body, headers)).toThrow();
  });
});

describe('signWebhook: a rotation grace window', () => {
  it('signs webhook-signature with every secret (space-separated), X-WebRiskOps-Signature with the chosen one', () => {
    const [chosen, other, stranger] = [
      generateSigningSecret(),
      generateSigningSecret(),
      generateSigningSecret(),
    ];
    const body = '{"type":"ticket_export"}';
    const headers = signWebhook({ secret: chosen, alsoSignStandardWith: [other], body, deliveryId: 'dlv_1' });
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    const std = {
      'webhook-id': headers['webhook-id'] as string,
      'webhook-timestamp': headers['webhook-timestamp'] as string,
      'webhook-signature': headers['webhook-signature'] as string,
    };
    expect(() => new Webhook(chosen).verify(body, std)).not.toThrow();
    expect(() => new Webhook(other).verify(body, std)).not.toThrow();
    expect(() => new Webhook(stranger).verify(body, std)).toThrow();
    const alone = signWebhook({
      secret: chosen,
      body,
      deliveryId: 'dlv_1',
      timestamp: Number(headers['X-WebRiskOps-Timestamp']),
      nonce: headers['X-WebRiskOps-Nonce'],
    });
    expect(headers['X-WebRiskOps-Signature']).toBe(alone['X-WebRiskOps-Signature']);
  });
});

describe('signWebhook: headers', () => {
  it('sets every documented header, with the delivery id as idempotency key', () => {
    const headers = signWebhook({ secret: SECRET, body: '{}', deliveryId: 'dlv_42' });
    expect(Object.keys(headers).sort()).toEqual(
      [
        'Content-Type',
        'Idempotency-Key',
        'X-WebRiskOps-Delivery-Id',
        'X-WebRiskOps-Nonce',
        'X-WebRiskOps-Signature',
        'X-WebRiskOps-Timestamp',
        'webhook-id',
        'webhook-signature',
        'webhook-timestamp',
      ].sort(),
    );
    expect(headers['Content-Type']).toBe('application/json');
    expect(headers['Idempotency-Key']).toBe('dlv_42');
    expect(headers['X-WebRiskOps-Delivery-Id']).toBe('dlv_42');
    expect(headers['X-WebRiskOps-Signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(Math.abs(Number(headers['X-WebRiskOps-Timestamp']) - Date.now() / 1000)).toBeLessThan(5);
  });

  it('uses a fresh random nonce per attempt but keeps the delivery id', () => {
    const a = signWebhook({ secret: SECRET, body: '{}', deliveryId: 'dlv_1' });
    const b = signWebhook({ secret: SECRET, body: '{}', deliveryId: 'dlv_1' });
    expect(a['X-WebRiskOps-Nonce']).toMatch(/^[0-9a-f]{32}$/);
    expect(a['X-WebRiskOps-Nonce']).not.toBe(b['X-WebRiskOps-Nonce']);
    expect(a['Idempotency-Key']).toBe(b['Idempotency-Key']);
  });

  it('refuses nonces that would make the signed message ambiguous', () => {
    expect(() => signWebhook({ secret: SECRET, body: '{}', nonce: 'abc.defgh', deliveryId: 'd' })).toThrow();
  });
});

describe('generateSigningSecret', () => {
  it('returns whsec_ + base64 of 32 random bytes', () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateSigningSecret()).not.toBe(secret);
  });
});

// The exact snippet from docs/automation-code-examples.txt, wrapped so inputs come from the environment
// and the body from stdin.
const PHP_SNIPPET = `$expected = 'sha256='.hash_hmac('sha256', $timestamp.'.'.$nonce.'.'.$body, getenv('WEBRISKOPS_WEBHOOK_SECRET'));
if (! hash_equals($expected, $receivedSignature)) {
throw new RuntimeException('Invalid example webhook signature.');
}`;
const PHP_PROGRAM = [
  "$timestamp = getenv('TS');",
  "$nonce = getenv('NONCE');",
  "$receivedSignature = getenv('SIG');",
  "$body = file_get_contents('php://stdin');",
  PHP_SNIPPET,
  "echo 'verified';",
].join('\n');

const hasPhp = spawnSync('php', ['-v'], { stdio: 'ignore' }).status === 0;

describe('documented PHP verification snippet', () => {
  function runPhp(headers: Record<string, string>, body: string, secret: string) {
    return spawnSync('php', ['-r', PHP_PROGRAM], {
      input: body,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        WEBRISKOPS_WEBHOOK_SECRET: secret,
        TS: headers['X-WebRiskOps-Timestamp'],
        NONCE: headers['X-WebRiskOps-Nonce'],
        SIG: headers['X-WebRiskOps-Signature'],
      },
    });
  }

  it.skipIf(!hasPhp)(
    'accepts our signature and rejects a tampered body (skipped: php is not installed here)',
    () => {
      const secret = generateSigningSecret();
      const body = JSON.stringify({ event: 'ticket_export.exported', title: 'Caf\u00e9 \u2713' });
      const headers = signWebhook({ secret, body, deliveryId: 'dlv_php' });
      const ok = runPhp(headers, body, secret);
      expect(ok.status).toBe(0);
      expect(ok.stdout).toBe('verified');
      const tampered = runPhp(headers, body.replace('Caf', 'Kaf'), secret);
      expect(tampered.status).not.toBe(0);
    },
  );
});
