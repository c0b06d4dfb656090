import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  AttemptErrorClass,
  AttemptOutcome,
  BlockedReason,
  DeliveryStatus,
  FailureReason,
} from '../domain/delivery-vocabulary.ts';
import type { TicketRef } from '../domain/ticket-ref.ts';
import type { AccountItem } from './accounts-store.ts';
import type { Db } from './client.ts';
import { commitWrites } from './commit.ts';
import {
  conditionFailure,
  getItems,
  stripKeys,
  type TableKey,
  type TransactItem,
  tableKeyId,
  updateIf,
} from './dynamo.ts';
import { decodeCursor, encodeCursor, GSI2_KEY, type ListOutcome, TABLE_KEY } from './key-cursor.ts';
import { keys } from './keys.ts';
import { TABLE } from './table-definition.ts';
import type { TargetItem } from './targets-store.ts';

/**
 * The delivery state shared by ticket exports (EXPORT items) and event deliveries (EVENT items), and
 * the writes of the delivery worker on it. The webhook body lives in its own PAYLOAD item beside the
 * state, written once, so no state write rewrites it. Every transition is one conditional write:
 *  - takeLease: queued | retry_scheduled (due) | delivering with an expired lease (or one held by the
 *    same SQS message) → delivering, with a fresh lease id; no read before it, the current state
 *    comes back with a refusal;
 *  - attemptOutcomeWrites: only the lease holder may record the attempt and the next state, and both
 *    are written in one transaction (attempt log item + state), so the log never disagrees with the
 *    state; a message's own (completeAttempt) or its SQS batch's (lib/db/attempt-outcome-batch.ts).
 */

export interface DeliveryState {
  status: DeliveryStatus;
  account_id: string;
  target_id: string | null;
  /** Stays the same across retries (X-WebRiskOps-Delivery-Id, Idempotency-Key, webhook-id). */
  delivery_id: string;
  /** 1 for the approval, +1 for each retry request; attempts count within a round. */
  round: number;
  attempts: number;
  /** Number of attempt log entries written (their sort keys are ATTEMPT#<seq>). */
  log_seq: number;
  lease_id?: string;
  lease_holder?: string;
  /** Epoch milliseconds. */
  lease_expires_at?: number;
  retry_after_seconds: number | null;
  next_attempt_at: string | null;
  /** Epoch milliseconds of next_attempt_at (compared in conditions). */
  next_attempt_ms?: number | null;
  last_error_class: AttemptErrorClass | null;
  last_status_code: number | null;
  failure_reason: FailureReason | null;
  blocked_reason: BlockedReason | null;
  delivered_at: string | null;
  updated_at: string;
}

/** The outcome fields of a delivery that has not been attempted yet in its round. */
export const NO_DELIVERY_OUTCOME = {
  retry_after_seconds: null,
  next_attempt_at: null,
  next_attempt_ms: null,
  last_error_class: null,
  last_status_code: null,
  failure_reason: null,
  blocked_reason: null,
  delivered_at: null,
} as const satisfies Partial<DeliveryState>;

export interface DeliveryRef {
  /** The state item. */
  key: TableKey;
  /** The payload item (the body, serialized once). */
  payload: TableKey;
  /** Partition that holds the state, the payload and the attempt log. */
  partition: string;
}

/**
 * The index keys that list a delivery under its target (GSI2, newest last by creation time): set when
 * the delivery gets its target, moved when a retry sends it to another one.
 */
export function targetIndexKeys(targetId: string, createdAt: string, id: string) {
  return { gsi2pk: keys.targetDeliveries(targetId), gsi2sk: `${createdAt}#${id}` };
}

/** What is sent, immutable once written: the exact request body. */
export interface DeliveryPayload {
  body: string;
}

/**
 * The writes that create a delivery: its state item (`state` carries any index keys) and its payload
 * item, neither over an existing one.
 */
