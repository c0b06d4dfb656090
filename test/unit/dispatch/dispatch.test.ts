import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Deadline } from '../../../lib/deadline.ts';
import { dispatchStreamEvent, RECORD_START_MARGIN_MS } from '../../../lib/dispatch/dispatch.ts';
import { type DispatchRuntime, type Reaction, reaction } from '../../../lib/dispatch/reaction.ts';

/** Stream records of runs committed as completed (sequence numbers 1…n), and one no reaction wants. */
function event(n: number): DynamoDBStreamEvent {
  const record = (seq: number, status: string) => ({
    eventName: 'MODIFY' as const,
    dynamodb: {
      SequenceNumber: String(seq),
      Keys: marshall({ pk: `SCANRUN#${seq}`, sk: 'SCANRUN' }) as never,
      OldImage: marshall({ status: 'queued' }) as never,
      NewImage: marshall({ id: seq, status }) as never,
    },
  });
  return {
    Records: [record(0, 'queued'), ...Array.from({ length: n }, (_, i) => record(i + 1, 'completed'))],
  } as DynamoDBStreamEvent;
}

/** A reaction on completed runs that records what it ran and spends `ms` of a fake clock each time. */
function recording(ms: number, clock: { now: number }) {
  const ran: { id: number; deadline?: Deadline }[] = [];
  const r: Reaction = reaction({
    name: 'test',
    on: { sk: 'SCANRUN', statusChangedTo: 'completed' },
    async run(change, _rt, deadline) {
      ran.push({ id: Number(change.newImage?.id), deadline });
      clock.now += ms;
    },
  });
  return { r, ran };
}

const rt = {} as DispatchRuntime;

describe('dispatchStreamEvent and the invocation deadline', () => {
  it('starts a record only with the margin left, and hands the rest back from the first unstarted one', async () => {
    const clock = { now: 0 };
    const timeout = 60_000;
    const deadline = { remainingMs: () => timeout - clock.now };
    const { r, ran } = recording(15_000, clock);
    const out = await dispatchStreamEvent(event(5), rt, [r], deadline);
    // 0 s, 15 s, 30 s started (45 s, 30 s, … left); at 45 s only 15 s are left: record 4 goes back.
    expect(ran.map((x) => x.id)).toEqual([1, 2, 3]);
    expect(timeout - 3 * 15_000).toBeLessThan(RECORD_START_MARGIN_MS);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: '4' }] });
    expect(ran[0]?.deadline).toBe(deadline);
  });

  it('always starts the first record a reaction wants, however little time is left', async () => {
    const clock = { now: 0 };
    const { r, ran } = recording(1, clock);
    const out = await dispatchStreamEvent(event(2), rt, [r], { remainingMs: () => 1_000 });
    expect(ran.map((x) => x.id)).toEqual([1]);
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it('without a deadline (the local stack) runs every record', async () => {
    const clock = { now: 0 };
    const { r, ran } = recording(60_000, clock);
    expect(await dispatchStreamEvent(event(4), rt, [r])).toEqual({ batchItemFailures: [] });
    expect(ran.map((x) => x.id)).toEqual([1, 2, 3, 4]);
  });
});
