import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toChange } from '../../lib/dispatch/dispatch.ts';
import { changedTo, type ItemChange } from '../../lib/dispatch/reaction.ts';
import { REACTIONS } from '../../lib/dispatch/reactions.ts';
import { MAX_STREAM_FILTERS, streamFilterPatterns } from '../../lib/dispatch/stream-filter.ts';

/**
 * The dispatcher's event-source filter (lib/dispatch/stream-filter.ts) against the reactions it is
 * built from: Lambda must never drop a record some reaction acts on, and must drop the no-op ones.
 * The only records it passes that no reaction takes are MODIFYs that leave `status` at a selected
 * value (a filter cannot compare the old image with the new one; docs/deploy.md).
 */

type StreamRecord = DynamoDBStreamEvent['Records'][number];
type Image = Record<string, unknown>;

/**
 * Lambda's pattern matching, for the rules the patterns can use: a pattern object matches when every
 * key matches; an array lists alternatives for a leaf (exact values, `exists`, `prefix`,
 * `anything-but`); `exists: true` matches leaves only (strings, numbers, booleans, null).
 */
function matchesPattern(pattern: Record<string, unknown>, value: unknown): boolean {
  const node = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  return Object.entries(pattern).every(([key, rule]) => {
    const sub = (node as Record<string, unknown> | undefined)?.[key];
    return Array.isArray(rule) ? rule.some((r) => matchesLeaf(r, sub)) : matchesPattern(rule as Image, sub);
  });
}

function matchesLeaf(rule: unknown, v: unknown): boolean {
  const isLeaf = v === null || ['string', 'number', 'boolean'].includes(typeof v);
  if (rule === null || typeof rule !== 'object') return isLeaf && v === rule;
  const [[op, arg]] = Object.entries(rule as Record<string, unknown>) as [[string, unknown]];
  switch (op) {
    case 'exists':
      return arg ? v !== undefined && isLeaf : v === undefined;
    case 'prefix':
      return typeof v === 'string' && v.startsWith(String(arg));
    case 'anything-but':
      return isLeaf && v !== undefined && !(Array.isArray(arg) ? arg : [arg]).includes(v);
    default:
      throw new Error(`the test's evaluator does not know filter rule ${op}`);
  }
}

const PATTERNS = streamFilterPatterns(REACTIONS);
const passesFilter = (r: StreamRecord) => PATTERNS.some((p) => matchesPattern(p, r));
const acted = (r: StreamRecord) => {
  const change = toChange(r);
  return change ? REACTIONS.filter((x) => x.matches(change)).map((x) => x.name) : [];
};

/** The hand-written predicates the selectors replaced, kept here to hold the rewrite to them. */
const ticketId = (c: ItemChange) => (c.newImage?.ticket as { id?: unknown } | undefined)?.id;
const BEFORE: Record<string, (c: ItemChange) => boolean> = {
  'export-queued': (c) => c.keys.sk === 'EXPORT' && changedTo(c, 'status', 'queued'),
  'export-ticketed': (c) =>
    c.keys.sk === 'EXPORT' && changedTo(c, 'status', 'exported') && typeof ticketId(c) === 'string',
  'scan-run-failed-cleanup': (c) => c.keys.sk === 'SCANRUN' && changedTo(c, 'status', 'failed'),
  'scan-run-failed-notify': (c) => c.keys.sk === 'SCANRUN' && changedTo(c, 'status', 'failed'),
  'event-delivery-queued': (c) => c.keys.sk === 'EVENT' && changedTo(c, 'status', 'queued'),
  'target-disabled-notify': (c) =>
    c.keys.sk === 'TARGET' &&
    changedTo(c, 'status', 'disabled') &&
    ['receiver_gone', 'receiver_failing'].includes(c.newImage?.disabled_reason as string),
  'export-failed-notify': (c) => c.keys.sk === 'EXPORT' && changedTo(c, 'status', 'failed'),
  'scan-run-findings': (c) => c.keys.sk === 'SCANRUN' && changedTo(c, 'status', 'completed'),
  'scan-run-report': (c) => c.keys.sk === 'SCANRUN' && changedTo(c, 'status', 'completed'),
};
const expectSameAsBefore = (change: ItemChange) => {
  for (const r of REACTIONS) expect(r.matches(change), r.name).toBe(BEFORE[r.name]!(change));
};