export function deliveryPuts(
  db: Db,
  ref: DeliveryRef,
  state: Record<string, unknown>,
  payload: DeliveryPayload & Record<string, unknown>,
): TransactItem[] {
  return [
    {
      Put: {
        TableName: db.table,
        Item: { ...ref.key, ...state },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: db.table,
        Item: { ...ref.payload, ...payload },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/**
 * State and payload of one delivery in one consistent Query (the payload sort key sorts after the
 * state's, the attempt log's before both). Undefined when the delivery does not exist.
 */
export async function getDeliveryWithPayload<T extends DeliveryState & DeliveryPayload>(
  db: Db,
  ref: DeliveryRef,
  consistent = false,
): Promise<T | undefined> {
  const res = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :state AND :payload',
      ExpressionAttributeValues: { ':p': ref.partition, ':state': ref.key.sk, ':payload': ref.payload.sk },
      ConsistentRead: consistent,
    }),
  );
  const items = res.Items ?? [];
  const state = items.find((i) => i.sk === ref.key.sk);
  if (!state) return undefined;
  const payload = items.find((i) => i.sk === ref.payload.sk);
  return stripKeys<T>({ ...payload, ...state });
}

/** What an attempt needs besides its state, read in one BatchGetItem (consistent: the send-time check). */
export interface AttemptInputs {
  payload?: DeliveryPayload;
  target?: TargetItem;
  account?: AccountItem;
}

/** Which of an attempt's inputs to read: its payload, and the target and account a message names. */
export interface AttemptWants {
  payload: boolean;
  targetId?: string | null;
  accountId?: string;
}

function askedKeys(ref: DeliveryRef, want: AttemptWants): [keyof AttemptInputs, TableKey][] {
  const asked: [keyof AttemptInputs, TableKey][] = [];
  if (want.payload) asked.push(['payload', ref.payload]);
  if (want.targetId) asked.push(['target', keys.target(want.targetId)]);
  if (want.accountId) asked.push(['account', keys.account(want.accountId)]);
  return asked;
}

export async function readAttemptInputs(
  db: Db,
  ref: DeliveryRef,
  want: AttemptWants,
): Promise<AttemptInputs> {
  const asked = askedKeys(ref, want);
  if (asked.length === 0) return {};
  const items = await getItems(
    db,
    asked.map(([, key]) => key),
    { consistent: true },
  );
  return Object.fromEntries(asked.map(([name], i) => [name, items[i]])) as AttemptInputs;
}

/** Where an attempt's inputs come from: one delivery's own read, or a read shared by its batch. */
export interface AttemptInputsReader {
  read(ref: DeliveryRef, want: AttemptWants): Promise<AttemptInputs>;
}

/**
 * The inputs of every delivery of one SQS batch in one consistent BatchGetItem (its target and account
 * read once however many messages name them), started at once so it runs beside the batch's leases:
 * one request per batch instead of one per message (docs/ticket-exports.md, "What one attempt costs").
 * A read for anything the batch did not announce (the leased state named another target) is its own
 * request, as before.
 */
export function batchAttemptInputsReader(
  db: Db,
  announced: readonly { ref: DeliveryRef; want: AttemptWants }[],
): AttemptInputsReader {
  const wanted = new Map<string, TableKey>();
  for (const { ref, want } of announced) {
    for (const [, key] of askedKeys(ref, want)) wanted.set(tableKeyId(key), key);
  }
  const keyList = [...wanted.values()];
  const shared =
    keyList.length === 0
      ? Promise.resolve(new Map<string, unknown>())
      : getItems(db, keyList, { consistent: true }).then(
          (items) => new Map(keyList.map((k, i) => [tableKeyId(k), items[i]])),
        );
  // Each message awaits the shared read; a failure reaches every one of them, never as unhandled.
  shared.catch(() => {});
  return {
    async read(ref, want) {
      const asked = askedKeys(ref, want);
      if (asked.length === 0) return {};
      if (!asked.every(([, key]) => wanted.has(tableKeyId(key)))) return readAttemptInputs(db, ref, want);
      const found = await shared;
      return Object.fromEntries(
        asked.map(([name, key]) => [name, found.get(tableKeyId(key))]),
      ) as AttemptInputs;
    },
  };
}

export interface AttemptLogItem {
  round: number;
  attempt: number;
  at: string;
  outcome: AttemptOutcome;
  status_code: number | null;
  duration_ms: number | null;
  error_class: AttemptErrorClass | null;
  retry_after_seconds: number | null;
  response_body: string | null;
}

/** Tolerance for a message that comes back slightly before next_attempt_at (clock differences). */
export const EARLY_TOLERANCE_MS = 1000;

export type LeaseOutcome<T extends DeliveryState> =
  /** The delivery as leased (lease_id is this lease's). */
  | { kind: 'leased'; record: T }
  /** Not takeable now: the state as it is (undefined when the delivery does not exist). */
  | { kind: 'refused'; current: T | undefined };

/**
 * Takes the delivery lease with one conditional write and no read before it: a refusal carries the
 * current state (ReturnValuesOnConditionCheckFailure), from which the caller decides what to do.
 */
export async function takeLease<T extends DeliveryState>(
  db: Db,
  ref: DeliveryRef,
  input: { holder: string; leaseId: string; nowMs: number; leaseMs: number },
): Promise<LeaseOutcome<T>> {
  try {
    const res = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: ref.key,
        UpdateExpression:
          'SET #status = :delivering, lease_id = :lease, lease_holder = :holder, lease_expires_at = :until, updated_at = :at',
        ConditionExpression:
          'attribute_exists(pk) AND (#status = :queued' +
          ' OR (#status = :retry AND next_attempt_ms <= :due)' +
          ' OR (#status = :delivering AND (lease_expires_at < :now OR lease_holder = :holder)))',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':delivering': 'delivering',
          ':queued': 'queued',
          ':retry': 'retry_scheduled',
          ':lease': input.leaseId,
          ':holder': input.holder,
          ':until': input.nowMs + input.leaseMs,
          ':now': input.nowMs,
          ':due': input.nowMs + EARLY_TOLERANCE_MS,
          ':at': new Date(input.nowMs).toISOString(),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { kind: 'leased', record: stripKeys<T>(res.Attributes as Record<string, unknown>) };
  } catch (err) {
    const refused = conditionFailure(err);
    if (refused) return { kind: 'refused', current: stripKeys<T>(refused.item) };
    throw err;
  }
}

export interface NextState {
  status: DeliveryStatus;
  attempts: number;
  retry_after_seconds: number | null;
  next_attempt_at: string | null;
  next_attempt_ms: number | null;
  last_error_class: AttemptErrorClass | null;
  last_status_code: number | null;
  failure_reason: FailureReason | null;
  blocked_reason: BlockedReason | null;
  delivered_at: string | null;
  /** Set with a delivered export whose receiver named the ticket it created. */
  ticket?: TicketRef;
}

/**
 * Gives a leased delivery back without an attempt: `retry_scheduled` at `nextMs`, attempts and log
 * unchanged (its target is paused). False when the lease was lost meanwhile.
 */
export async function deferUnderLease(
  db: Db,
  ref: DeliveryRef,
  input: { leaseId: string; nextMs: number; at: string },
): Promise<boolean> {
  return updateIf(db, {
    Key: ref.key,
    UpdateExpression:
      'SET #status = :retry, next_attempt_ms = :nams, next_attempt_at = :nat, ' +
      'retry_after_seconds = :ras, updated_at = :at REMOVE lease_id, lease_holder, lease_expires_at',
    ConditionExpression: '#status = :delivering AND lease_id = :lease',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':retry': 'retry_scheduled',
      ':nams': input.nextMs,
      ':nat': new Date(input.nextMs).toISOString(),
      ':ras': Math.max(1, Math.ceil((input.nextMs - Date.parse(input.at)) / 1000)),
      ':at': input.at,
      ':delivering': 'delivering',
      ':lease': input.leaseId,
    },
  });
}

