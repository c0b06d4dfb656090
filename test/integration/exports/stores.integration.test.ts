import { randomBytes } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config.ts';
import type { Db } from '../../../lib/db/client.ts';
import { type CommitOutcome, commitWrites } from '../../../lib/db/commit.ts';
import { getDeliveryWithPayload, listAttempts, takeLease } from '../../../lib/db/deliveries-store.ts';
import { keys } from '../../../lib/db/keys.ts';
import { approveExportWrite, exportRef, requeueExportWrite } from '../../../lib/db/ticket-exports-store.ts';
import { createAccount } from '../../../lib/domain/accounts.ts';
import { toPage } from '../../../lib/domain/pages.ts';
import type { AppError } from '../../../lib/errors.ts';
import { createTestTable } from '../../support/local-stack.ts';
import { createTarget, rotateSecret } from '../../support/plans.ts';
import { putPendingExport, putQueuedExport } from './fixtures.ts';

/** The conditional writes of the targets and exports stores, raced on DynamoDB Local. */
let db: Db;
const config = parseConfig({
  WRO_TABLE_NAME: 'x-table',
  WRO_TARGET_SECRETS_KEY: randomBytes(32).toString('base64'),
  WRO_ALLOW_PRIVATE_TARGETS: '1',
});

beforeAll(async () => {
  db = await createTestTable();
  config.tableName = db.table;
});

const settle = <T>(ps: Promise<T>[]) => Promise.allSettled(ps);
/** The export as each refused write found it (the store's outcome; the domain names it). */
const foundStatuses = (outcomes: CommitOutcome[]) =>
  outcomes.flatMap((o) => (o.kind === 'condition_failed' ? [o.failures[0]?.item?.status] : []));
const codes = (results: PromiseSettledResult<unknown>[]) =>
  results
    .filter((r) => r.status === 'rejected')
    .map((r) => ((r as PromiseRejectedResult).reason as AppError).code);

