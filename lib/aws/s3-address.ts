/** RFC 3986 percent-encoding, as SigV4 wants it (every character but `A-Z a-z 0-9 - . _ ~`). */
export const encodeRfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Where an S3 object is addressed, or its bucket without a key: virtual-hosted on AWS
 * (`<bucket>.s3.<region>.amazonaws.com`), path style on an explicit endpoint (AWS_ENDPOINT_URL_S3).
 * The key's segments are encoded one by one, as S3 signs them. Both presigned URLs
 * (lib/artifacts/presign.ts) and signed requests (lib/aws/s3-requests.ts) are addressed this way.
 */
export function s3Address(input: {
  bucket: string;
  key?: string;
  region: string;
  endpoint?: string;
  /** e.g. `s3.amazonaws.com` for the legacy global endpoint (the AWS documentation's example). */
  host?: string;
}): { origin: URL; path: string } {
  const keyPath = input.key === undefined ? '' : input.key.split('/').map(encodeRfc3986).join('/');
  if (input.endpoint) {
    const base = new URL(input.endpoint);
    return {
      origin: new URL(`${base.protocol}//${base.host}`),
      path: `${base.pathname.replace(/\/$/, '')}/${encodeRfc3986(input.bucket)}/${keyPath}`,
    };
  }
  return {
    origin: new URL(`https://${input.bucket}.${input.host ?? `s3.${input.region}.amazonaws.com`}`),
    path: `/${keyPath}`,
  };
}
