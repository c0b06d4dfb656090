import { Webhook } from 'standardwebhooks';
import { describe, expect, it, vi } from 'vitest';
import { SignatureInvalidError } from '../../../lib/errors.ts';
import { type SignatureHeaders, verifyCallbackSignature } from '../../../lib/webhooks/callback-signature.ts';
import { computeStandardWebhooksSignature, generateSigningSecret } from '../../../lib/webhooks/signing.ts';

/**
 * The inbound Standard Webhooks check of a ticket system's callback (lib/webhooks/callback-signature.ts),
 * without DynamoDB: the accepted secrets are handed in. Which secrets a target accepts (current, and
 * previous inside its grace window) is tested with the target in test/unit/domain/target-callbacks.test.ts.
 */
const SECRET = generateSigningSecret();
const OTHER = generateSigningSecret();
const NOW_MS = 1_767_225_600_000;
const NOW = NOW_MS / 1000;
const BODY = '{"type":"risk.accepted","project_id":"prj_0123456789abcdef01234567","fingerprint":"fp-a-0001"}';

const sign = (secret: string, id = 'msg_1', timestamp = NOW, body: string = BODY) =>
  computeStandardWebhooksSignature(secret, id, timestamp, body);

const headers = (over: SignatureHeaders = {}): SignatureHeaders => ({
  id: 'msg_1',
  timestamp: String(NOW),
  signature: sign(SECRET),
  ...over,
});

function verify(
  h: SignatureHeaders,
  opts: { body?: string | Buffer; secrets?: string[]; nowMs?: number } = {},
) {
  const secrets = vi.fn(async () => opts.secrets ?? [SECRET]);
  const result = verifyCallbackSignature({
    headers: h,
    rawBody: opts.body ?? BODY,
    secrets,
    nowMs: opts.nowMs ?? NOW_MS,
  });
  return { result, secrets };
}

/** The outcome as a word: `ok`, or the error's code and message (always the same one). */
async function outcome(h: SignatureHeaders, opts: Parameters<typeof verify>[1] = {}) {
  try {
    await verify(h, opts).result;
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(SignatureInvalidError);
    expect((err as SignatureInvalidError).message).toBe('The request signature is not valid.');
    return (err as SignatureInvalidError).code;
  }
}

