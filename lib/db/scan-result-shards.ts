import { createHash } from 'node:crypto';

/**
 * How a postback's pages and issues are spread over partitions (docs/scanner-results.md, "Storage with
 * exactly-once effect"). One partition takes about 1,000 write units a second; a large postback is
 * spread over S shards so that no partition gets more than WU_PER_SHARD of its writes (about 2 s of
 * them). S is a pure function of the stored items, so a retried identical postback rewrites exactly the
 * same keys; S = 1 is the run's own partition alone, as before sharding.
 */
export const WU_PER_SHARD = 2_000;
export const MAX_SHARDS = 32;

/** Write units of one item, estimated: 1 per started KB of its JSON's UTF-8 length, at least 1. */
export function estimatedWriteUnits(item: Record<string, unknown>): number {
  return Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(item)) / 1024));
}

/** The shard count for these items: ceil(total write units / WU_PER_SHARD), between 1 and MAX_SHARDS. */
export function shardCount(items: Record<string, unknown>[]): number {
  let units = 0;
  for (const item of items) units += estimatedWriteUnits(item);
  return Math.min(MAX_SHARDS, Math.max(1, Math.ceil(units / WU_PER_SHARD)));
}

/** Page `index` goes to shard index mod S: any run of consecutive pages is spread evenly. */
export const pageShard = (index: number, shards: number): number => index % shards;

/** An issue goes to shard hash(fingerprint) mod S (first 4 bytes of its SHA-256), so a reader can find it. */
export function issueShard(fingerprint: string, shards: number): number {
  if (shards <= 1) return 0;
  return createHash('sha256').update(fingerprint).digest().readUInt32BE(0) % shards;
}
