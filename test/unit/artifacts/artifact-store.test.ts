import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { fsArtifactStore, s3ArtifactStore } from '../../../lib/artifacts/artifact-store.ts';

describe('artifact stores', () => {
  it('S3: lists the prefix page by page and deletes what it finds', async () => {
    const s3 = new S3Client({ region: 'us-east-1' });
    const mock = mockClient(s3);
    mock
      .on(ListObjectsV2Command)
      .resolvesOnce({
        Contents: [{ Key: 'tmp/scan-runs/7/a' }, { Key: 'tmp/scan-runs/7/b' }],
        IsTruncated: true,
        NextContinuationToken: 'n',
      })
      .resolvesOnce({ Contents: [{ Key: 'tmp/scan-runs/7/c' }], IsTruncated: false });
    mock.on(DeleteObjectsCommand).resolves({});
    expect(await s3ArtifactStore(s3, 'bucket').deletePrefix('tmp/scan-runs/7/')).toBe(3);
    expect(mock.commandCalls(ListObjectsV2Command)[1]!.args[0].input.ContinuationToken).toBe('n');
    await expect(s3ArtifactStore(s3, 'bucket').deletePrefix('../etc/')).rejects.toThrow(/unsafe/);
  });

  it('filesystem: deletes the prefix folder only, and refuses to leave the root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wro-art-'));
    mkdirSync(join(root, 'tmp/scan-runs/7/sub'), { recursive: true });
    writeFileSync(join(root, 'tmp/scan-runs/7/a.png'), 'x');
    writeFileSync(join(root, 'tmp/scan-runs/7/sub/b.html'), 'x');
    mkdirSync(join(root, 'artifacts'));
    writeFileSync(join(root, 'artifacts/keep.png'), 'x');
    try {
      const store = fsArtifactStore(root);
      expect(await store.deletePrefix('tmp/scan-runs/7/')).toBe(2);
      expect(await store.deletePrefix('tmp/scan-runs/7/')).toBe(0);
      expect(existsSync(join(root, 'artifacts/keep.png'))).toBe(true);
      await expect(store.deletePrefix('tmp/../../')).rejects.toThrow(/unsafe/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('S3: puts a document with its content type, under a safe key only', async () => {
    const s3 = new S3Client({ region: 'us-east-1' });
    const mock = mockClient(s3);
    mock.on(PutObjectCommand).resolves({});
    await s3ArtifactStore(s3, 'bucket').put(
      'reports/scan-runs/7/report.sarif',
      '{"a":1}',
      'application/sarif+json',
    );
    expect(mock.commandCalls(PutObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: 'bucket',
      Key: 'reports/scan-runs/7/report.sarif',
      Body: '{"a":1}',
      ContentType: 'application/sarif+json',
    });
    for (const key of ['../x', '/abs', 'a//b', 'a/./b', 'a b', ''])
      await expect(s3ArtifactStore(s3, 'bucket').put(key, 'x', 'text/plain'), key).rejects.toThrow(/unsafe/);
  });

  it('filesystem: puts a document (replacing one), leaving no partial file, never outside the root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wro-art-'));
    try {
      const store = fsArtifactStore(root);
      await store.put('reports/scan-runs/7/report.json', 'first', 'application/json');
      await store.put('reports/scan-runs/7/report.json', 'ünïcødé second', 'application/json');
      expect(readFileSync(join(root, 'reports/scan-runs/7/report.json'), 'utf8')).toBe('ünïcødé second');
      expect(readdirSync(join(root, 'reports/scan-runs/7'))).toEqual(['report.json']);
      await expect(store.put('../escape.json', 'x', 'application/json')).rejects.toThrow(/unsafe/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
