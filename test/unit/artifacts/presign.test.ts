import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import {
  presignArtifactGet,
  presignLocalGet,
  presignS3Get,
  verifyLocalGet,
} from '../../../lib/artifacts/presign.ts';
import { parseConfig } from '../../../lib/config.ts';

const AWS_EXAMPLE = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};

describe('presignS3Get (AWS Signature Version 4, query string)', () => {
  it("matches the AWS documentation's presigned GET example byte for byte", () => {
    // Amazon S3 API reference, "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)".
    const url = presignS3Get({
      bucket: 'examplebucket',
      host: 's3.amazonaws.com',
      key: 'test.txt',
      region: 'us-east-1',
      credentials: AWS_EXAMPLE,
      expiresInSeconds: 86400,
      now: new Date('2013-05-24T00:00:00Z'),
    });
    expect(url).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
        '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
        '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  it('signs the session token and the response content type, on the regional or an explicit endpoint', () => {
    const base = {
      bucket: 'wro-artifacts',
      key: 'reports/scan-runs/12/report.sarif',
      region: 'eu-west-1',
      credentials: { ...AWS_EXAMPLE, sessionToken: 'tok/en+=' },
      expiresInSeconds: 300,
      now: new Date('2026-01-02T03:04:05Z'),
      query: { 'response-content-type': 'application/sarif+json' },
    };
    const url = new URL(presignS3Get(base));
    expect(url.origin).toBe('https://wro-artifacts.s3.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/reports/scan-runs/12/report.sarif');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('tok/en+=');
    expect(url.searchParams.get('response-content-type')).toBe('application/sarif+json');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    const other = new URL(presignS3Get({ ...base, query: { 'response-content-type': 'application/json' } }));
    expect(other.searchParams.get('X-Amz-Signature')).not.toBe(url.searchParams.get('X-Amz-Signature'));
    const local = new URL(presignS3Get({ ...base, endpoint: 'http://127.0.0.1:4566' }));
    expect(`${local.origin}${local.pathname}`).toBe(
      'http://127.0.0.1:4566/wro-artifacts/reports/scan-runs/12/report.sarif',
    );
  });

  it("gives the AWS SDK's own SigV4 presigner's signature, with a session token, a response type and odd keys", async () => {
    // The SDK's signer (@smithy/signature-v4, what @aws-sdk/s3-request-presigner uses), as a second,
    // independent implementation: same URL parameters, same signature, for keys that need encoding.
    class Sha256 {
      readonly #h;
      constructor(secret?: Uint8Array | ArrayBuffer | string) {
        this.#h =
          secret === undefined
            ? createHash('sha256')
            : createHmac('sha256', typeof secret === 'string' ? secret : new Uint8Array(secret));
      }
      update(data: Uint8Array | string) {
        this.#h.update(data);
      }
      reset() {}
      async digest() {
        return new Uint8Array(this.#h.digest());
      }
    }
    const credentials = { ...AWS_EXAMPLE, sessionToken: 'IQoJb3JpZ2luX2VjE/session+token==' };
    const now = new Date('2026-03-04T05:06:07Z');
    const signer = new SignatureV4({
      service: 's3',
      region: 'eu-central-1',
      credentials,
      sha256: Sha256 as unknown as ConstructorParameters<typeof SignatureV4>[0]['sha256'],
      uriEscapePath: false,
      applyChecksum: false,
    });
    for (const key of ['reports/scan-runs/7/report.sarif', 'reports/a b/ü+%2F(1)!*.json']) {
      const ours = new URL(
        presignS3Get({
          bucket: 'wro-artifacts',
          key,
          region: 'eu-central-1',
          credentials,
          expiresInSeconds: 300,
          now,
          query: { 'response-content-type': 'application/sarif+json' },
        }),
      );
      const signed = await signer.presign(
        {
          method: 'GET',
          protocol: 'https:',
          hostname: ours.hostname,
          path: ours.pathname,
          query: { 'response-content-type': 'application/sarif+json' },
          // As @aws-sdk/s3-request-presigner asks for it: an unsigned payload, its header neither signed nor in the URL.
          headers: { host: ours.hostname, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        },
        {
          signingDate: now,
          expiresIn: 300,
          unsignableHeaders: new Set(['x-amz-content-sha256']),
          unhoistableHeaders: new Set(['x-amz-content-sha256']),
        },
      );
      expect(ours.searchParams.get('X-Amz-Signature')).toBe(signed.query?.['X-Amz-Signature']);
      for (const [name, value] of Object.entries(signed.query ?? {}))
        expect(ours.searchParams.get(name)).toBe(value);
    }
  });

  it('presignArtifactGet: S3 with the environment credentials when a bucket is configured', () => {
    const config = parseConfig({ WRO_TABLE_NAME: 'tbl', WRO_ARTIFACTS_BUCKET: 'wro-artifacts' });
    const url = new URL(
      presignArtifactGet(
        config,
        { key: 'reports/scan-runs/1/report.json', contentType: 'application/json', expiresInSeconds: 300 },
        {
          AWS_REGION: 'eu-west-1',
          AWS_ACCESS_KEY_ID: 'AKIA1',
          AWS_SECRET_ACCESS_KEY: 's',
          AWS_SESSION_TOKEN: 't',
        },
      ),
    );
    expect(url.host).toBe('wro-artifacts.s3.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(/^AKIA1\/\d{8}\/eu-west-1\/s3\/aws4_request$/);
    expect(() =>
      presignArtifactGet(
        config,
        { key: 'a/b', contentType: 'x', expiresInSeconds: 1 },
        { AWS_REGION: 'eu-west-1' },
      ),
    ).toThrow(/credentials/);
    expect(() =>
      presignArtifactGet(parseConfig({ WRO_TABLE_NAME: 'tbl' }), {
        key: 'a/b',
        contentType: 'x',
        expiresInSeconds: 1,
      }),
    ).toThrow(/WRO_ARTIFACTS_BUCKET/);
  });
});

describe('local artifact URLs', () => {
  const secret = Buffer.alloc(32, 7).toString('base64');
  const req = {
    key: 'reports/scan-runs/3/report.json',
    contentType: 'application/json',
    expiresInSeconds: 60,
  };
  const now = new Date('2026-01-01T00:00:00Z');

  it('verify what they sign, until they expire', () => {
    const url = new URL(presignLocalGet('http://127.0.0.1:9999', secret, { ...req, now }));
    expect(verifyLocalGet(secret, url, now.getTime())).toEqual({
      ok: true,
      key: req.key,
      contentType: 'application/json',
    });
    expect(verifyLocalGet(secret, url, now.getTime() + 61_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    [
      'another key',
      (u: URL) => {
        u.pathname = '/reports/scan-runs/4/report.json';
      },
    ],
    ['another type', (u: URL) => u.searchParams.set('X-Wro-Content-Type', 'text/html')],
    ['a later expiry', (u: URL) => u.searchParams.set('X-Wro-Expires', '9999999999')],
    ['no signature', (u: URL) => u.searchParams.delete('X-Wro-Signature')],
    [
      'a path out of the store',
      (u: URL) => {
        u.pathname = '/reports/%2E%2E/secret';
      },
    ],
  ])('refuse %s', (_name, tamper) => {
    const url = new URL(presignLocalGet('http://127.0.0.1:9999', secret, { ...req, now }));
    tamper(url);
    expect(verifyLocalGet(secret, url, now.getTime())).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuse another key', () => {
    const url = new URL(presignLocalGet('http://127.0.0.1:9999', secret, { ...req, now }));
    expect(verifyLocalGet(Buffer.alloc(32, 8).toString('base64'), url, now.getTime()).ok).toBe(false);
  });
});