/** One attempt's outcome, written only while `leaseId` still holds the delivery's lease. */
export interface AttemptCompletion {
  leaseId: string;
  seq: number;
  log: AttemptLogItem;
  next: NextState;
  at: string;
  /** Transaction entries that commit with it (e.g. disabling the target after 410 Gone). */
  extra?: TransactItem[];
}

/**
 * The transaction entries of one attempt's outcome: the state (entry 0, guarded by the lease), the
 * attempt log item, then the extra entries.
 */
export function attemptOutcomeWrites(db: Db, ref: DeliveryRef, input: AttemptCompletion): TransactItem[] {
  const n = input.next;
  return [
    {
      Update: {
        TableName: db.table,
        Key: ref.key,
        UpdateExpression:
          'SET #status = :status, attempts = :attempts, log_seq = :seq, retry_after_seconds = :ras, ' +
          'next_attempt_at = :nat, next_attempt_ms = :nams, last_error_class = :lec, ' +
          'last_status_code = :lsc, failure_reason = :fr, blocked_reason = :br, ' +
          `delivered_at = :dat, updated_at = :at${n.ticket ? ', ticket = :ticket' : ''} ` +
          'REMOVE lease_id, lease_holder, lease_expires_at',
        ConditionExpression: '#status = :delivering AND lease_id = :lease',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': n.status,
          ':attempts': n.attempts,
          ':seq': input.seq,
          ':ras': n.retry_after_seconds,
          ':nat': n.next_attempt_at,
          ':nams': n.next_attempt_ms,
          ':lec': n.last_error_class,
          ':lsc': n.last_status_code,
          ':fr': n.failure_reason,
          ':br': n.blocked_reason,
          ':dat': n.delivered_at,
          ':at': input.at,
          ':delivering': 'delivering',
          ':lease': input.leaseId,
          ...(n.ticket ? { ':ticket': n.ticket } : {}),
        },
      },
    },
    {
      Put: {
        TableName: db.table,
        Item: { pk: ref.partition, sk: keys.deliveryAttemptSk(input.seq), ...input.log },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...(input.extra ?? []),
  ];
}

/**
 * Where an attempt's outcome is written: its own transaction (`completeAttempt`), or one shared by its
 * SQS batch (lib/db/attempt-outcome-batch.ts). Resolves false when the lease was lost (it expired and
 * another worker took over), in which case nothing of this attempt was written.
 */
export interface AttemptOutcomeWriter {
  complete(ref: DeliveryRef, input: AttemptCompletion): Promise<boolean>;
}

/** Records one attempt and the resulting state in its own transaction, guarded by the lease. */
export async function completeAttempt(db: Db, ref: DeliveryRef, input: AttemptCompletion): Promise<boolean> {
  // One attempt per lease: an SDK retry of a committed one is recognised by its token.
  const outcome = await commitWrites(db, attemptOutcomeWrites(db, ref, input), { token: input.leaseId });
  if (outcome.kind === 'committed') return true;
  return refusedAttempt(ref, (outcome.failures[0] as { index: number }).index);
}

/**
 * What a refused outcome means, from the first of its entries that failed (0-based within the
 * attempt's own entries): entry 0 is the lease, so the lease was lost (false); any other entry
 * failing is a bug, thrown.
 */
export function refusedAttempt(ref: DeliveryRef, entry: number): false {
  if (entry === 0) return false;
  throw new Error(`attempt write refused by entry ${entry} (${ref.key.pk})`);
}

/**
 * A delivery whose message could not be processed repeatedly (poison): marked failed so it is not
 * left in flight, unless it already reached a final state. Returns whether it changed.
 */
export async function markProcessingFailed(db: Db, ref: DeliveryRef, at: string): Promise<boolean> {
  return updateIf(db, {
    Key: ref.key,
    UpdateExpression:
      'SET #status = :failed, failure_reason = :reason, last_error_class = :reason, ' +
      'retry_after_seconds = :null, next_attempt_at = :null, next_attempt_ms = :null, updated_at = :at ' +
      'REMOVE lease_id, lease_holder, lease_expires_at',
    ConditionExpression: '#status IN (:queued, :delivering, :retry)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':failed': 'failed',
      ':reason': 'processing_error',
      ':null': null,
      ':at': at,
      ':queued': 'queued',
      ':delivering': 'delivering',
      ':retry': 'retry_scheduled',
    },
  });
}

