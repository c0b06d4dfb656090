import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { RuntimeWith } from '../runtime.ts';

/** Where screenshots, HTML snapshots and temporary scan files live: S3 on AWS, a folder locally. */
export interface ArtifactStore {
  /** Deletes every object under a key prefix; returns how many were deleted. Idempotent. */
  deletePrefix(prefix: string): Promise<number>;
}

/** Prefixes are storage keys: relative, no `..` (they can never leave the store's root). */
function assertSafePrefix(prefix: string): void {
  if (!/^[A-Za-z0-9._\-/]+\/$/.test(prefix) || prefix.startsWith('/') || prefix.split('/').includes('..')) {
    throw new Error(`unsafe artifact prefix ${JSON.stringify(prefix)}`);
  }
}

export function s3ArtifactStore(s3: S3Client, bucket: string): ArtifactStore {
  return {
    async deletePrefix(prefix) {
      assertSafePrefix(prefix);
      let deleted = 0;
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        const objects = (page.Contents ?? []).map((o) => ({ Key: o.Key as string }));
        if (objects.length > 0) {
          const res = await s3.send(
            new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }),
          );
          if (res.Errors?.length)
            throw new Error(`S3 refused to delete ${res.Errors.length} objects under ${prefix}`);
          deleted += objects.length;
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return deleted;
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
