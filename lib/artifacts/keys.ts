/**
 * Artifact storage keys (S3 object keys, paths under the local folder): relative, of
 * `A-Z a-z 0-9 . _ - /`, without empty, `.` or `..` segments, so no key can leave the store's root.
 * Its own module, so code that only signs URLs (lib/artifacts/presign.ts) carries no S3 client.
 */
export function assertSafeKey(key: string): void {
  const segments = key.split('/');
  if (!/^[A-Za-z0-9._\-/]{1,1024}$/.test(key) || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`unsafe artifact key ${JSON.stringify(key)}`);
  }
}
