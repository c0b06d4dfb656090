import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * A loopback S3 for the artifact-storage tests: one in-memory bucket space, path-style addressing,
 * and the four operations artifact storage makes (PutObject, ListObjectsV2, DeleteObjects,
 * DeleteObject), answered in S3's wire format. Like S3 it refuses a request whose SigV4 signature or
 * payload hash is wrong (403 SignatureDoesNotMatch, 400 XAmzContentSHA256Mismatch) and a
 * DeleteObjects without a matching Content-MD5 or CRC32 checksum (400 InvalidDigest). The real
 * `@aws-sdk/client-s3` is run against it (test/unit/aws/s3-objects.test.ts), so its answers are ones
 * the SDK parses and its signature check accepts what the SDK signs.
 */
export interface FakeS3 {
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  region: string;
  objects(bucket: string): Map<string, { body: Buffer; contentType?: string }>;
  /** Every request that reached it: operation and the answer's status. */
  requests: { op: string; status: number }[];
  /** The next requests are answered with these errors instead, in order. */
  failNext(...errors: { status: number; code: string }[]): void;
  /** DeleteObjects reports these keys as not deleted (AccessDenied), as S3 does per key. */
  refuseDelete: Set<string>;
  close(): Promise<void>;
}

const xmlEscape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
const xmlUnescape = (s: string) =>
  s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] as string),
  );
