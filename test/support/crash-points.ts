import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import type { Config } from '../../lib/config.ts';
import { createDocumentClient } from '../../lib/db/client.ts';
import { createRuntime, type Runtime } from '../../lib/runtime.ts';

/** DynamoDB operations that change state: where a crash can fall between two of them. */
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
]);

export class ProcessCrashed extends Error {
  override name = 'ProcessCrashed';
}

export interface CrashPoint {
  /** 1-based: the n-th write the request makes. */
  write: number;
  /** Die before the write is sent, or right after DynamoDB applied it (before the caller sees it). */
  when: 'before' | 'after';
  /**
   * The process lives on: only this write's answer is lost (a dropped connection, a timeout after
   * DynamoDB applied it); everything after it, the error handling included, runs normally.
   */
  survive?: boolean;
}

/**
 * A runtime whose DynamoDB client "dies" at a crash point: an SDK middleware counts the writes and, at
 * the chosen one, throws before sending it or after it was applied; from then on every call of that
 * client fails, as nothing more happens in a killed process (no claim release, no completion). With no
 * crash point it only counts.
 */
export function crashingRuntime(config: Config, point?: CrashPoint, extra: Partial<Runtime> = {}) {
  const client = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  let writes = 0;
  let dead = false;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (dead) throw new ProcessCrashed('the process is gone');
      if (WRITES.has(context.commandName ?? '')) {
        writes++;
        if (point && writes === point.write) {
          dead = !point.survive;
          if (point.when === 'after') await next(args);
          throw new ProcessCrashed(`crashed ${point.when} write ${point.write} (${context.commandName})`);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'crashPoint' },
  );
  const rt: Runtime = {
    ...createRuntime(config),
    db: { doc: createDocumentClient(client), table: config.tableName },
    ...extra,
  };
  return {
    rt,
    writes: () => writes,
    crashed: () => dead || (point?.survive === true && writes >= point.write),
  };
}
