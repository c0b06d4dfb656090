/**
 * Whether a target's deliveries keep failing (docs/ticket-exports.md, "Disable"). A failing streak
 * starts with a failed attempt; later failures carry it on while they keep arriving (no gap longer
 * than `maxGapMs`, twice the longest retry delay, since a down receiver with work pending is tried at
 * least that often); a success ends it. A failure `disableAfterSeconds` into a streak disables the
 * target (`receiver_failing`). Pure: the worker writes the change with the attempt's outcome, and
 * writes the streak's latest failure at most once per `markIntervalMs`, so a busy target is not
 * rewritten by every attempt.
 */
export type TargetHealthChange =
  | { kind: 'none' }
  /** A new streak starts now (nothing was failing, or the last failure was too long ago). */
  | { kind: 'failing_since'; atMs: number }
  /** The streak goes on; its latest failure is now. */
  | { kind: 'still_failing'; atMs: number }
  | { kind: 'recovered' }
  | { kind: 'disable' };

/** `failure`: the receiver did not take the delivery (5xx, 429, 408, 425, a timeout, no connection). */
export type AttemptResult = 'success' | 'failure';

export const MARK_INTERVAL_MS = 3_600_000;

export function targetHealthChange(
  target: { failing_since_ms?: number; failing_last_ms?: number },
  result: AttemptResult,
  nowMs: number,
  rule: { disableAfterSeconds: number; maxGapMs: number; markIntervalMs?: number },
): TargetHealthChange {
  const since = target.failing_since_ms;
  if (result === 'success') return since === undefined ? { kind: 'none' } : { kind: 'recovered' };
  const last = target.failing_last_ms ?? since;
  if (since === undefined || last === undefined || nowMs - last > rule.maxGapMs) {
    return { kind: 'failing_since', atMs: nowMs };
  }
  if (nowMs - since >= rule.disableAfterSeconds * 1000) return { kind: 'disable' };
  return nowMs - last >= (rule.markIntervalMs ?? MARK_INTERVAL_MS)
    ? { kind: 'still_failing', atMs: nowMs }
    : { kind: 'none' };
}
