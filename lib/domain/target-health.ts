/**
 * Whether a target's deliveries keep failing (docs/ticket-exports.md, "Disable"): a streak
 * starts with the first failed attempt after a success, ends with the next success, and a target whose
 * streak lasted `disableAfterSeconds` is disabled (`receiver_failing`). Pure: the worker writes the
 * change with the attempt's outcome.
 */
export type TargetHealthChange =
  | { kind: 'none' }
  | { kind: 'failing_since'; atMs: number }
  | { kind: 'recovered' }
  | { kind: 'disable' };

/** `failure`: the receiver did not take the delivery (an error answer, a timeout, no connection). */
export type AttemptResult = 'success' | 'failure';

export function targetHealthChange(
  target: { failing_since_ms?: number },
  result: AttemptResult,
  nowMs: number,
  disableAfterSeconds: number,
): TargetHealthChange {
  const since = target.failing_since_ms;
  if (result === 'success') return since === undefined ? { kind: 'none' } : { kind: 'recovered' };
  if (since === undefined) return { kind: 'failing_since', atMs: nowMs };
  return nowMs - since >= disableAfterSeconds * 1000 ? { kind: 'disable' } : { kind: 'none' };
}
