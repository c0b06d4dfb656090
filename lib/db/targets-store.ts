import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DeploymentMode, ProviderKey } from '../domain/plans.ts';
import type { TargetDisabledReason, TargetEvent, TargetStatus } from '../schemas/targets.ts';
import type { Db } from './client.ts';
import { getItems, stripKeys, type TransactItem } from './dynamo.ts';
import { decodeCursor, encodeCursor, GSI1_KEY, type ListOutcome } from './key-cursor.ts';
import { keys } from './keys.ts';
import { TABLE } from './table-definition.ts';

export interface TargetItem {
  id: string;
  account_id: string;
  status: TargetStatus;
  provider_key: ProviderKey;
  base_url: string;
  deployment_mode: DeploymentMode;
  name: string;
  events: TargetEvent[];
  /** The signing secret, sealed with lib/crypto/secret-box.ts (never stored in clear). */
  secret_sealed: string;
  secret_version: number;
  created_at: string;
  updated_at: string;
  /** Absent until set (so the first disable time and reason can be kept with if_not_exists). */
  secret_rotated_at?: string;
  disabled_at?: string;
  disabled_reason?: TargetDisabledReason;
  /**
   * Until when (epoch ms) the receiver asked for no requests (a 429 or 503 with Retry-After): other
   * deliveries to the target wait without spending an attempt (docs/ticket-exports.md).
   */
  paused_until_ms?: number;
  /**
   * After a rotation, the previous signing secret (sealed like the current one) and the end of its
   * grace window (epoch ms): until then deliveries verify with either (docs/ticket-exports.md).
   */
  previous_secret_sealed?: string;
  previous_secret_expires_ms?: number;
  /**
   * Which secret the receiver accepts during the grace window, as its answers showed: absent (the
   * previous one, right after a rotation) or `current` once it rejected the previous one.
   */
  receiver_secret?: 'current';
  /**
   * Epoch ms of the first failed attempt since the last success: the start of a failing streak
   * (absent while deliveries succeed; docs/ticket-exports.md, "Disable").
   */
  failing_since_ms?: number;
  /** Epoch ms of the streak's latest recorded failure (written at most hourly). */
  failing_last_ms?: number;
}

