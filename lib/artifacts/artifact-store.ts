import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { deleteObjects, listObjectKeys, putObject } from '../aws/s3-objects.ts';
import type { S3Requests } from '../aws/s3-requests.ts';
import type { RuntimeWith } from '../runtime.ts';
import { assertSafeKey } from './keys.ts';

/** Where screenshots, HTML snapshots, temporary scan files and scan reports live: S3 on AWS, a folder locally. */
export interface ArtifactStore {
  /** Deletes every object under a key prefix; returns how many were deleted. Idempotent. */
  deletePrefix(prefix: string): Promise<number>;
  /**
   * Stores a document under a key, replacing what it held (a scan report: the same run always writes
   * the same bytes under the same key, so writing it again is harmless). Readers never see a partial one.
   */
  put(key: string, body: string, contentType: string): Promise<void>;
}

/** Prefixes are storage keys: relative, no `..` (they can never leave the store's root). */
function assertSafePrefix(prefix: string): void {
  if (!/^[A-Za-z0-9._\-/]+\/$/.test(prefix) || prefix.startsWith('/') || prefix.split('/').includes('..')) {
    throw new Error(`unsafe artifact prefix ${JSON.stringify(prefix)}`);
  }
}

export function s3ArtifactStore(s3: S3Requests, bucket: string): ArtifactStore {
  return {
    async deletePrefix(prefix) {
      assertSafePrefix(prefix);
      let deleted = 0;
      let token: string | undefined;
      do {
        const page = await listObjectKeys(s3, bucket, prefix, token);
        if (page.keys.length > 0) {
          const failures = await deleteObjects(s3, bucket, page.keys);
          if (failures.length)
            throw new Error(
              `S3 refused to delete ${failures.length} objects under ${prefix} (${failures[0]?.code})`,
            );
          deleted += page.keys.length;
        }
        token = page.nextToken;
      } while (token);
      return deleted;
    },
    async put(key, body, contentType) {
      assertSafeKey(key);
      await putObject(s3, bucket, key, body, contentType);
    },
  };
}

export function fsArtifactStore(rootDir: string): ArtifactStore {
  const root = resolve(rootDir);
  const countFiles = async (dir: string): Promise<number> => {
    let n = 0;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      n += entry.isDirectory() ? await countFiles(join(dir, entry.name)) : 1;
    }
    return n;
  };
  return {
    async deletePrefix(prefix) {
      assertSafePrefix(prefix);
      const dir = resolve(root, prefix);
      if (!dir.startsWith(root + sep)) throw new Error('artifact prefix escapes the store');
      await mkdir(root, { recursive: true });
      const exists = await stat(dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!exists) return 0;
      const n = await countFiles(dir);
      await rm(dir, { recursive: true, force: true });
      return n;
    },
    async put(key, body) {
      assertSafeKey(key);
      const file = resolve(root, key);
      if (!file.startsWith(root + sep)) throw new Error('artifact key escapes the store');
      await mkdir(dirname(file), { recursive: true });
      // Written beside it, then renamed: a reader sees the old document or the new one, never half.
      const partial = `${file}.${process.pid}.${Date.now()}.partial`;
      await writeFile(partial, body);
      await rename(partial, file);
    },
  };
}

/** The store this process uses: the S3 bucket on AWS, WRO_ARTIFACTS_DIR locally. */
export function artifactStoreFor(rt: RuntimeWith<'s3'>): ArtifactStore {
  if (rt.config.artifactsBucket) return s3ArtifactStore(rt.s3, rt.config.artifactsBucket);
  if (rt.config.artifactsDir) return fsArtifactStore(rt.config.artifactsDir);
  throw new Error(
    'Invalid configuration:\n  WRO_ARTIFACTS_BUCKET or WRO_ARTIFACTS_DIR: one is required here',
  );
}
