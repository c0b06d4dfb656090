import {
  DynamoDBClient,
  DynamoDBServiceException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { attemptOutcomeBatch } from '../../../lib/db/attempt-outcome-batch.ts';
import type { Db } from '../../../lib/db/client.ts';
import type { AttemptCompletion, AttemptLogItem, NextState } from '../../../lib/db/deliveries-store.ts';
import type { TransactItem } from '../../../lib/db/dynamo.ts';
import { keys } from '../../../lib/db/keys.ts';
import { exportRef } from '../../../lib/db/ticket-exports-store.ts';

/**
 * The batch's shared outcome transaction against a stub table: who waits for whom, how a refusal of
 * one member reaches only that member, and how entries that touch one item are kept apart.
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const db: Db = { doc, table: 't' };

const log: AttemptLogItem = {
  round: 1,
  attempt: 1,
  at: 'now',
  outcome: 'delivered',
  status_code: 204,
  duration_ms: 3,
  error_class: null,
  retry_after_seconds: null,
  response_body: null,
};
const next: NextState = {
  status: 'exported',
  attempts: 1,
  retry_after_seconds: null,
  next_attempt_at: null,
  next_attempt_ms: null,
  last_error_class: null,
  last_status_code: 204,
  failure_reason: null,
  blocked_reason: null,
  delivered_at: 'now',
};
const ref = (i: number) => exportRef(`exp_${String(i).padStart(24, '0')}`);
const outcome = (i: number, extra?: TransactItem[]): AttemptCompletion => ({
  leaseId: `lease-${i}`,
  seq: 1,
  log,
  next,
  at: 'now',
  extra,
});
const targetUpdate = (targetId: string): TransactItem => ({
  Update: {
    TableName: 't',
    Key: keys.target(targetId),
    UpdateExpression: 'SET failing_last_ms = :last',
    ExpressionAttributeValues: { ':last': 1 },
  },
});
const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const transactions = () =>
  ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input as { TransactItems: TransactItem[] });
const leasesOf = (t: { TransactItems: TransactItem[] }) =>
  t.TransactItems.flatMap((e) => {
    const lease = e.Update?.ExpressionAttributeValues?.[':lease'];
    return lease ? [lease] : [];
  });
const tick = () => new Promise((r) => setTimeout(r, 5));

beforeEach(() => {
  ddb.reset();
  ddb.on(TransactWriteCommand).resolves({});
});

describe('the outcomes of one SQS batch', () => {
  it('go in one transaction once every member has written or left', async () => {
    const members = attemptOutcomeBatch(db, 4);
    const written = [0, 1, 2].map((i) => members[i]!.writer.complete(ref(i), outcome(i)));
    await tick();
    // The fourth member is still sending: nothing is written yet.
    expect(transactions()).toHaveLength(0);
    members[3]!.leave();
    expect(await Promise.all(written)).toEqual([true, true, true]);
    expect(transactions()).toHaveLength(1);
    const [t] = transactions();
    expect(leasesOf(t!)).toEqual(['lease-0', 'lease-1', 'lease-2']);
    // Each member's state (guarded by its lease) and its attempt log item.
    expect(t!.TransactItems).toHaveLength(6);
    expect(t!.TransactItems[0]!.Update!.ConditionExpression).toBe(
      '#status = :delivering AND lease_id = :lease',
    );
    expect(t!.TransactItems[1]!.Put!.Item).toMatchObject({ pk: ref(0).partition, sk: 'ATTEMPT#000001' });
  });

  it('a member that leaves after the others wrote releases them; leaving twice changes nothing', async () => {
    const members = attemptOutcomeBatch(db, 3);
    members[0]!.leave();
    members[0]!.leave();
    const written = members[1]!.writer.complete(ref(1), outcome(1));
    await tick();
    expect(transactions()).toHaveLength(0);
    members[2]!.leave();
    expect(await written).toBe(true);
    expect(transactions()).toHaveLength(1);
  });

  it('a lone member commits as its own attempt does, with its lease id as the token', async () => {
    const [member] = attemptOutcomeBatch(db, 1);
    expect(await member!.writer.complete(ref(0), outcome(0))).toBe(true);
    expect((transactions()[0] as { ClientRequestToken?: string }).ClientRequestToken).toBe('lease-0');
  });

  it('the same members give the same token (an SDK retry of a committed transaction is recognised)', async () => {
    const tokens: unknown[] = [];
    for (let round = 0; round < 2; round++) {
      ddb.reset();
      ddb.on(TransactWriteCommand).resolves({});
      const members = attemptOutcomeBatch(db, 2);
      await Promise.all(members.map((m, i) => m.writer.complete(ref(i), outcome(i))));
      tokens.push((transactions()[0] as { ClientRequestToken?: string }).ClientRequestToken);
    }
    expect(tokens[0]).toBe(tokens[1]);
    expect(String(tokens[0]).length).toBeLessThanOrEqual(36);
    expect(tokens[0]).not.toBe('lease-0');
  });

  it('a member whose lease was lost is told so; the others commit again without it', async () => {
    // Member 1's state entry (entry 2) fails its lease condition; nothing of the three was written.
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'None', 'ConditionalCheckFailed', 'None', 'None', 'None']))
      .resolves({});
    const members = attemptOutcomeBatch(db, 3);
    const written = await Promise.all(members.map((m, i) => m.writer.complete(ref(i), outcome(i))));
    expect(written).toEqual([true, false, true]);
    expect(transactions().map(leasesOf)).toEqual([
      ['lease-0', 'lease-1', 'lease-2'],
      ['lease-0', 'lease-2'],
    ]);
  });

  it('a refused entry that is not a lease fails only its member', async () => {
    // Member 0's extra entry (the target's disable, entry 2) fails: a bug, reported to that member.
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'None', 'ConditionalCheckFailed', 'None', 'None']))
      .resolves({});
    const members = attemptOutcomeBatch(db, 2);
    const written = members.map((m, i) =>
      m.writer.complete(ref(i), outcome(i, i === 0 ? [targetUpdate('tgt_a')] : undefined)),
    );
    await expect(written[0]).rejects.toThrow(/refused by entry 2/);
    expect(await written[1]).toBe(true);
    expect(transactions().map(leasesOf)).toEqual([['lease-0', 'lease-1'], ['lease-1']]);
  });

  it('members whose entries touch the same item are written in separate transactions', async () => {
    const members = attemptOutcomeBatch(db, 4);
    const written = await Promise.all(
      members.map((m, i) =>
        m.writer.complete(ref(i), outcome(i, i < 3 ? [targetUpdate('tgt_a')] : undefined)),
      ),
    );
    expect(written).toEqual([true, true, true, true]);
    // A transaction may touch an item once: the three updates of tgt_a go apart, member 3 rides along.
    expect(transactions().map(leasesOf)).toEqual([['lease-0', 'lease-3'], ['lease-1'], ['lease-2']]);
    for (const t of transactions()) {
      const onTarget = t.TransactItems.filter((e) => e.Update?.Key?.pk === keys.target('tgt_a').pk);
      expect(onTarget.length).toBeLessThanOrEqual(1);
    }
  });

  it('commits transactions that share an item one after another, never two at once', async () => {
    let inFlight = 0;
    let most = 0;
    ddb.on(TransactWriteCommand).callsFake(async () => {
      most = Math.max(most, ++inFlight);
      await tick();
      inFlight--;
      return {};
    });
    const members = attemptOutcomeBatch(db, 3);
    const written = await Promise.all(
      members.map((m, i) => m.writer.complete(ref(i), outcome(i, [targetUpdate('tgt_a')]))),
    );
    expect(written).toEqual([true, true, true]);
    expect(transactions()).toHaveLength(3);
    expect(most).toBe(1);
  });

  it('a request refused as invalid is retried member by member, so it fails only the member it is about', async () => {
    const invalid = () =>
      new DynamoDBServiceException({
        name: 'ValidationException',
        $fault: 'client',
        $metadata: {},
        message: 'Item size has exceeded the maximum allowed size',
      });
    ddb.on(TransactWriteCommand).callsFake((input: { TransactItems: TransactItem[] }) => {
      if (leasesOf(input).includes('lease-1')) throw invalid();
      return {};
    });
    const members = attemptOutcomeBatch(db, 3);
    const written = members.map((m, i) => m.writer.complete(ref(i), outcome(i)));
    await expect(written[1]).rejects.toThrow(/maximum allowed size/);
    expect(await written[0]).toBe(true);
    expect(await written[2]).toBe(true);
    expect(transactions().map(leasesOf)).toEqual([
      ['lease-0', 'lease-1', 'lease-2'],
      ['lease-0'],
      ['lease-1'],
      ['lease-2'],
    ]);
  });

  it('holds at most 100 entries per transaction', async () => {
    const members = attemptOutcomeBatch(db, 60);
    const written = await Promise.all(members.map((m, i) => m.writer.complete(ref(i), outcome(i))));
    expect(written.every(Boolean)).toBe(true);
    expect(transactions().map((t) => t.TransactItems.length)).toEqual([100, 20]);
  });

  it('an error that is not a condition (retries exhausted) reaches every member of the transaction', async () => {
    ddb.on(TransactWriteCommand).rejects(new Error('socket hang up'));
    const members = attemptOutcomeBatch(db, 2);
    const written = members.map((m, i) => m.writer.complete(ref(i), outcome(i)));
    await expect(written[0]).rejects.toThrow('socket hang up');
    await expect(written[1]).rejects.toThrow('socket hang up');
  });

  it('a member writes one outcome', async () => {
    const members = attemptOutcomeBatch(db, 2);
    members[1]!.leave();
    expect(await members[0]!.writer.complete(ref(0), outcome(0))).toBe(true);
    await expect(members[0]!.writer.complete(ref(0), outcome(0))).rejects.toThrow(/writes one outcome/);
    await expect(members[1]!.writer.complete(ref(1), outcome(1))).rejects.toThrow(/none once it has left/);
  });
});
