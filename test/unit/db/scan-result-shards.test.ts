import { describe, expect, it } from 'vitest';
import {
  estimatedWriteUnits,
  issueShard,
  MAX_SHARDS,
  pageShard,
  shardCount,
  WU_PER_SHARD,
} from '../../../lib/db/scan-result-shards.ts';

const small = (n: number) => Array.from({ length: n }, (_, i) => ({ sk: `PAGE#i#${i}` }));
const sized = (bytes: number) => ({ sk: 'x', v: 'a'.repeat(bytes - 17) }); // {"sk":"x","v":""} is 17 bytes

describe('write units of an item', () => {
  it('1 per started KB of its JSON in UTF-8, at least 1', () => {
    expect(estimatedWriteUnits({})).toBe(1);
    expect(estimatedWriteUnits(sized(1024))).toBe(1);
    expect(estimatedWriteUnits(sized(1025))).toBe(2);
    expect(estimatedWriteUnits(sized(100 * 1024))).toBe(100);
    expect(estimatedWriteUnits({ v: '😀'.repeat(256) })).toBe(2); // 4 bytes each: 1,024 + the JSON around
  });
});

describe('shard count of a postback', () => {
  it('is 1 for small postbacks, with no items too', () => {
    expect(shardCount([])).toBe(1);
    expect(shardCount(small(1))).toBe(1);
    expect(shardCount(small(WU_PER_SHARD))).toBe(1);
  });

  it('grows by one per WU_PER_SHARD write units', () => {
    expect(shardCount(small(WU_PER_SHARD + 1))).toBe(2);
    expect(shardCount(small(10_000))).toBe(5);
    expect(shardCount(Array.from({ length: 100 }, () => sized(50 * 1024)))).toBe(3); // 5,000 units
  });

  it('is capped at MAX_SHARDS, and the same for the same items', () => {
    expect(shardCount(small(WU_PER_SHARD * MAX_SHARDS))).toBe(MAX_SHARDS);
    expect(shardCount(small(WU_PER_SHARD * MAX_SHARDS * 3))).toBe(MAX_SHARDS);
    expect(shardCount(small(12_345))).toBe(shardCount(small(12_345)));
  });
});

describe('shard of a page and of an issue', () => {
  it('pages go round the shards by index', () => {
    expect(Array.from({ length: 7 }, (_, i) => pageShard(i, 3))).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(pageShard(4999, 1)).toBe(0);
  });

  it('issues by a hash of the fingerprint: fixed, in range, spread evenly', () => {
    const fps = Array.from({ length: 3200 }, (_, i) => `fp-${String(i).padStart(6, '0')}`);
    expect(issueShard('fp-000001', 1)).toBe(0);
    // The first 4 bytes of SHA-256, mod S: a value any reader can compute again.
    expect(issueShard('fp-000001', 32)).toBe(issueShard('fp-000001', 32));
    expect(issueShard('missing-csrf-token:login-form', 7)).toBe(2); // stored items depend on it
    const perShard = new Array(32).fill(0);
    for (const fp of fps) {
      const shard = issueShard(fp, 32);
      expect(Number.isInteger(shard) && shard >= 0 && shard < 32).toBe(true);
      perShard[shard]++;
    }
    // 100 per shard expected; a fixed sample, so fixed counts, all near it.
    expect(Math.min(...perShard)).toBeGreaterThan(60);
    expect(Math.max(...perShard)).toBeLessThan(140);
  });
});
