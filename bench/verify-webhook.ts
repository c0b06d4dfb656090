import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { generateSigningSecret, signWebhook } from '../lib/webhooks/signing.ts';
import { MemoryNonceStore, verifyWebhook } from '../lib/webhooks/verify.ts';
import { ratio, round } from './lib/stats.ts';

/**
 * verifyWebhook (constant-time compare, timestamp tolerance, nonce replay store) against the
 * `standardwebhooks` package verifying a message of the same size, in the same process, alternating
 * rounds so machine noise hits both alike.
 */
export async function benchVerifyWebhook(opts: { messages: number; bodyBytes: number; rounds: number }) {
  const secret = generateSigningSecret();
  const body = JSON.stringify({
    data: randomBytes(Math.ceil(opts.bodyBytes * 0.74)).toString('base64'),
  }).slice(0, opts.bodyBytes);
  const wh = new Webhook(secret);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round_ = 0; round_ < opts.rounds; round_++) {
    const signed = Array.from({ length: opts.messages }, (_, i) =>
      signWebhook({ secret, body, deliveryId: `dlv_${round_}_${i}` }),
    );
    const store = new MemoryNonceStore();
    let t = performance.now();
    for (const headers of signed)
      await verifyWebhook({ headers, rawBody: body, secrets: [secret], nonceStore: store });
    ours.push(opts.messages / ((performance.now() - t) / 1000));
    t = performance.now();
    for (const headers of signed) wh.verify(body, headers);
    theirs.push(opts.messages / ((performance.now() - t) / 1000));
  }
  const best = (xs: number[]) => Math.max(...xs);
  return {
    command: 'npm run bench',
    body_bytes: body.length,
    messages_per_round: opts.messages,
    rounds: opts.rounds,
    verifyWebhook_ops_per_s: round(best(ours), 0),
    standardwebhooks_ops_per_s: round(best(theirs), 0),
    ratio_vs_standardwebhooks: ratio(best(ours), best(theirs)),
  };
}
