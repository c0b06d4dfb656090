import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
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
 * Runs the matching reactions for each stream record, in order. The first record whose reaction fails
 * is reported as a batch item failure, so Lambda (and the local poller) retries from that record on:
 * nothing after a failure is lost, and reactions before it are idempotent.
 */
export async function dispatchStreamEvent(
  event: DynamoDBStreamEvent,
  rt: DispatchRuntime,
  reactions: Reaction[],
): Promise<DynamoDBBatchResponse> {
  for (const record of event.Records) {
    const change = toChange(record);
    if (!change) continue;
    for (const reaction of reactions) {
      if (!reaction.matches(change)) continue;
      try {
        await withLogKeys({ reaction: reaction.name, stream_sequence: record.dynamodb?.SequenceNumber }, () =>
          reaction.run(change, rt),
        );
      } catch (err) {
        logger.error('reaction failed', {
          reaction: reaction.name,
          pk: change.keys.pk,
          error_name: (err as Error).name,
          error_message: (err as Error).message,
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
  }
  return { batchItemFailures: [] };
}
