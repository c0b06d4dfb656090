/**
 * When to try a webhook delivery again (docs/ticket-exports.md, "Outcomes and retries").
 *
 * - Exponential backoff with bounded jitter: after attempt n (1-based, the attempt that just failed)
 *   the scheduled delay is d = min(max, base × 2^(n-1)), shortened by a random 0–20 % (whole
 *   seconds). The jitter spreads the retries of many exports, and because no delay is shorter than
 *   80 % of its schedule, the whole retry window keeps at least 80 % of its nominal length (full
 *   jitter, which draws from [1, d], averaged half and could collapse it to minutes).
 * - A receiver's `Retry-After` (delta seconds or an HTTP-date) never shortens the wait: the delay is
 *   max(backoff, Retry-After), clamped to 1 s … 12 h (12 h is also SQS's largest visibility timeout).
 */
export const MIN_RETRY_DELAY_SECONDS = 1;
export const MAX_RETRY_DELAY_SECONDS = 12 * 3600;

export interface BackoffConfig {
  baseDelaySeconds: number;
  maxDelaySeconds: number;
}

/** The share of a scheduled delay the jitter may take off. */
export const JITTER_FRACTION = 0.2;

export function clampDelay(seconds: number): number {
  return Math.min(MAX_RETRY_DELAY_SECONDS, Math.max(MIN_RETRY_DELAY_SECONDS, Math.ceil(seconds)));
}

export function backoffDelaySeconds(
  attempt: number,
  cfg: BackoffConfig,
  random: () => number = Math.random,
): number {
  const scheduled = scheduledDelaySeconds(attempt, cfg);
  return clampDelay(scheduled - Math.floor(random() * JITTER_FRACTION * scheduled));
}

/** The nominal delay after attempt n, before jitter: min(max, base × 2^(n-1)), at most 12 h. */
export function scheduledDelaySeconds(attempt: number, cfg: BackoffConfig): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 40);
  return clampDelay(Math.min(cfg.maxDelaySeconds, cfg.baseDelaySeconds * 2 ** exponent));
}

/**
 * How long the retries of one round can last: from the first attempt to the last one, the sum of the
 * delays after attempts 1 … maxAttempts − 1, at their shortest (jitter at its largest) and longest.
 * Retry-After answers only lengthen it.
 */
export function retryWindowSeconds(cfg: BackoffConfig & { maxAttempts: number }): {
  min: number;
  max: number;
} {
  let min = 0;
  let max = 0;
  for (let attempt = 1; attempt < cfg.maxAttempts; attempt++) {
    min += backoffDelaySeconds(attempt, cfg, () => 1 - Number.EPSILON);
    max += backoffDelaySeconds(attempt, cfg, () => 0);
  }
  return { min, max };
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

/** The delay before the next attempt: the backoff, or the receiver's Retry-After when that is longer. */
export function nextRetryDelaySeconds(
  attempt: number,
  cfg: BackoffConfig,
  retryAfterHeader: string | string[] | undefined,
  opts: { nowMs?: number; random?: () => number } = {},
): { delaySeconds: number; source: 'retry_after' | 'backoff' } {
  const backoff = backoffDelaySeconds(attempt, cfg, opts.random);
  const fromHeader = parseRetryAfter(retryAfterHeader, opts.nowMs);
  if (fromHeader !== undefined && fromHeader > backoff)
    return { delaySeconds: fromHeader, source: 'retry_after' };
  return { delaySeconds: backoff, source: 'backoff' };
}
