import { Readable } from 'node:stream';
import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { type HttpRequest, HttpResponse } from '@smithy/core/transport';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deleteObjects, listObjectKeys, putObject } from '../../../lib/aws/s3-objects.ts';
import { S3RequestError, s3Requests } from '../../../lib/aws/s3-requests.ts';
import { type FakeS3, startFakeS3 } from '../../support/fake-s3.ts';

let s3: FakeS3;
beforeAll(async () => {
  s3 = await startFakeS3();
});
afterAll(() => s3.close());
beforeEach(() => {
  s3.requests.length = 0;
  s3.objects('b').clear();
  s3.refuseDelete.clear();
});

const requester = (over: Partial<Parameters<typeof s3Requests>[0]> = {}) =>
  s3Requests(
    { endpoint: s3.endpoint, region: s3.region, credentials: async () => s3.credentials, ...over },
    {},
  );

/** Keys that differ between encodings: spaces, `+`, XML's specials, percent signs, non-ASCII, emoji. */
const TRICKY = [
  'tmp/r/a b.png',
  'tmp/r/a+b.png',
  'tmp/r/<&>"\'.html',
  'tmp/r/100%.txt',
  'tmp/r/ünï/cødé',
  'tmp/r/🙂~*()!',
];

describe('the fake S3 speaks what the real S3 client signs and parses', () => {
  const client = (secretAccessKey = s3.credentials.secretAccessKey) =>
    new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { ...s3.credentials, secretAccessKey },
      maxAttempts: 1,
    });

  it('puts, lists page by page and deletes tricky keys', async () => {
    const sdk = client();
    for (const Key of TRICKY) await sdk.send(new PutObjectCommand({ Bucket: 'b', Key, Body: Key }));
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await sdk.send(
        new ListObjectsV2Command({ Bucket: 'b', Prefix: 'tmp/r/', MaxKeys: 4, ContinuationToken: token }),
      );
      listed.push(...(page.Contents ?? []).map((c) => c.Key as string));
      token = page.NextContinuationToken;
    } while (token);
    expect(listed.sort()).toEqual([...TRICKY].sort());
    await sdk.send(
      new DeleteObjectsCommand({
        Bucket: 'b',
        Delete: { Objects: TRICKY.slice(0, 3).map((Key) => ({ Key })) },
      }),
    );
    expect([...s3.objects('b').keys()].sort()).toEqual(TRICKY.slice(3).sort());
    sdk.destroy();
  });

  it('refuses a request signed with the wrong secret, as S3 does', async () => {
    const sdk = client('not-the-secret');
    const err = await sdk.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' })).catch((e) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect((err as S3ServiceException).name).toBe('SignatureDoesNotMatch');
    expect(s3.objects('b').size).toBe(0);
    sdk.destroy();
  });
});

