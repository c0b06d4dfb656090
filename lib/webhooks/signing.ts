import { createHmac, randomBytes } from 'node:crypto';

/**
 * Outbound webhook signing (docs/ticket-exports.md, "The request"). Each request carries two signatures over the same body:
 *
 *  - WebRiskOps scheme, the one the docs' PHP snippet verifies:
 *      X-WebRiskOps-Signature: sha256=<hex HMAC-SHA256(key = secret string as UTF-8,
 *                                      message = timestamp + "." + nonce + "." + raw body)>
 *    The key is the WHOLE secret string including its `whsec_` prefix, because that is what
 *    `hash_hmac('sha256', …, getenv('WEBRISKOPS_WEBHOOK_SECRET'))` uses.
 *  - Standard Webhooks (webhook-id / webhook-timestamp / webhook-signature: v1,<base64>), keyed with
 *    the base64-decoded part after `whsec_`, so off-the-shelf Standard Webhooks libraries verify too.
 */

export const SECRET_PREFIX = 'whsec_';

/** Nonces are URL-safe tokens without dots, so "timestamp.nonce.body" splits only one way. */
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export interface SignWebhookInput {
  /** The target's signing secret, `whsec_` + base64 (see generateSigningSecret). */
  secret: string;
  /** The exact bytes that will be sent as the request body. */
  body: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
  /** Unique per attempt; defaults to 32 random hex characters. */
  nonce?: string;
  /** Stays the same across retries of one delivery, so receivers can dedupe. */
  deliveryId: string;
  /**
   * More secrets to sign `webhook-signature` with (space-separated, as Standard Webhooks allows):
   * during a rotation's grace window, the other one of the current and the previous secret.
   */
  alsoSignStandardWith?: readonly string[];
}

/** `whsec_` + base64 of 32 random bytes: the secret form Standard Webhooks libraries accept. */
export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** `sha256=<lowercase hex>` over `timestamp.nonce.body`, keyed with the secret string's UTF-8 bytes. */
export function computeWebRiskOpsSignature(
  secret: string,
  timestamp: number | string,
  nonce: string,
  body: string | Buffer,
): string {
  const hmac = createHmac('sha256', Buffer.from(secret, 'utf8'));
  hmac.update(`${timestamp}.${nonce}.`, 'utf8');
  hmac.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return `sha256=${hmac.digest('hex')}`;
}

/** Standard Webhooks key: base64 decoding of the secret after its `whsec_` prefix. */
export function standardWebhooksKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('The signing secret has no key material.');
  return key;
}

/**
 * `v1,<base64 HMAC-SHA256(id.timestamp.body)>` as defined by Standard Webhooks: the signature of
 * outbound deliveries, and the one a ticket system's callback is checked with (lib/webhooks/callback-signature.ts).
 */
export function computeStandardWebhooksSignature(
  secret: string,
  id: string,
  timestamp: number,
  body: string | Buffer,
): string {
  const mac = createHmac('sha256', standardWebhooksKey(secret))
    .update(`${id}.${timestamp}.`, 'utf8')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('base64');
  return `v1,${mac}`;
}

/** All headers of one signed delivery attempt. */
export function signWebhook(input: SignWebhookInput): Record<string, string> {
  const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new Error('timestamp must be unix seconds.');
  const nonce = input.nonce ?? randomBytes(16).toString('hex');
  if (!NONCE_PATTERN.test(nonce)) throw new Error('nonce must match ' + NONCE_PATTERN.source);
  if (input.deliveryId.length === 0 || /[\r\n]/.test(input.deliveryId)) throw new Error('invalid deliveryId');

  return {
    'Content-Type': 'application/json',
    'X-WebRiskOps-Timestamp': String(timestamp),
    'X-WebRiskOps-Nonce': nonce,
    'X-WebRiskOps-Signature': computeWebRiskOpsSignature(input.secret, timestamp, nonce, input.body),
    'X-WebRiskOps-Delivery-Id': input.deliveryId,
    'Idempotency-Key': input.deliveryId,
    'webhook-id': input.deliveryId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': [input.secret, ...(input.alsoSignStandardWith ?? [])]
      .map((secret) => computeStandardWebhooksSignature(secret, input.deliveryId, timestamp, input.body))
      .join(' '),
  };
}
