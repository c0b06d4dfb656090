import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { type Deadline, NO_DEADLINE } from '../deadline.ts';
import { logger, withLogKeys } from '../logger.ts';
import type { DispatchRuntime, ItemChange, Reaction } from './reaction.ts';

/** A stream record as the reactions see it (unmarshalled keys and images); undefined without keys. */
export function toChange(record: DynamoDBStreamEvent['Records'][number]): ItemChange | undefined {
  const d = record.dynamodb;
  if (!d?.Keys || !record.eventName) return undefined;
  const img = (x: unknown) => (x ? unmarshall(x as Record<string, AttributeValue>) : undefined);
  const keys = img(d.Keys) as { pk: string; sk: string };
  return { eventName: record.eventName, keys, oldImage: img(d.OldImage), newImage: img(d.NewImage) };
}

/**
 * A record is started only with this much of the invocation left (the first of a batch always is):
 * the rest of the batch is handed back for the next invocation instead of being cut off by the
 * timeout halfway through a long reaction.
 */
export const RECORD_START_MARGIN_MS = 20_000;

/**
 * Runs the matching reactions for each stream record, in order. The first record whose reaction fails
 * is reported as a batch item failure, so Lambda (and the local poller) retries from that record on:
 * nothing after a failure is lost, and reactions before it are idempotent. Past the start margin,
 * the next record is reported the same way, unstarted.
 */
export async function dispatchStreamEvent(
  event: DynamoDBStreamEvent,
  rt: DispatchRuntime,
  reactions: Reaction[],
  deadline: Deadline = NO_DEADLINE,
): Promise<DynamoDBBatchResponse> {
  let started = 0;
  for (const record of event.Records) {
    const change = toChange(record);
    if (!change) continue;
    const due = reactions.filter((r) => r.matches(change));
    if (!due.length) continue;
    const failed = { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    if (started++ > 0 && deadline.remainingMs() < RECORD_START_MARGIN_MS) {
      logger.info('records handed back at the deadline', {
        pk: change.keys.pk,
        remaining_ms: deadline.remainingMs(),
      });
      return failed;
    }
    for (const reaction of due) {
      try {
        await withLogKeys({ reaction: reaction.name, stream_sequence: record.dynamodb?.SequenceNumber }, () =>
          reaction.run(change, rt, deadline),
        );
      } catch (err) {
        logger.error('reaction failed', {
          reaction: reaction.name,
          pk: change.keys.pk,
          error_name: (err as Error).name,
          error_message: (err as Error).message,
        });
        return failed;
      }
    }
  }
  return { batchItemFailures: [] };
}