/** S3's `encoding-type=url`: form encoding (a space as `+`). */
const urlEncodeKey = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
const errorXml = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>FAKE</RequestId></Error>`;

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeS3(): Promise<FakeS3> {
  const credentials = {
    accessKeyId: 'AKIDFAKES3',
    secretAccessKey: 'fake/secret/KEY+for+tests',
    sessionToken: 'fake-session-token',
  };
  const region = 'eu-west-1';
  const buckets = new Map<string, Map<string, { body: Buffer; contentType?: string }>>();
  const objects = (b: string) => {
    const m = buckets.get(b) ?? new Map();
    buckets.set(b, m);
    return m;
  };
  const requests: FakeS3['requests'] = [];
  const faults: { status: number; code: string }[] = [];
  const refuseDelete = new Set<string>();
  const signer = new SignatureV4({
    credentials,
    region,
    service: 's3',
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: false,
    applyChecksum: true,
  });

  /** Recomputes the request's signature from what arrived, over the headers it says it signed. */
  async function signatureOk(req: IncomingMessage, rawPath: string, query: Record<string, string>) {
    const auth = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(
      req.headers.authorization ?? '',
    );
    const date = req.headers['x-amz-date'];
    if (!auth || typeof date !== 'string') return false;
    if (auth[1] !== `${credentials.accessKeyId}/${date.slice(0, 8)}/${region}/s3/aws4_request`) return false;
    const headers: Record<string, string> = {};
    for (const h of (auth[2] as string).split(';')) headers[h] = String(req.headers[h] ?? '');
    const [, Y, M, D, h, m, s] = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(date) ?? [];
    const signed = await signer.sign(
      new HttpRequest({ method: req.method, hostname: 'fake', path: rawPath, query, headers }),
      { signingDate: new Date(`${Y}-${M}-${D}T${h}:${m}:${s}Z`) },
    );
    return (signed.headers.authorization ?? '').endsWith(`Signature=${auth[3]}`);
  }

  const server = createServer(async (req, res) => {
    const answer = (op: string, status: number, body = '', headers: Record<string, string> = {}) => {
      requests.push({ op, status });
      res.writeHead(status, { 'content-type': 'application/xml', ...headers });
      res.end(body);
    };
    const body = await bodyOf(req);
    const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?');
    const query: Record<string, string> = {};
    for (const part of rawQuery.split('&').filter(Boolean)) {
      const i = part.indexOf('=');
      query[decodeURIComponent(i < 0 ? part : part.slice(0, i))] =
        i < 0 ? '' : decodeURIComponent(part.slice(i + 1));
    }
    const [, bucket = '', ...keyParts] = rawPath.split('/');
    const key = keyParts.length ? decodeURIComponent(keyParts.join('/')) : undefined;
    const op =
      req.method === 'PUT'
        ? 'PutObject'
        : req.method === 'DELETE'
          ? 'DeleteObject'
          : req.method === 'POST' && 'delete' in query
            ? 'DeleteObjects'
            : req.method === 'GET' && query['list-type'] === '2'
              ? 'ListObjectsV2'
              : `${req.method} ${rawPath}`;

    const fault = faults.shift();
    if (fault) return answer(op, fault.status, errorXml(fault.code, 'injected by the test'));
    if (!(await signatureOk(req, rawPath, query)))
      return answer(
        op,
        403,
        errorXml('SignatureDoesNotMatch', 'The request signature we calculated does not match'),
      );
    if (req.headers['x-amz-security-token'] !== credentials.sessionToken)
      return answer(
        op,
        403,
        errorXml('InvalidToken', 'The provided token is malformed or otherwise invalid.'),
      );
    const declared = req.headers['x-amz-content-sha256'];
    if (
      declared !== 'UNSIGNED-PAYLOAD' &&
      !String(declared).startsWith('STREAMING-') &&
      declared !== createHash('sha256').update(body).digest('hex')
    )
      return answer(
        op,
        400,
        errorXml('XAmzContentSHA256Mismatch', 'The provided content-sha256 does not match'),
      );

    const store = objects(bucket);
    if (op === 'PutObject' && key !== undefined) {
      store.set(key, { body, contentType: req.headers['content-type'] });
      return answer(op, 200, '', { etag: `"${createHash('md5').update(body).digest('hex')}"` });
    }
    if (op === 'DeleteObject' && key !== undefined) {
      store.delete(key);
      return answer(op, 204);
    }
    if (op === 'ListObjectsV2') {
      const prefix = query.prefix ?? '';
      const max = Math.min(Number(query['max-keys'] ?? 1000), 1000);
      const after = query['continuation-token']
        ? Buffer.from(query['continuation-token'], 'base64').toString('utf8')
        : undefined;
      // Keys in UTF-8 byte order, as S3 lists them.
      const all = [...store.keys()]
        .filter((k) => k.startsWith(prefix))
        .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
        .filter((k) => after === undefined || Buffer.compare(Buffer.from(k), Buffer.from(after)) > 0);
      const page = all.slice(0, max);
      const truncated = all.length > page.length;
      const enc = query['encoding-type'] === 'url' ? urlEncodeKey : (k: string) => k;
      const xml = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
        `<Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(enc(prefix))}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys>`,
        query['encoding-type'] === 'url' ? '<EncodingType>url</EncodingType>' : '',
        `<IsTruncated>${truncated}</IsTruncated>`,
        query['continuation-token']
          ? `<ContinuationToken>${xmlEscape(query['continuation-token'])}</ContinuationToken>`
          : '',
        truncated
          ? `<NextContinuationToken>${Buffer.from(page.at(-1) as string).toString('base64')}</NextContinuationToken>`
          : '',
        ...page.map(
          (k) =>
            `<Contents><Key>${xmlEscape(enc(k))}</Key><LastModified>2026-12-05T00:00:00.000Z</LastModified><ETag>&quot;x&quot;</ETag><Size>${store.get(k)?.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
        ),
        '</ListBucketResult>',
      ].join('');
      return answer(op, 200, xml);
    }
    if (op === 'DeleteObjects') {
      const md5 = req.headers['content-md5'];
      const crc = req.headers['x-amz-checksum-crc32'];
      const digestOk =
        md5 !== undefined
          ? md5 === createHash('md5').update(body).digest('base64')
          : crc !== undefined &&
            crc ===
              Buffer.from(Uint32Array.of(crc32(body)).buffer)
                .reverse()
                .toString('base64');
      if (!digestOk)
        return answer(
          op,
          400,
          errorXml('InvalidDigest', 'The Content-MD5 or checksum you specified is not valid.'),
        );
      // As an XML parser reads it: a raw CR (or CRLF) is a line feed.
      const text = body.toString('utf8').replace(/\r\n?/g, '\n');
      const keys = [...text.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) => xmlUnescape(m[1] as string));
      const quiet = /<Quiet>true<\/Quiet>/.test(text);
      const parts: string[] = [];
      for (const k of keys) {
        if (refuseDelete.has(k)) {
          parts.push(
            `<Error><Key>${xmlEscape(k)}</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`,
          );
          continue;
        }
        store.delete(k);
        if (!quiet) parts.push(`<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`);
      }
      return answer(
        op,
        200,
        `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts.join('')}</DeleteResult>`,
      );
    }
    return answer(op, 400, errorXml('NotImplemented', `the fake does not serve ${op}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials,
    region,
    objects,
    requests,
    failNext: (...errors) => faults.push(...errors),
    refuseDelete,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
