import type { Deadline } from '../deadline.ts';
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
 * Which committed changes a reaction acts on, as data: an item of one type (its sort key) whose
 * `status` changed to one value, optionally with further string attributes of the new item. The
 * dispatcher matches changes with it (`selects`), and the dispatcher's event-source filter on AWS
 * is built from the same selectors (lib/dispatch/stream-filter.ts), so the two cannot drift.
 */
export interface RecordSelector {
  /** The item's sort key, i.e. its type: `EXPORT`, `EVENT`, `SCANRUN`, `TARGET`. */
  sk: string;
  /** The change sets `status` to this value: an insert with it, or a modify from any other (or none). */
  statusChangedTo: string;
  /**
   * String attributes the new item must have: one of the listed values, or `present` (any string).
   * A dotted name reaches into a map (`ticket.id`).
   */
  newImage?: Readonly<Record<string, readonly string[] | 'present'>>;
}

/**
 * A side effect driven from a committed change (docs/platform.md and docs/ticket-exports.md). Reactions run at least once per change, so
 * each must be idempotent (a replayed stream record repeats its effect harmlessly).
 */
export interface Reaction {
  name: string;
  /** The changes it acts on; `matches` is exactly `selects(on, change)` (see `reaction`). */
  on: RecordSelector;
  matches(change: ItemChange): boolean;
  /** `deadline`: what is left of the invocation (a long reaction stops in time and is retried). */
  run(change: ItemChange, rt: DispatchRuntime, deadline?: Deadline): Promise<void>;
}

/** A reaction that acts on exactly the changes its selector describes. */
export function reaction(def: Omit<Reaction, 'matches'>): Reaction {
  return { ...def, matches: (change) => selects(def.on, change) };
}

/** True when `field` of the item changed to `value` in this change. */
export function changedTo(change: ItemChange, field: string, value: unknown): boolean {
  return change.newImage?.[field] === value && change.oldImage?.[field] !== value;
}

/** The value at a dotted path of an unmarshalled item (`ticket.id`), or undefined. */
function valueAt(item: Record<string, unknown> | undefined, path: string): unknown {
  let v: unknown = item;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** The attribute whose change a selector names (`statusChangedTo`). */
export const STATUS_ATTRIBUTE = 'status';

/** True when the change is one the selector describes. */
export function selects(selector: RecordSelector, change: ItemChange): boolean {
  if (change.keys.sk !== selector.sk || !changedTo(change, STATUS_ATTRIBUTE, selector.statusChangedTo))
    return false;
  for (const [path, wanted] of Object.entries(selector.newImage ?? {})) {
    const v = valueAt(change.newImage, path);
    if (typeof v !== 'string' || (wanted !== 'present' && !wanted.includes(v))) return false;
  }
  return true;
}
