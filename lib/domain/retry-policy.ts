/**
 * When to try a webhook delivery again (docs/ticket-exports.md, "Outcomes and retries").
 *
 * - Exponential backoff with full jitter: attempt n (1-based, the attempt that just failed) waits a
 *   uniformly random whole number of seconds in [1, min(max, base × 2^(n-1))].
 * - A receiver's `Retry-After` (delta seconds or an HTTP-date) replaces the backoff for that retry,
 *   clamped to 1 s … 12 h (12 h is also SQS's largest visibility timeout).
 */
export const MIN_RETRY_DELAY_SECONDS = 1;
export const MAX_RETRY_DELAY_SECONDS = 12 * 3600;

export interface BackoffConfig {
  baseDelaySeconds: number;
  maxDelaySeconds: number;
}

export function clampDelay(seconds: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.max(MIN_RETRY_DELAY_SECONDS, Math.ceil(seconds)));
}

export function backoffDelaySeconds(
  attempt: number,
  cfg: BackoffConfig,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 40);
  const cap = Math.min(cfg.maxDelaySeconds, cfg.baseDelaySeconds * 2 ** exponent);
  return clampDelay(Math.min(cap, Math.floor(random() * cap) + 1));
}

/**
 * Seconds to wait according to a Retry-After header value, or undefined when it is absent or not one
 * of the two forms RFC 9110 allows. A date in the past gives the minimum delay.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  const raw = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (/^\d{1,10}$/.test(text)) return clampDelay(Number(text));
  // HTTP-date (IMF-fixdate, plus the obsolete RFC 850 / asctime forms Date.parse understands).
  if (!/^[A-Za-z]{3},? /.test(text) && !/^[A-Za-z]+, \d/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return clampDelay((at - nowMs) / 1000);
}

/** The delay before the next attempt: Retry-After when the receiver sent one, else the backoff. */
export function nextRetryDelaySeconds(
  attempt: number,
  cfg: BackoffConfig,
  retryAfterHeader: string | string[] | undefined,
  opts: { nowMs?: number; random?: () => number } = {},
): { delaySeconds: number; source: 'retry_after' | 'backoff' } {
  const fromHeader = parseRetryAfter(retryAfterHeader, opts.nowMs);
  if (fromHeader !== undefined) return { delaySeconds: fromHeader, source: 'retry_after' };
  return { delaySeconds: backoffDelaySeconds(attempt, cfg, opts.random), source: 'backoff' };
}