/** A stream record as DynamoDB writes it (NEW_AND_OLD_IMAGES, DynamoDB JSON). */
function streamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  key: { pk: string; sk: string },
  oldImage?: Image,
  newImage?: Image,
): StreamRecord {
  const m = (i?: Image) =>
    i ? (marshall({ ...key, ...i }, { removeUndefinedValues: true }) as never) : undefined;
  return {
    eventName,
    dynamodb: {
      Keys: marshall(key) as never,
      ...(oldImage ? { OldImage: m(oldImage) } : {}),
      ...(newImage ? { NewImage: m(newImage) } : {}),
      SequenceNumber: '1',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}
const insert = (key: { pk: string; sk: string }, img: Image) => streamRecord('INSERT', key, undefined, img);
const modify = (key: { pk: string; sk: string }, before: Image, after: Image) =>
  streamRecord('MODIFY', key, before, { ...before, ...after });
const remove = (key: { pk: string; sk: string }, img: Image) => streamRecord('REMOVE', key, img, undefined);

const exp = { pk: 'EXPORT#exp_1', sk: 'EXPORT' };
const run = { pk: 'SCANRUN#7', sk: 'SCANRUN' };
const evt = { pk: 'EVENT#evt_1', sk: 'EVENT' };
const tgt = { pk: 'TARGET#tgt_1', sk: 'TARGET' };
const exportState = { id: 'exp_1', account_id: 'acc_1', target_id: 'tgt_1', round: 1, attempts: 0 };

/** One record per reaction, with the reactions that act on it. */
const ACTED_ON: Array<[string, StreamRecord, string[]]> = [
  [
    'scan run completed',
    modify(run, { id: 7, status: 'queued' }, { status: 'completed' }),
    ['scan-run-findings', 'scan-run-report'],
  ],
  [
    'export approved',
    modify(exp, { ...exportState, status: 'pending_approval' }, { status: 'queued' }),
    ['export-queued'],
  ],
  [
    'export delivered, the receiver named its ticket',
    modify(exp, { ...exportState, status: 'delivering' }, { status: 'exported', ticket: { id: 'JIRA-1' } }),
    ['export-ticketed'],
  ],
  [
    'scan run failed',
    modify(run, { id: 7, status: 'queued', temp_prefix: 'tmp/scan-runs/7/' }, { status: 'failed' }),
    ['scan-run-failed-cleanup', 'scan-run-failed-notify'],
  ],
  ['event delivery created', insert(evt, { id: 'evt_1', status: 'queued' }), ['event-delivery-queued']],
  [
    'target disabled by a delivery',
    modify(tgt, { id: 'tgt_1', status: 'active' }, { status: 'disabled', disabled_reason: 'receiver_gone' }),
    ['target-disabled-notify'],
  ],
  [
    'export round failed',
    modify(exp, { ...exportState, status: 'delivering' }, { status: 'failed' }),
    ['export-failed-notify'],
  ],
  [
    'export written queued at once (an item with no status before)',
    modify(exp, { ...exportState }, { status: 'queued' }),
    ['export-queued'],
  ],
];

/** Records no reaction acts on; the filter must drop each. */
const NO_OPS: Array<[string, StreamRecord]> = [
  [
    'rate-limit counter update',
    modify({ pk: 'RATELIMIT#tok_1#1700000000', sk: 'RATELIMIT' }, { count: 3, expires_at: 1 }, { count: 4 }),
  ],
  [
    'rate-limit window expiring (TTL)',
    remove({ pk: 'RATELIMIT#tok_1#1700000000', sk: 'RATELIMIT' }, { count: 4 }),
  ],
  [
    'idempotency claim',
    insert({ pk: 'IDEMPOTENCY#acc_1#exports.create#k', sk: 'IDEMPOTENCY' }, { status: 'in_progress' }),
  ],
  [
    'idempotency record completed',
    modify(
      { pk: 'IDEMPOTENCY#acc_1#exports.create#k', sk: 'IDEMPOTENCY' },
      { status: 'in_progress' },
      { status: 'completed' },
    ),
  ],
  [
    'idempotency record expiring (TTL)',
    remove({ pk: 'IDEMPOTENCY#acc_1#exports.create#k', sk: 'IDEMPOTENCY' }, { status: 'completed' }),
  ],
  [
    'page item of a postback',
    insert(
      { pk: 'SCANRUN#7', sk: 'PAGE#ing_1#000001' },
      { index: 1, url: 'https://e.example', status_code: 200 },
    ),
  ],
  [
    'issue item of a postback',
    insert({ pk: 'SCANRUN#7', sk: 'ISSUE#ing_1#fp1' }, { fingerprint: 'fp1', severity: 'high' }),
  ],
  [
    'attempt log entry with a failed outcome',
    insert({ pk: 'EXPORT#exp_1', sk: 'ATTEMPT#000001' }, { status: 'failed', status_code: 500 }),
  ],
  [
    'payload item',
    insert({ pk: 'EXPORT#exp_1', sk: 'PAYLOAD' }, { body: '{}', issue_fingerprints: ['fp1'] }),
  ],
  ['scan run created', insert(run, { id: 7, status: 'queued' })],
  ['export leased', modify(exp, { ...exportState, status: 'queued' }, { status: 'delivering' })],
  [
    'export retry scheduled',
    modify(exp, { ...exportState, status: 'delivering' }, { status: 'retry_scheduled' }),
  ],
  [
    'export delivered without a ticket',
    modify(exp, { ...exportState, status: 'delivering' }, { status: 'exported' }),
  ],
  [
    'export delivered, ticket without an id',
    modify(
      exp,
      { ...exportState, status: 'delivering' },
      { status: 'exported', ticket: { url: 'https://t' } },
    ),
  ],
  [
    'target disabled by its owner',
    modify(
      tgt,
      { id: 'tgt_1', status: 'active' },
      { status: 'disabled', disabled_reason: 'disabled_by_user' },
    ),
  ],
  ['target created', insert(tgt, { id: 'tgt_1', status: 'active' })],
  ['export deleted', remove(exp, { ...exportState, status: 'failed' })],
  ['token created', insert({ pk: 'TOKEN#abc', sk: 'TOKEN' }, { token_id: 'tok_1' })],
];

/** The documented superset: MODIFYs that leave the status at a selected value. */
const PASSED_BUT_SKIPPED: Array<[string, StreamRecord]> = [
  ['event delivery updated while queued', modify(evt, { id: 'evt_1', status: 'queued' }, { attempts: 1 })],
  [
    'disabled target updated',
    modify(
      tgt,
      { id: 'tgt_1', status: 'disabled', disabled_reason: 'receiver_gone' },
      { updated_at: '2026-01-01T00:00:00.000Z' },
    ),
  ],
];

describe('dispatcher event-source filter', () => {
  it('fits Lambda’s filter quota: one pattern per status, every item type that selects it', () => {
    expect(PATTERNS.length).toBeLessThanOrEqual(MAX_STREAM_FILTERS);
    expect(PATTERNS).toContainEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { Keys: { sk: { S: ['EVENT', 'EXPORT'] } }, NewImage: { status: { S: ['queued'] } } },
    });
    expect(PATTERNS).toContainEqual({
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: {
        Keys: { sk: { S: ['EXPORT'] } },
        NewImage: { status: { S: ['exported'] }, ticket: { M: { id: { S: [{ exists: true }] } } } },
      },
    });
  });

  it.each(ACTED_ON)('passes what a reaction acts on: %s', (_name, record, reactions) => {
    expect(acted(record)).toEqual(reactions);
    expect(passesFilter(record)).toBe(true);
  });

  it.each(NO_OPS)('drops what no reaction acts on: %s', (_name, record) => {
    expect(acted(record)).toEqual([]);
    expect(passesFilter(record)).toBe(false);
  });

  it.each(PASSED_BUT_SKIPPED)(
    'passes, and the dispatcher skips, a status left as it was: %s',
    (_n, record) => {
      expect(passesFilter(record)).toBe(true);
      expect(acted(record)).toEqual([]);
    },
  );

  it('passes every record a reaction acts on; any other it passes kept its status (property)', () => {
    const sks = ['EXPORT', 'EVENT', 'SCANRUN', 'TARGET', 'PAGE#i#000001', 'ISSUE#i#f', 'ATTEMPT#000001'];
    const statuses = [undefined, 'queued', 'delivering', 'retry_scheduled', 'exported', 'failed', 'blocked'];
    const more = [undefined, 'disabled', 'active', 'completed', 'in_progress', 'pending_approval'];
    const image = fc.record({
      status: fc.constantFrom(...statuses, ...more),
      disabled_reason: fc.constantFrom(undefined, 'receiver_gone', 'receiver_failing', 'disabled_by_user'),
      ticket: fc.constantFrom(undefined, { id: 'T-1' }, { id: 5 }, 'T-1', {}),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...sks, 'RATELIMIT', 'IDEMPOTENCY', 'PAYLOAD', 'TOKEN'),
        fc.constantFrom('INSERT' as const, 'MODIFY' as const, 'REMOVE' as const),
        image,
        image,
        (sk, eventName, before, after) => {
          const key = { pk: `X#${sk}`, sk };
          const record = streamRecord(
            eventName,
            key,
            eventName === 'INSERT' ? undefined : before,
            eventName === 'REMOVE' ? undefined : after,
          );
          const change = toChange(record);
          if (change) expectSameAsBefore(change);
          const passes = passesFilter(record);
          if (acted(record).length > 0) expect(passes).toBe(true);
          else if (passes) {
            expect(eventName).toBe('MODIFY');
            expect(before.status).toBe(after.status);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('selects what the reactions matched before they declared selectors', () => {
    expect(REACTIONS.map((r) => r.name).sort()).toEqual(Object.keys(BEFORE).sort());
    const all = [
      ...ACTED_ON.map(([, r]) => r),
      ...NO_OPS.map(([, r]) => r),
      ...PASSED_BUT_SKIPPED.map(([, r]) => r),
    ];
    for (const record of all) expectSameAsBefore(toChange(record)!);
  });
});
