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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsArtifactStore, s3ArtifactStore } from '../../../lib/artifacts/artifact-store.ts';
import { s3Requests } from '../../../lib/aws/s3-requests.ts';
import { type FakeS3, startFakeS3 } from '../../support/fake-s3.ts';

let s3: FakeS3;
beforeAll(async () => {
  s3 = await startFakeS3();
});
afterAll(() => s3.close());
const requests = () =>
  s3Requests({ endpoint: s3.endpoint, region: s3.region, credentials: async () => s3.credentials }, {});

describe('artifact stores', () => {
  it('S3: deletes every object under the prefix over pages of 1,000, and nothing else', async () => {
    const objects = s3.objects('bucket');
    for (let i = 0; i < 1001; i++)
      objects.set(`tmp/scan-runs/7/${String(i).padStart(4, '0')}.png`, { body: Buffer.from('x') });
    objects.set('tmp/scan-runs/70/other.png', { body: Buffer.from('x') });
    objects.set('reports/scan-runs/7/report.json', { body: Buffer.from('x') });
    s3.requests.length = 0;
    const r = requests();
    const store = s3ArtifactStore(r, 'bucket');
    expect(await store.deletePrefix('tmp/scan-runs/7/')).toBe(1001);
    expect([...objects.keys()].sort()).toEqual([
      'reports/scan-runs/7/report.json',
      'tmp/scan-runs/70/other.png',
    ]);
    expect(s3.requests.map((q) => q.op)).toEqual([
      'ListObjectsV2',
      'DeleteObjects',
      'ListObjectsV2',
      'DeleteObjects',
    ]);
    expect(await store.deletePrefix('tmp/scan-runs/7/')).toBe(0);
    await expect(store.deletePrefix('../etc/')).rejects.toThrow(/unsafe/);
    r.destroy();
  });

  it('S3: a key it could not delete fails the call (the reaction is retried), naming the code', async () => {
    const objects = s3.objects('bucket');
    objects.set('tmp/scan-runs/8/a.png', { body: Buffer.from('x') });
    objects.set('tmp/scan-runs/8/b.png', { body: Buffer.from('x') });
    s3.refuseDelete.add('tmp/scan-runs/8/b.png');
    const r = requests();
    await expect(s3ArtifactStore(r, 'bucket').deletePrefix('tmp/scan-runs/8/')).rejects.toThrow(
      'S3 refused to delete 1 objects under tmp/scan-runs/8/ (AccessDenied)',
    );
    s3.refuseDelete.clear();
    expect(await s3ArtifactStore(r, 'bucket').deletePrefix('tmp/scan-runs/8/')).toBe(1);
    r.destroy();
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
    const r = requests();
    const store = s3ArtifactStore(r, 'bucket');
    await store.put('reports/scan-runs/7/report.sarif', '{"a":"ü"}', 'application/sarif+json');
    const stored = s3.objects('bucket').get('reports/scan-runs/7/report.sarif');
    expect(stored?.body.toString('utf8')).toBe('{"a":"ü"}');
    expect(stored?.contentType).toBe('application/sarif+json');
    const before = s3.requests.length;
    for (const key of ['../x', '/abs', 'a//b', 'a/./b', 'a b', ''])
      await expect(store.put(key, 'x', 'text/plain'), key).rejects.toThrow(/unsafe/);
    expect(s3.requests.length).toBe(before);
    r.destroy();
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
