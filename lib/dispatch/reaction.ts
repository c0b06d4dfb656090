import type { RuntimeWith } from '../runtime.ts';

/** What the dispatcher's reactions use: DynamoDB, SQS (enqueue deliveries) and S3 (artifact cleanup). */
export type DispatchRuntime = RuntimeWith<'sqs' | 's3'>;

/** A committed item change, as the DynamoDB stream reports it (already unmarshalled). */
export interface ItemChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: { pk: string; sk: string };
  oldImage?: Record<string, unknown>;
  newImage?: Record<string, unknown>;
}

/**
 * A side effect driven from a committed change (docs/platform.md and docs/ticket-exports.md). Reactions run at least once per change, so
 * each must be idempotent (a replayed stream record repeats its effect harmlessly).
 */
export interface Reaction {
  name: string;
  matches(change: ItemChange): boolean;
  run(change: ItemChange, rt: DispatchRuntime): Promise<void>;
}

/** True when `field` of the item changed to `value` in this change. */
export function changedTo(change: ItemChange, field: string, value: unknown): boolean {
  return change.newImage?.[field] === value && change.oldImage?.[field] !== value;
}
