/**
 * What is left of an invocation (Lambda's `context.getRemainingTimeInMillis`), handed to work that
 * can stop in time and be retried: the dispatcher and its long reactions.
 */
export interface Deadline {
  remainingMs(): number;
}

/** No deadline: the local stack's workers, which no timeout stops. */
export const NO_DEADLINE: Deadline = { remainingMs: () => Number.POSITIVE_INFINITY };