/** The write that creates a target (never over an existing one). */
export function targetPut(db: Db, target: TargetItem): TransactItem {
  return {
    Put: {
      TableName: db.table,
      Item: {
        ...keys.target(target.id),
        ...target,
        gsi1pk: keys.accountIndex(target.account_id, 'TARGETS'),
        gsi1sk: `${target.created_at}#${target.id}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function getTarget(
  db: Db,
  targetId: string,
  consistent = false,
): Promise<TargetItem | undefined> {
  const res = await db.doc.send(
    new GetCommand({ TableName: db.table, Key: keys.target(targetId), ConsistentRead: consistent }),
  );
  return stripKeys<TargetItem>(res.Item);
}

/**
 * An account's targets, oldest first, one page at a time. gsi1 projects keys only
 * (lib/db/table-definition.ts): the page's targets are read from the table by those keys (one
 * BatchGetItem). A table whose gsi1 still projects whole items (a local data directory made by an
 * earlier release) answers them in full, and those are used as they are.
 */
export async function listTargets(
  db: Db,
  accountId: string,
  page: { limit: number; cursor?: string },
): Promise<ListOutcome<TargetItem>> {
  const partition = keys.accountIndex(accountId, 'TARGETS');
  const start = decodeCursor(page.cursor, {
    attrs: GSI1_KEY,
    partition: { attr: 'gsi1pk', value: partition },
  });
  if (start === 'invalid') return { kind: 'invalid_cursor' };
  const res = await db.doc.send(
    new QueryCommand({
      TableName: db.table,
      IndexName: TABLE.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': partition },
      Limit: page.limit,
      ExclusiveStartKey: start,
    }),
  );
  const found = res.Items ?? [];
  const keysOnly = found.filter((i) => i.id === undefined);
  const read = keysOnly.length
    ? await getItems<TargetItem>(
        db,
        keysOnly.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })),
      )
    : [];
  let next = 0;
  const items = found.flatMap((i) => {
    const item = i.id === undefined ? read[next++] : stripKeys<TargetItem>(i);
    // A target the index lists but the table read did not find yet (eventual consistency) is left out.
    return item ? [item] : [];
  });
  return { kind: 'page', items, nextCursor: encodeCursor(res.LastEvaluatedKey) };
}

/**
 * Replaces the sealed secret, only on an active target of the account and only if no other rotation
 * won meanwhile (the version it was read at). On a failed condition the target comes back as it is.
 */
export function rotateSecretWrite(
  db: Db,
  input: {
    targetId: string;
    accountId: string;
    expectedVersion: number;
    sealed: string;
    at: string;
    /** The secret being replaced and the end of its grace window; absent: it ends now. */
    previous?: { sealed: string; expiresMs: number };
  },
): TransactItem {
  const base =
    'SET secret_sealed = :sealed, secret_version = :next, secret_rotated_at = :at, updated_at = :at';
  return {
    Update: {
      TableName: db.table,
      Key: keys.target(input.targetId),
      UpdateExpression: input.previous
        ? `${base}, previous_secret_sealed = :prev, previous_secret_expires_ms = :exp REMOVE receiver_secret`
        : `${base} REMOVE previous_secret_sealed, previous_secret_expires_ms, receiver_secret`,
      ConditionExpression:
        'attribute_exists(pk) AND account_id = :acc AND #status = :active AND secret_version = :version',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':sealed': input.sealed,
        ':next': input.expectedVersion + 1,
        ':at': input.at,
        ':acc': input.accountId,
        ':active': 'active',
        ':version': input.expectedVersion,
        ...(input.previous ? { ':prev': input.previous.sealed, ':exp': input.previous.expiresMs } : {}),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** What `PATCH` may change on a target. */
export interface TargetChanges {
  name?: string;
  base_url?: string;
  events?: TargetEvent[];
}

/**
 * Applies changes to a target as it was read (`seenUpdatedAt`), active or disabled; on a failed
 * condition (missing, another account's, changed since) the target comes back as it is.
 */
export function updateTargetWrite(
  db: Db,
  input: { targetId: string; accountId: string; seenUpdatedAt: string; changes: TargetChanges; at: string },
): TransactItem {
  const fields = Object.entries(input.changes).filter(([, v]) => v !== undefined);
  return {
    Update: {
      TableName: db.table,
      Key: keys.target(input.targetId),
      // A new URL is a new receiver: a failing streak of the old one does not carry over.
      UpdateExpression:
        `SET ${[...fields.map(([k]) => `#${k} = :${k}`), 'updated_at = :at'].join(', ')}` +
        (input.changes.base_url !== undefined ? ' REMOVE failing_since_ms, failing_last_ms' : ''),
      ConditionExpression: 'attribute_exists(pk) AND account_id = :acc AND updated_at = :seen',
      ExpressionAttributeNames: Object.fromEntries(fields.map(([k]) => [`#${k}`, k])),
      ExpressionAttributeValues: {
        ...Object.fromEntries(fields.map(([k, v]) => [`:${k}`, v])),
        ':at': input.at,
        ':acc': input.accountId,
        ':seen': input.seenUpdatedAt,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/**
 * Makes a disabled target active again, as it was read (`seenUpdatedAt`): the disable time and
 * reason and any pause are cleared. On a failed condition the target comes back as it is.
 */
export function enableTargetWrite(
  db: Db,
  input: { targetId: string; accountId: string; seenUpdatedAt: string; at: string },
): TransactItem {
  return {
    Update: {
      TableName: db.table,
      Key: keys.target(input.targetId),
      UpdateExpression:
        'SET #status = :active, updated_at = :at ' +
        'REMOVE disabled_at, disabled_reason, paused_until_ms, failing_since_ms, failing_last_ms',
      ConditionExpression: 'attribute_exists(pk) AND account_id = :acc AND updated_at = :seen',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':active': 'active',
        ':at': input.at,
        ':acc': input.accountId,
        ':seen': input.seenUpdatedAt,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/**
 * Disables a target as it was read (`seenUpdatedAt`), keeping the first disable time and reason. The
 * target comes back as it is when the condition fails (missing, another account's, or changed since).
 */
export function disableTargetWrite(
  db: Db,
  input: {
    targetId: string;
    accountId?: string;
    seenUpdatedAt?: string;
    reason: TargetDisabledReason;
    at: string;
  },
): TransactItem {
  const conditions = ['attribute_exists(pk)'];
  const values: Record<string, unknown> = {
    ':disabled': 'disabled',
    ':at': input.at,
    ':reason': input.reason,
  };
  if (input.accountId !== undefined) {
    conditions.push('account_id = :acc');
    values[':acc'] = input.accountId;
  }
  if (input.seenUpdatedAt !== undefined) {
    conditions.push('updated_at = :seen');
    values[':seen'] = input.seenUpdatedAt;
  }
  return {
    Update: {
      TableName: db.table,
      Key: keys.target(input.targetId),
      UpdateExpression:
        'SET #status = :disabled, disabled_at = if_not_exists(disabled_at, :at), ' +
        'disabled_reason = if_not_exists(disabled_reason, :reason), updated_at = :at',
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** The update that disables a target inside an attempt's transaction (410 Gone, or failing too long). */
export function disableTargetTransactItem(
  db: Db,
  targetId: string,
  at: string,
  reason: Extract<TargetDisabledReason, 'receiver_gone' | 'receiver_failing'>,
): TransactItem {
  return disableTargetWrite(db, { targetId, reason, at });
}

/** What one attempt learnt about its target; written with the attempt's outcome. */
export interface TargetAfterAttempt {
  /** The receiver asked for no requests until then (a 429 or 503 with Retry-After). */
  pausedUntilMs?: number;
  /** The receiver accepts only the current secret (it rejected the previous one in a grace window). */
  receiverUsesCurrentSecret?: boolean;
  /** A failing streak starts now (replacing one whose failures stopped arriving). */
  failingSinceMs?: number;
  /** The streak's latest failure is now. */
  failingLastMs?: number;
  /** A success ended the failing streak. */
  recovered?: boolean;
}

/**
 * One unconditional update of the target with everything an attempt learnt (a transaction may touch
 * an item once), or undefined when there is nothing to write. Unconditional: it rides on an attempt's
 * outcome, which must not fail with it, and of two answers close together the later one's value is
 * as good as the earlier one's.
 */
export function targetAfterAttemptTransactItem(
  db: Db,
  targetId: string,
  change: TargetAfterAttempt,
): TransactItem | undefined {
  const set: string[] = [];
  const values: Record<string, unknown> = {};
  if (change.pausedUntilMs !== undefined) {
    set.push('paused_until_ms = :paused');
    values[':paused'] = change.pausedUntilMs;
  }
  if (change.receiverUsesCurrentSecret) {
    set.push('receiver_secret = :current');
    values[':current'] = 'current';
  }
  if (change.failingSinceMs !== undefined) {
    set.push('failing_since_ms = :since');
    values[':since'] = change.failingSinceMs;
  }
  const last = change.failingLastMs ?? change.failingSinceMs;
  if (last !== undefined) {
    set.push('failing_last_ms = :last');
    values[':last'] = last;
  }
  const clauses = [
    set.length ? `SET ${set.join(', ')}` : '',
    change.recovered ? 'REMOVE failing_since_ms, failing_last_ms' : '',
  ]
    .filter(Boolean)
    .join(' ');
  if (!clauses) return undefined;
  return {
    Update: {
      TableName: db.table,
      Key: keys.target(targetId),
      UpdateExpression: clauses,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
    },
  };
}

/**
 * A transaction entry that writes nothing and holds only while the target is the account's, active and
 * subscribed to ticket exports (approval and retry commit against it). On failure: the target as it is.
 */
export function usableTargetCheck(db: Db, targetId: string, accountId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: db.table,
      Key: keys.target(targetId),
      ConditionExpression: 'account_id = :acc AND #status = :active AND contains(events, :te)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':acc': accountId, ':active': 'active', ':te': 'ticket_export' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}