describe('verifyCallbackSignature', () => {
  it.each<[string, SignatureHeaders, Parameters<typeof verify>[1], string]>([
    ['a good signature', headers(), {}, 'ok'],
    ['a good signature over the same bytes as a Buffer', headers(), { body: Buffer.from(BODY) }, 'ok'],
    ['a signature with another secret', headers({ signature: sign(OTHER) }), {}, 'SIGNATURE_INVALID'],
    [
      'either accepted secret (rotation)',
      headers({ signature: sign(OTHER) }),
      { secrets: [SECRET, OTHER] },
      'ok',
    ],
    [
      'a tampered body',
      headers(),
      { body: BODY.replace('risk.accepted', 'ticket.closed') },
      'SIGNATURE_INVALID',
    ],
    ['a body with one more space', headers(), { body: `${BODY} ` }, 'SIGNATURE_INVALID'],
    ['a signature over another webhook-id', headers({ id: 'msg_2' }), {}, 'SIGNATURE_INVALID'],
    ['a signature over another timestamp', headers({ timestamp: String(NOW - 1) }), {}, 'SIGNATURE_INVALID'],
    [
      'a timestamp 5 minutes old (at the tolerance)',
      headers({ timestamp: String(NOW - 300), signature: sign(SECRET, 'msg_1', NOW - 300) }),
      {},
      'ok',
    ],
    [
      'a timestamp 5 minutes and 1 second old',
      headers({ timestamp: String(NOW - 301), signature: sign(SECRET, 'msg_1', NOW - 301) }),
      {},
      'SIGNATURE_INVALID',
    ],
    [
      'a timestamp 5 minutes and 1 second ahead',
      headers({ timestamp: String(NOW + 301), signature: sign(SECRET, 'msg_1', NOW + 301) }),
      {},
      'SIGNATURE_INVALID',
    ],
    ['no webhook-id', headers({ id: undefined }), {}, 'SIGNATURE_INVALID'],
    ['no webhook-timestamp', headers({ timestamp: undefined }), {}, 'SIGNATURE_INVALID'],
    ['no webhook-signature', headers({ signature: undefined }), {}, 'SIGNATURE_INVALID'],
    ['an empty webhook-signature', headers({ signature: '' }), {}, 'SIGNATURE_INVALID'],
    [
      'a timestamp that is not unix seconds',
      headers({ timestamp: '2026-01-01T00:00:00Z' }),
      {},
      'SIGNATURE_INVALID',
    ],
    [
      'a webhook-id with a space',
      headers({ id: 'msg 1', signature: sign(SECRET, 'msg 1') }),
      {},
      'SIGNATURE_INVALID',
    ],
    [
      'a webhook-id over 255 characters',
      headers({ id: 'm'.repeat(256), signature: sign(SECRET, 'm'.repeat(256)) }),
      {},
      'SIGNATURE_INVALID',
    ],
    [
      'the signature without its v1, prefix',
      headers({ signature: sign(SECRET).slice(3) }),
      {},
      'SIGNATURE_INVALID',
    ],
    [
      'the signature under another version',
      headers({ signature: `v1a,${sign(SECRET).slice(3)}` }),
      {},
      'SIGNATURE_INVALID',
    ],
    ['a truncated signature', headers({ signature: sign(SECRET).slice(0, -2) }), {}, 'SIGNATURE_INVALID'],
    [
      'several signatures, space-separated, one of them valid',
      headers({ signature: `${sign(OTHER)} v1a,xyz ${sign(SECRET)}` }),
      {},
      'ok',
    ],
    [
      'several signatures, none valid',
      headers({ signature: `${sign(OTHER)} v1,AAAA` }),
      {},
      'SIGNATURE_INVALID',
    ],
    [
      'more than 10 signatures, even with the valid one among them',
      headers({ signature: [...Array(10).fill('v1,AAAA'), sign(SECRET)].join(' ') }),
      {},
      'SIGNATURE_INVALID',
    ],
  ])('%s → %s', async (_, h, opts, expected) => {
    expect(await outcome(h, opts)).toBe(expected);
  });

  it('returns the verified webhook-id and timestamp', async () => {
    await expect(verify(headers()).result).resolves.toEqual({ id: 'msg_1', timestamp: NOW });
  });

  it('loads no secret for a request whose headers or timestamp already fail (no read for garbage)', async () => {
    for (const h of [headers({ signature: undefined }), headers({ timestamp: String(NOW - 3600) })]) {
      const { result, secrets } = verify(h);
      await expect(result).rejects.toBeInstanceOf(SignatureInvalidError);
      expect(secrets).not.toHaveBeenCalled();
    }
  });

  it("passes on the secrets loader's refusal (no such target) as it is", async () => {
    const refusal = new SignatureInvalidError();
    const result = verifyCallbackSignature({
      headers: headers(),
      rawBody: BODY,
      secrets: async () => {
        throw refusal;
      },
      nowMs: NOW_MS,
    });
    await expect(result).rejects.toBe(refusal);
  });

  it('accepts a request signed by the third-party standardwebhooks package with the target secret', async () => {
    const signer = new Webhook(SECRET);
    const signature = signer.sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', new Date(NOW_MS), BODY);
    const h = { id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestamp: String(NOW), signature };
    expect(await outcome(h)).toBe('ok');
    // And what that package refuses, this refuses: a signature of another secret.
    const foreign = new Webhook(OTHER).sign(h.id, new Date(NOW_MS), BODY);
    expect(await outcome({ ...h, signature: foreign })).toBe('SIGNATURE_INVALID');
  });
});
