import { timingSafeEqual } from 'node:crypto';
import { WebhookSignatureInvalidError } from '../errors.ts';
import { computeWebRiskOpsSignature, NONCE_PATTERN } from './signing.ts';

/**
 * Receiver-side verification of X-WebRiskOps-Signature (docs/ticket-exports.md, "Verifying it"): constant-time comparison,
 * timestamp tolerance in both directions, nonce replay protection and several secrets during rotation.
 * Every failure is a WebhookSignatureInvalidError (401 WEBHOOK_SIGNATURE_INVALID).
 */

export interface NonceStore {
  /** Records the nonce until expiresAtSeconds; false when it was already recorded (a replay). */
  checkAndStore(nonce: string, expiresAtSeconds: number): Promise<boolean>;
}

/**
 * In-process nonce store. Bounded: expired entries are swept when the store fills up, and if it is
 * still full the oldest entries are dropped (they are the closest to expiring anyway).
 * For several receiver processes use a shared store (e.g. a DynamoDB conditional put).
 */
export class MemoryNonceStore implements NonceStore {
  private readonly seen = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  /** `now` returns milliseconds like Date.now; give it the same clock as verifyWebhook. */
  constructor(opts: { maxEntries?: number; now?: () => number } = {}) {
    this.maxEntries = opts.maxEntries ?? 100_000;
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.seen.size;
  }

  async checkAndStore(nonce: string, expiresAtSeconds: number): Promise<boolean> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const expiresAt = this.seen.get(nonce);
    if (expiresAt !== undefined && expiresAt >= nowSeconds) return false;
    this.seen.delete(nonce); // re-insert so Map order stays oldest-first
    if (this.seen.size >= this.maxEntries) this.evict(nowSeconds);
    this.seen.set(nonce, expiresAtSeconds);
    return true;
  }

  private evict(nowSeconds: number): void {
    for (const [nonce, expiresAt] of this.seen) {
      if (expiresAt < nowSeconds) this.seen.delete(nonce);
    }
    for (const nonce of this.seen.keys()) {
      if (this.seen.size < this.maxEntries) break;
      this.seen.delete(nonce);
    }
  }
}

/** Used when the caller gives no store, so replay protection is on by default (per process). */
const defaultNonceStore = new MemoryNonceStore();

export interface VerifyWebhookInput {
  /** Request headers; names are matched case-insensitively. */
  headers: Record<string, string | string[] | undefined>;
  /** The raw request body exactly as received (before any JSON parsing). */
  rawBody: string | Buffer;
  /** Accepted signing secrets: the current one, plus the previous one while rotating. */
  secrets: string[];
  /** Allowed clock difference in seconds, in both directions. Default 300. */
  toleranceSeconds?: number;
  /** Defaults to a process-wide MemoryNonceStore. */
  nonceStore?: NonceStore;
  /** Current time in milliseconds (like Date.now). */
  now?: () => number;
}

export interface VerifiedWebhook {
  timestamp: number;
  nonce: string;
  deliveryId?: string;
}

const SIGNATURE_PATTERN = /^sha256=([0-9a-fA-F]{64})$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

function header(headers: VerifyWebhookInput['headers'], name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    // A repeated header is ambiguous; refuse rather than guess which copy was signed.
    if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
    return value;
  }
  return undefined;
}

function invalid(message: string): never {
  throw new WebhookSignatureInvalidError(message);
}

export async function verifyWebhook(input: VerifyWebhookInput): Promise<VerifiedWebhook> {
  if (input.secrets.length === 0 || input.secrets.some((s) => s.length === 0)) {
    throw new Error('verifyWebhook needs at least one non-empty secret.');
  }
  const tolerance = input.toleranceSeconds ?? 300;
  const now = input.now ?? Date.now;

  const signatureHeader = header(input.headers, 'x-webriskops-signature');
  const timestampHeader = header(input.headers, 'x-webriskops-timestamp');
  const nonce = header(input.headers, 'x-webriskops-nonce');
  const deliveryId = header(input.headers, 'x-webriskops-delivery-id');
  if (!signatureHeader || !timestampHeader || !nonce) invalid('A webhook signature header is missing.');

  const match = SIGNATURE_PATTERN.exec(signatureHeader);
  if (!match) invalid('The webhook signature is malformed.');
  if (!TIMESTAMP_PATTERN.test(timestampHeader)) invalid('The webhook timestamp is malformed.');
  if (!NONCE_PATTERN.test(nonce)) invalid('The webhook nonce is malformed.');

  const timestamp = Number(timestampHeader);
  const nowSeconds = Math.floor(now() / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance)
    invalid('The webhook timestamp is outside the tolerance.');

  // Compare raw 32-byte digests (equal length by construction). Every secret is tried, with no early
  // exit, so timing does not reveal which secret matched.
  const received = Buffer.from(match[1]!, 'hex');
  let matched = false;
  for (const secret of input.secrets) {
    const expected = Buffer.from(
      computeWebRiskOpsSignature(secret, timestampHeader, nonce, input.rawBody).slice('sha256='.length),
      'hex',
    );
    if (timingSafeEqual(expected, received)) matched = true;
  }
  if (!matched) invalid('The webhook signature does not match.');

  // Only a verified request may consume its nonce, so forged requests cannot burn real nonces.
  // The nonce must be remembered for as long as its timestamp would still be accepted.
  const fresh = await (input.nonceStore ?? defaultNonceStore).checkAndStore(nonce, timestamp + tolerance);
  if (!fresh) invalid('The webhook nonce was already used.');

  return deliveryId === undefined ? { timestamp, nonce } : { timestamp, nonce, deliveryId };
}