/** The attempt log of one export or event, oldest first. */
export async function listAttempts(
  db: Db,
  partition: string,
  page: { limit: number; cursor?: string },
): Promise<ListOutcome<AttemptLogItem>> {
  const start = decodeCursor(page.cursor, {
    attrs: TABLE_KEY,
    partition: { attr: 'pk', value: partition },
    skPrefix: 'ATTEMPT#',
  });
  if (start === 'invalid') return { kind: 'invalid_cursor' };
  const res = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':p': partition, ':prefix': 'ATTEMPT#' },
      Limit: page.limit,
      ExclusiveStartKey: start,
    }),
  );
  return {
    kind: 'page',
    items: (res.Items ?? []).map((i) => stripKeys<AttemptLogItem>(i)),
    nextCursor: encodeCursor(res.LastEvaluatedKey),
  };
}

/** A delivery as a target's list shows it: the state of an export (`exp_…`) or an event (`evt_…`). */
export type TargetDelivery = DeliveryState & { id: string; created_at: string; event_type?: string };

/** A target's deliveries, newest first, one page at a time (GSI2). */
export async function listTargetDeliveries(
  db: Db,
  targetId: string,
  page: { limit: number; cursor?: string },
): Promise<ListOutcome<TargetDelivery>> {
  const partition = keys.targetDeliveries(targetId);
  const start = decodeCursor(page.cursor, {
    attrs: GSI2_KEY,
    partition: { attr: 'gsi2pk', value: partition },
  });
  if (start === 'invalid') return { kind: 'invalid_cursor' };
  const res = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      IndexName: TABLE.gsi2.indexName,
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': partition },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: start,
    }),
  );
  return {
    kind: 'page',
    items: (res.Items ?? []).map((i) => stripKeys<TargetDelivery>(i)),
    nextCursor: encodeCursor(res.LastEvaluatedKey),
  };
}

/**
 * A target's exports created at or after `since` (ISO time) whose round ended failed or blocked,
 * oldest first, at most `max` of them; `more` when others remain.
 */
export async function findRecoverableExports(
  db: Db,
  targetId: string,
  since: string,
  max: number,
): Promise<{ items: TargetDelivery[]; more: boolean }> {
  const items: TargetDelivery[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db.doc.send(
      new QueryCommand({
        TableName: db.table,
        IndexName: TABLE.gsi2.indexName,
        KeyConditionExpression: 'gsi2pk = :p AND gsi2sk >= :since',
        FilterExpression: '#status IN (:failed, :blocked) AND sk = :export',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':p': keys.targetDeliveries(targetId),
          ':since': since,
          ':failed': 'failed',
          ':blocked': 'blocked',
          ':export': 'EXPORT',
        },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) {
      if (items.length === max) return { items, more: true };
      items.push(stripKeys<TargetDelivery>(item));
    }
    start = res.LastEvaluatedKey;
  } while (start);
  return { items, more: false };
}
