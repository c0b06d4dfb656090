import { createHash } from 'node:crypto';
import type { S3Requests } from './s3-requests.ts';

/**
 * The S3 operations artifact storage uses (lib/artifacts/artifact-store.ts), in S3's REST wire format:
 * PutObject, ListObjectsV2 and DeleteObjects, with DeleteObject for a key XML cannot carry.
 */

/** The text of an XML element's content, with its five entities and character references decoded. */
function xmlText(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e] as string;
  });
}

/** Escaped for XML element content; CR as a reference, since XML parsers read a raw one as LF. */
const xmlEscape = (s: string) =>
  s.replace(
    /[&<>"'\r]/g,
    (c) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' })[c] as string,
  );

/** False for text XML 1.0 cannot hold, even escaped: C0 controls but tab, LF and CR, lone surrogates, U+FFFE/F. */
function xmlCanCarry(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    const control = c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd;
    if (control || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) return false;
  }
  return true;
}

/** Every `<name>…</name>` content of a document, in order (S3's documents have no CDATA or attributes there). */
function elements(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1] as string);
}

/**
 * A key as ListObjectsV2 returns it with `encoding-type=url`: form-encoded, a space as `+` (the SDKs
 * decode it so, e.g. botocore's `unquote_plus`). Asked that way, any key survives the XML answer.
 */
const decodeListedKey = (s: string) => decodeURIComponent(xmlText(s).replace(/\+/g, ' '));

export async function putObject(
  s3: S3Requests,
  bucket: string,
  key: string,
  body: string,
  contentType: string,
): Promise<void> {
  await s3.send({ method: 'PUT', bucket, key, headers: { 'content-type': contentType }, body });
}

export interface ObjectPage {
  keys: string[];
  /** Where the next page starts; absent on the last one. */
  nextToken?: string;
}

/** One page (up to 1,000 keys, or `maxKeys`) of the keys under a prefix, in key order. */
export async function listObjectKeys(
  s3: S3Requests,
  bucket: string,
  prefix: string,
  continuationToken?: string,
  maxKeys?: number,
): Promise<ObjectPage> {
  const { body } = await s3.send({
    method: 'GET',
    bucket,
    query: {
      'list-type': '2',
      'encoding-type': 'url',
      prefix,
      ...(continuationToken ? { 'continuation-token': continuationToken } : {}),
      ...(maxKeys ? { 'max-keys': String(maxKeys) } : {}),
    },
  });
  const keys = elements(body, 'Contents').flatMap((c) => elements(c, 'Key').slice(0, 1).map(decodeListedKey));
  const truncated = elements(body, 'IsTruncated')[0]?.trim() === 'true';
  const next = elements(body, 'NextContinuationToken')[0];
  return { keys, ...(truncated && next ? { nextToken: xmlText(next) } : {}) };
}

/** Keys S3 did not delete, with its error code for each. */
export type DeleteFailures = { key: string; code: string }[];

/**
 * Deletes up to 1,000 keys: one DeleteObjects request (its body's MD5 as S3 requires) for the keys
 * XML can carry, one DeleteObject each for the others. A key that does not exist counts as deleted.
 */
export async function deleteObjects(s3: S3Requests, bucket: string, keys: string[]): Promise<DeleteFailures> {
  if (keys.length > 1000) throw new Error('DeleteObjects takes at most 1,000 keys');
  const inXml = keys.filter(xmlCanCarry);
  const failures: DeleteFailures = [];
  if (inXml.length > 0) {
    const body = `<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inXml
      .map((k) => `<Object><Key>${xmlEscape(k)}</Key></Object>`)
      .join('')}<Quiet>true</Quiet></Delete>`;
    const res = await s3.send({
      method: 'POST',
      bucket,
      query: { delete: '' },
      headers: {
        'content-type': 'application/xml',
        'content-md5': createHash('md5').update(body, 'utf8').digest('base64'),
      },
      body,
    });
    for (const e of elements(res.body, 'Error'))
      failures.push({
        key: xmlText(elements(e, 'Key')[0] ?? ''),
        code: xmlText(elements(e, 'Code')[0] ?? ''),
      });
  }
  for (const key of keys.filter((k) => !xmlCanCarry(k))) await s3.send({ method: 'DELETE', bucket, key });
  return failures;
}
