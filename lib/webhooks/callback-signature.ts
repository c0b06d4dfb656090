import { constantTimeEqual } from '../auth/constant-time.ts';
import { SignatureInvalidError } from '../errors.ts';
import { computeStandardWebhooksSignature } from './signing.ts';

/**
 * Inbound Standard Webhooks verification: a ticket system's callback to WebRiskOps, signed with the
 * target's signing secret (docs/ticket-exports.md, "Ticket system callbacks"). The signature is the one
 * outbound deliveries carry (`computeStandardWebhooksSignature`, lib/webhooks/signing.ts): `v1,` +
 * base64 HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<raw body>`, keyed with the base64-decoded
 * part of the secret after `whsec_`.
 *
 * Every failure is the same SignatureInvalidError (401 SIGNATURE_INVALID) with the same message: the
 * answer never says which part failed, nor whether the target exists.
 */

/** How far `webhook-timestamp` may be from the server's clock, either way (Standard Webhooks: 5 minutes). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** What a `webhook-id` may be: 1-255 printable ASCII characters without spaces (it is the replay key). */
export const WEBHOOK_ID_PATTERN = /^[\x21-\x7e]{1,255}$/;

const TIMESTAMP_PATTERN = /^\d{1,12}$/;
/** `webhook-signature` lists at most this many signatures (several secrets during a rotation). */
const MAX_SIGNATURES = 10;

export interface SignatureHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

export interface VerifyCallbackInput {
  /** `webhook-id`, `webhook-timestamp` and `webhook-signature`, as received. */
  headers: SignatureHeaders;
  /** The body's bytes as signed (before JSON parsing). */
  rawBody: Buffer | string;
  /**
   * The accepted secrets, loaded only once the headers are well-formed and the timestamp is fresh (a
   * request that fails those costs no read). It rejects with SignatureInvalidError when there are none
   * (no such target).
   */
  secrets: () => Promise<readonly string[]>;
  /** The server's clock, in milliseconds. */
  nowMs: number;
  toleranceSeconds?: number;
}

export interface VerifiedCallback {
  id: string;
  timestamp: number;
}

const invalid = (): never => {
  throw new SignatureInvalidError();
};

/** The `v1` signatures of a `webhook-signature` header (space-separated; other versions are ignored). */
function v1Signatures(header: string): string[] | undefined {
  const entries = header.split(' ').filter((e) => e !== '');
  if (entries.length === 0 || entries.length > MAX_SIGNATURES) return undefined;
  return entries.filter((e) => e.startsWith('v1,'));
}

export async function verifyCallbackSignature(input: VerifyCallbackInput): Promise<VerifiedCallback> {
  const { id, timestamp: timestampHeader, signature } = input.headers;
  if (!id || !timestampHeader || !signature) return invalid();
  if (!WEBHOOK_ID_PATTERN.test(id) || !TIMESTAMP_PATTERN.test(timestampHeader)) return invalid();
  const presented = v1Signatures(signature);
  if (!presented?.length) return invalid();
  const timestamp = Number(timestampHeader);
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(Math.floor(input.nowMs / 1000) - timestamp) > tolerance) return invalid();

  const secrets = await input.secrets();
  // Every presented signature against every accepted secret, with no early exit, so timing does not
  // reveal which secret (or which of the listed signatures) matched.
  let matched = false;
  for (const secret of secrets) {
    const expected = computeStandardWebhooksSignature(secret, id, timestamp, input.rawBody);
    for (const candidate of presented) if (constantTimeEqual(expected, candidate)) matched = true;
  }
  if (!matched) return invalid();
  return { id, timestamp };
}