describe('S3 objects without the S3 client', () => {
  it('addresses a bucket on AWS as the S3 client does: virtual-hosted https, the key path encoded alike', async () => {
    const seen: HttpRequest[] = [];
    const requestHandler = {
      handle: async (request: HttpRequest) => {
        seen.push(request);
        return { response: new HttpResponse({ statusCode: 200, headers: {}, body: Readable.from([]) }) };
      },
      destroy: () => {},
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
    };
    const credentials = async () => s3.credentials;
    const sdk = new S3Client({ region: 'eu-west-1', credentials, requestHandler });
    const ours = s3Requests({ region: 'eu-west-1', credentials, requestHandler }, {});
    for (const key of TRICKY) {
      await sdk.send(new PutObjectCommand({ Bucket: 'wro-artifacts-1', Key: key, Body: 'x' }));
      await putObject(ours, 'wro-artifacts-1', key, 'x', 'text/plain');
    }
    const where = (r: HttpRequest) => `${r.method} ${r.protocol}//${r.hostname}${r.path}`;
    for (let i = 0; i < seen.length; i += 2)
      expect(where(seen[i + 1] as HttpRequest)).toBe(where(seen[i] as HttpRequest));
    expect(where(seen[1] as HttpRequest)).toBe(
      'PUT https://wro-artifacts-1.s3.eu-west-1.amazonaws.com/tmp/r/a%20b.png',
    );
    sdk.destroy();
  });

  it('puts a document with its type, under any key', async () => {
    const r = requester();
    for (const key of TRICKY) await putObject(r, 'b', key, `ü ${key}`, 'application/sarif+json');
    for (const key of TRICKY) {
      expect(s3.objects('b').get(key)?.body.toString('utf8')).toBe(`ü ${key}`);
      expect(s3.objects('b').get(key)?.contentType).toBe('application/sarif+json');
    }
    expect(s3.requests).toEqual(TRICKY.map(() => ({ op: 'PutObject', status: 200 })));
    r.destroy();
  });

  it('lists keys as they were put: spaces, plus signs, XML specials and percent signs decoded', async () => {
    const r = requester();
    for (const k of TRICKY) s3.objects('b').set(k, { body: Buffer.from('x') });
    const page = await listObjectKeys(r, 'b', 'tmp/r/');
    expect(page.keys.sort()).toEqual([...TRICKY].sort());
    expect(page.nextToken).toBeUndefined();
    r.destroy();
  });

  it('lists and deletes any set of keys exactly: every listed key decoded, every page, no other key touched', async () => {
    const r = requester();
    const key = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
      .filter((s) => !s.includes('/'))
      .map((s) => `tmp/p/${s}`);
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(key, { minLength: 1, maxLength: 9 }),
        fc.integer({ min: 1, max: 4 }),
        async (keys, pageSize) => {
          const store = s3.objects('b');
          store.clear();
          store.set('tmp/other/keep', { body: Buffer.from('x') });
          for (const k of keys) store.set(k, { body: Buffer.from('x') });
          const listed: string[] = [];
          let token: string | undefined;
          let pages = 0;
          do {
            const page = await listObjectKeys(r, 'b', 'tmp/p/', token, pageSize);
            listed.push(...page.keys);
            token = page.nextToken;
            pages++;
          } while (token);
          expect(listed.sort()).toEqual([...keys].sort());
          expect(pages).toBe(Math.max(1, Math.ceil(keys.length / pageSize)));
          expect(await deleteObjects(r, 'b', listed)).toEqual([]);
          expect([...store.keys()]).toEqual(['tmp/other/keep']);
        },
      ),
      { numRuns: 60 },
    );
    r.destroy();
  });

  it('deletes a key XML cannot carry with its own DeleteObject, the rest (a CR kept as written) in one DeleteObjects', async () => {
    const r = requester();
    const keys = ['tmp/c/bell\u0007', 'tmp/c/plain', 'tmp/c/cr\r\nlf', 'tmp/c/nul\u0000x'];
    for (const k of keys) s3.objects('b').set(k, { body: Buffer.from('x') });
    expect(await deleteObjects(r, 'b', keys)).toEqual([]);
    expect(s3.objects('b').size).toBe(0);
    expect(s3.requests.map((q) => q.op)).toEqual(['DeleteObjects', 'DeleteObject', 'DeleteObject']);
    r.destroy();
  });

  it('reports the keys S3 refused to delete, with its code', async () => {
    const r = requester();
    for (const k of ['tmp/d/a', 'tmp/d/<b>']) s3.objects('b').set(k, { body: Buffer.from('x') });
    s3.refuseDelete.add('tmp/d/<b>');
    expect(await deleteObjects(r, 'b', ['tmp/d/a', 'tmp/d/<b>'])).toEqual([
      { key: 'tmp/d/<b>', code: 'AccessDenied' },
    ]);
    expect([...s3.objects('b').keys()]).toEqual(['tmp/d/<b>']);
    r.destroy();
  });

  it('retries a transient answer and succeeds; gives up after the attempts with the last error', async () => {
    const r = requester({ maxAttempts: 3 });
    s3.failNext({ status: 500, code: 'InternalError' });
    await putObject(r, 'b', 'reports/x.json', '{}', 'application/json');
    expect(s3.requests.map((q) => q.status)).toEqual([500, 200]);
    expect(s3.objects('b').has('reports/x.json')).toBe(true);

    s3.requests.length = 0;
    s3.failNext(...Array.from({ length: 3 }, () => ({ status: 503, code: 'ServiceUnavailable' })));
    const err = await putObject(r, 'b', 'reports/y.json', '{}', 'application/json').catch((e) => e);
    expect(err).toBeInstanceOf(S3RequestError);
    expect(err).toMatchObject({ status: 503, code: 'ServiceUnavailable' });
    expect(s3.requests).toHaveLength(3);
    expect(s3.objects('b').has('reports/y.json')).toBe(false);
    r.destroy();
  });

  it('retries a network failure (nothing listening) the same way, then throws it', async () => {
    const r = s3Requests(
      {
        endpoint: 'http://127.0.0.1:9',
        region: s3.region,
        credentials: async () => s3.credentials,
        maxAttempts: 2,
      },
      {},
    );
    await expect(putObject(r, 'b', 'k', 'x', 'text/plain')).rejects.toThrow(/ECONNREFUSED/);
    r.destroy();
  });

  it('does not repeat a refusal: a wrong signature or a denied request is thrown at once', async () => {
    const wrong = requester({ credentials: async () => ({ ...s3.credentials, secretAccessKey: 'wrong' }) });
    await expect(putObject(wrong, 'b', 'k', 'x', 'text/plain')).rejects.toMatchObject({
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
    expect(s3.requests).toHaveLength(1);
    wrong.destroy();

    const r = requester();
    s3.failNext({ status: 403, code: 'AccessDenied' });
    await expect(listObjectKeys(r, 'b', 'tmp/')).rejects.toThrow(
      'S3 answered 403 AccessDenied: injected by the test',
    );
    expect(s3.requests).toHaveLength(2);
    r.destroy();
  });

  it("has no credentials, no request: the provider's error is thrown at once, not retried", async () => {
    let asked = 0;
    const r = requester({
      credentials: async () => {
        asked++;
        throw new Error('Could not load credentials from any providers');
      },
    });
    await expect(putObject(r, 'b', 'k', 'x', 'text/plain')).rejects.toThrow(/Could not load credentials/);
    expect(asked).toBe(1);
    expect(s3.requests).toHaveLength(0);
    r.destroy();
  });

  it('has no region, no request: the error names AWS_REGION', async () => {
    const r = s3Requests({ endpoint: s3.endpoint, credentials: async () => s3.credentials }, {});
    await expect(putObject(r, 'b', 'k', 'x', 'text/plain')).rejects.toThrow(/AWS_REGION/);
    expect(s3.requests).toHaveLength(0);
    r.destroy();
  });
});
