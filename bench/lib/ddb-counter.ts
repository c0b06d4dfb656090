import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Exact DynamoDB request and write-unit counts, taken from the SDK's middleware stack (not estimated). */
export interface DdbCounts {
  requests: number;
  byCommand: Record<string, number>;
  /** Requests by the item type they touch (the pk prefix: IDEMPOTENCY, RATELIMIT, TOKEN, …). */
  byItemType: Record<string, number>;
  /** Write capacity units DynamoDB reported (ReturnConsumedCapacity: TOTAL is added to every request). */
  writeUnits: number;
  readUnits: number;
  /** Wall time spent in the requests, summed (they may overlap when requests run concurrently). */
  requestMs: number;
  /** Start and end of every request (performance.now()), for the sequential round trips. */
  spans: { start: number; end: number }[];
}

/**
 * Sequential round trips: the longest chain of requests each of which started only after the one
 * before it had answered. Requests in flight together count once.
 */
export function sequentialRoundTrips(counts: DdbCounts): number {
  const spans = [...counts.spans].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  spans.forEach((s, i) => {
    let d = 1;
    for (let j = 0; j < i; j++)
      if ((spans[j] as { end: number }).end <= s.start) d = Math.max(d, (depth[j] as number) + 1);
    depth.push(d);
  });
  return Math.max(0, ...depth);
}

export function emptyCounts(): DdbCounts {
  return { requests: 0, byCommand: {}, byItemType: {}, writeUnits: 0, readUnits: 0, requestMs: 0, spans: [] };
}

type Capacity = { CapacityUnits?: number; WriteCapacityUnits?: number; ReadCapacityUnits?: number };

/**
 * Adds a counting middleware to a document client (idempotent per client). Every request asks DynamoDB
 * for its consumed capacity, so write units are DynamoDB's own figures. `latencyMs` adds that much to
 * every request before it is sent.
 */
export function countDynamoDbRequests(
  doc: DynamoDBDocumentClient,
  counts: DdbCounts,
  opts: { latencyMs?: number } = {},
): () => void {
  const name = `bench-counter-${Math.random()}`;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      if (!('ReturnConsumedCapacity' in input)) input.ReturnConsumedCapacity = 'TOTAL';
      const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counts.requests++;
      counts.byCommand[command] = (counts.byCommand[command] ?? 0) + 1;
      const pk = ((input.Key ?? input.Item) as { pk?: unknown } | undefined)?.pk;
      const itemType = typeof pk === 'string' ? (pk.split('#')[0] as string) : command;
      counts.byItemType[itemType] = (counts.byItemType[itemType] ?? 0) + 1;
      const started = performance.now();
      // A latency-injected stand-in: DynamoDB Local answers in well under AWS's few milliseconds and
      // serialises concurrent requests, which hides round trips that AWS would make visible.
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
      const result = await next(args);
      counts.requestMs += performance.now() - started;
      counts.spans.push({ start: started, end: performance.now() });
      const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] };
      for (const c of [output.ConsumedCapacity ?? []].flat()) {
        counts.writeUnits += c.WriteCapacityUnits ?? 0;
        counts.readUnits += c.ReadCapacityUnits ?? 0;
        if (c.WriteCapacityUnits === undefined && c.ReadCapacityUnits === undefined) {
          const writes = /Put|Update|Delete|BatchWrite|TransactWrite/.test(command);
          if (writes) counts.writeUnits += c.CapacityUnits ?? 0;
          else counts.readUnits += c.CapacityUnits ?? 0;
        }
      }
      return result;
    },
    { step: 'initialize', name },
  );
  return () => doc.middlewareStack.remove(name);
}
