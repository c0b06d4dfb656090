import { TABLE } from '../db/table-definition.ts';
import { type Reaction, type RecordSelector, STATUS_ATTRIBUTE } from './reaction.ts';

/**
 * The Lambda event-filter patterns of the dispatcher's stream event source, built from the
 * reactions' own selectors (lib/dispatch/reaction.ts), so the filter and the dispatcher cannot
 * disagree. Lambda drops every stream record no pattern matches before it invokes the function
 * (and checkpoints past it), so page and issue items of a postback, rate-limit counters, idempotency
 * records, attempt logs, payload items and TTL deletions never start an invocation.
 *
 * One pattern per distinct (status, further attributes) of the selectors, each with every item
 * type (sort key) that selects it:
 *
 *   { eventName: [INSERT, MODIFY],
 *     dynamodb: { Keys: { sk: { S: [types…] } }, NewImage: { status: { S: [value] }, … } } }
 *
 * It is a superset of what the reactions act on in one respect only: a filter cannot compare the
 * old image with the new one, so a MODIFY that leaves `status` at the selected value (an item
 * updated while it stays `queued`, say) passes the filter and is then skipped by the dispatcher's
 * own matching. Expressing "changed to" exactly would take three patterns per selector (insert;
 * modify from another status; modify from none), more than Lambda's five filters per mapping.
 */
export type FilterPattern = Record<string, unknown>;

/** Lambda's default quota of filters on one event source mapping (10 at most after an increase). */
export const MAX_STREAM_FILTERS = 5;

const leafRule = (wanted: readonly string[] | 'present'): unknown[] =>
  wanted === 'present' ? [{ exists: true }] : [...wanted];

/** `ticket.id` with a rule → `{ ticket: { M: { id: { S: rule } } } }` (DynamoDB JSON of the stream). */
function attributePattern(path: string, rule: unknown[]): Record<string, unknown> {
  const parts = path.split('.');
  let node: Record<string, unknown> = { S: rule };
  for (let i = parts.length - 1; i >= 0; i--) {
    node = { [parts[i]!]: node };
    if (i > 0) node = { M: node };
  }
  return node;
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) {
    const existing = target[k];
    if (existing && typeof existing === 'object' && !Array.isArray(existing) && !Array.isArray(v)) {
      mergeInto(existing as Record<string, unknown>, v as Record<string, unknown>);
    } else {
      target[k] = v;
    }
  }
}

/** Everything of a selector but its item type, as a stable key (selectors equal in it share a pattern). */
function groupKey(s: RecordSelector): string {
  const extras = Object.entries(s.newImage ?? {})
    .map(([path, wanted]) => [path, wanted === 'present' ? wanted : [...wanted].sort()] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([s.statusChangedTo, extras]);
}

/** The filter patterns that pass every stream record some reaction acts on (see above). */
export function streamFilterPatterns(reactions: readonly Reaction[]): FilterPattern[] {
  const groups = new Map<string, { selector: RecordSelector; sortKeys: Set<string> }>();
  for (const { on } of reactions) {
    const key = groupKey(on);
    const group = groups.get(key) ?? { selector: on, sortKeys: new Set<string>() };
    group.sortKeys.add(on.sk);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ selector, sortKeys }) => {
    const newImage: Record<string, unknown> = { [STATUS_ATTRIBUTE]: { S: [selector.statusChangedTo] } };
    for (const [path, wanted] of Object.entries(selector.newImage ?? {})) {
      mergeInto(newImage, attributePattern(path, leafRule(wanted)));
    }
    return {
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: {
        Keys: { [TABLE.sortKey]: { S: [...sortKeys].sort() } },
        NewImage: newImage,
      },
    };
  });
}