describe('races', () => {
  it('ten concurrent approvals: exactly one commits, the others are EXPORT_NOT_PENDING', async () => {
    const exp = await putPendingExport(db, { accountId: 'acc_1' });
    const write = (i: number) =>
      approveExportWrite(db, {
        exportId: exp.id,
        accountId: 'acc_1',
        targetId: `tgt_${i}`,
        seenUpdatedAt: exp.updated_at,
        at: 'now',
        createdAt: exp.created_at,
      });
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => commitWrites(db, [write(i)])));
    expect(outcomes.filter((o) => o.kind === 'committed')).toHaveLength(1);
    // Each loser sees the export queued already: the domain answers EXPORT_NOT_PENDING for that.
    expect(foundStatuses(outcomes)).toEqual(Array(9).fill('queued'));
    const state = await getDeliveryWithPayload(db, exportRef(exp.id), true);
    expect(state).toMatchObject({ status: 'queued', round: 1 });
  });

  it('ten concurrent leases: exactly one holder; the others see it leased', async () => {
    const exp = await putQueuedExport(db, { accountId: 'acc_1', targetId: 'tgt_1' });
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        takeLease(db, exportRef(exp.id), {
          holder: `m-${i}`,
          leaseId: `l-${i}`,
          nowMs: now,
          leaseMs: 60_000,
        }),
      ),
    );
    const holders = results.flatMap((r) => (r.kind === 'leased' ? [r.record] : []));
    expect(holders).toHaveLength(1);
    // DynamoDB Local returns the item with a refused condition, as DynamoDB does.
    const refused = results.flatMap((r) => (r.kind === 'refused' ? [r.current] : []));
    expect(refused.map((c) => [c?.status, c?.lease_id])).toEqual(
      Array(9).fill(['delivering', holders[0]!.lease_id]),
    );
    const state = await getDeliveryWithPayload(db, exportRef(exp.id), true);
    expect(state?.lease_id).toBe(holders[0]!.lease_id);
    expect(state?.body).toBe(exp.body);
    expect(holders[0]).not.toHaveProperty('body');
  });

  it('a lease of a delivery that does not exist is refused without creating it', async () => {
    const ref = exportRef('exp_000000000000000000000000');
    expect(await takeLease(db, ref, { holder: 'm', leaseId: 'l', nowMs: 1, leaseMs: 1 })).toEqual({
      kind: 'refused',
      current: undefined,
    });
    expect(await getDeliveryWithPayload(db, ref, true)).toBeUndefined();
  });

  it('retry only from failed or blocked, once, with a new round', async () => {
    const exp = await putQueuedExport(db, { accountId: 'acc_1', targetId: 'tgt_1' });
    const requeue = async () => {
      const seen = (await getDeliveryWithPayload(db, exportRef(exp.id), true))?.updated_at as string;
      return requeueExportWrite(db, {
        exportId: exp.id,
        accountId: 'acc_1',
        seenUpdatedAt: seen,
        at: 'now',
        nowMs: Date.now(),
        targetId: 'tgt_1',
        createdAt: exp.created_at,
      });
    };
    // A queued export is not retryable: the write is refused and shows it queued (EXPORT_NOT_RETRYABLE).
    expect(foundStatuses([await commitWrites(db, [await requeue()])])).toEqual(['queued']);
    await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.ticketExport(exp.id),
        UpdateExpression: 'SET #s = :f, attempts = :n',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':f': 'failed', ':n': 4 },
      }),
    );
    const failedWrite = await requeue();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => commitWrites(db, [failedWrite])));
    expect(outcomes.filter((o) => o.kind === 'committed')).toHaveLength(1);
    expect(await getDeliveryWithPayload(db, exportRef(exp.id), true)).toMatchObject({
      status: 'queued',
      round: 2,
      attempts: 0,
    });
    expect(toPage(await listAttempts(db, keys.exportPartition(exp.id), { limit: 5 })).items).toEqual([]);
  });

  it('retry takes a delivering export only once its lease expired, and its old holder can no longer write', async () => {
    const exp = await putQueuedExport(db, { accountId: 'acc_1', targetId: 'tgt_1' });
    const ref = exportRef(exp.id);
    const lease = (expiresAt: number) =>
      db.doc.send(
        new UpdateCommand({
          TableName: db.table,
          Key: keys.ticketExport(exp.id),
          UpdateExpression: 'SET #s = :d, lease_id = :l, lease_holder = :h, lease_expires_at = :e',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':d': 'delivering', ':l': 'lease-1', ':h': 'msg-1', ':e': expiresAt },
        }),
      );
    const requeue = async () => {
      const seen = (await getDeliveryWithPayload(db, ref, true))?.updated_at as string;
      return requeueExportWrite(db, {
        exportId: exp.id,
        accountId: 'acc_1',
        seenUpdatedAt: seen,
        at: new Date().toISOString(),
        nowMs: Date.now(),
        targetId: 'tgt_1',
        createdAt: exp.created_at,
      });
    };
    await lease(Date.now() + 60_000);
    expect(foundStatuses([await commitWrites(db, [await requeue()])])).toEqual(['delivering']);
    await lease(Date.now() - 1);
    expect((await commitWrites(db, [await requeue()])).kind).toBe('committed');
    const after = await getDeliveryWithPayload(db, ref, true);
    expect(after).toMatchObject({ status: 'queued', round: 2, attempts: 0 });
    expect(after).not.toHaveProperty('lease_id');
    expect(after).not.toHaveProperty('lease_expires_at');
  });

  it('concurrent secret rotations: one wins, the others are CONFLICT; the stored secret is the winner', async () => {
    const acc = await createAccount(db, { name: 'A', plan: 'team' });
    const { target } = await createTarget(
      { db, config },
      { accountId: acc.id, plan: 'team' },
      {
        provider_key: 'generic_webhook',
        base_url: 'http://127.0.0.1:9/hook',
        deployment_mode: 'cloud',
        name: 'T',
        events: ['ticket_export'],
      },
    );
    const results = await settle(
      Array.from({ length: 5 }, () => rotateSecret({ db, config }, acc.id, target.id)),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won.length).toBeGreaterThanOrEqual(1);
    expect(codes(results).every((c) => c === 'CONFLICT')).toBe(true);
    const { getTarget } = await import('../../../lib/db/targets-store.ts');
    const { openSigningSecrets } = await import('../../../lib/domain/targets.ts');
    const stored = await getTarget(db, target.id, true);
    expect(stored!.secret_version).toBe(1 + won.length);
    const winners = won.map(
      (r) => (r as PromiseFulfilledResult<{ signingSecret: string }>).value.signingSecret,
    );
    expect(winners).toContain((await openSigningSecrets({ config }, stored!, Date.now())).current);
  });
});
