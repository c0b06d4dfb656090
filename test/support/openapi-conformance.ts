import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats, { type FormatsPlugin } from 'ajv-formats';
import type { Exchange } from '../../infra/local/http-server.ts';

/**
 * Checks what crossed the local gateway against the OpenAPI document, with a standard JSON Schema
 * validator (Ajv, draft 2020-12 as OpenAPI 3.1 uses it), so document and server cannot drift apart:
 *
 * - every answer's status is declared for its operation, its body matches that status's schema (error
 *   codes included: each status lists its codes) and every API header it carries is declared for it,
 *   each declared required header present and every declared header's value valid;
 * - a request the server accepted (2xx) is valid by the document (its path, query, headers, body), so
 *   the document is never stricter than the server (test/unit/openapi-request-rules.test.ts checks the
 *   other way: what the server refuses, the document refuses).
 *
 * OPTIONS (preflights, answered by the gateway as on AWS) and the CORS headers are outside the document.
 */

/** Response headers this API sets; every one must be declared where it appears. */
const API_HEADERS = new Set([
  'allow',
  'cache-control',
  'content-encoding',
  'idempotent-replayed',
  'ratelimit',
  'ratelimit-policy',
  'retry-after',
  'vary',
  'www-authenticate',
  'x-content-type-options',
  'x-request-id',
]);

type Json = Record<string, any>;

/** ajv-formats is CommonJS: its default import is the plugin itself. */
const addFormats = formats as unknown as FormatsPlugin;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  op: Json;
  pointer: string;
}

const pointerToken = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** A body's text, decompressed as its Content-Encoding says. */
function decode(bytes: Buffer, encoding: string | undefined): string {
  const coding = encoding?.trim().toLowerCase();
  const plain = coding === 'gzip' ? gunzipSync(bytes) : coding === 'br' ? brotliDecompressSync(bytes) : bytes;
  return plain.toString('utf8');
}

function decodable(values: string[]): boolean {
  try {
    for (const v of values) decodeURIComponent(v);
    return true;
  } catch {
    return false;
  }
}

export interface ConformanceChecker {
  /** What is wrong with this exchange, one line each; empty when it conforms. */
  check(x: Exchange): string[];
}

export function conformanceChecker(document: Json): ConformanceChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // Query strings and path segments are text: a second validator coerces them like the server does.
  const params = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true });
  addFormats(params);
  for (const v of [ajv, params])
    v.addSchema({ $id: 'openapi', paths: document.paths, components: document.components });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string, coerce = false) => {
    const key = `${coerce}${pointer}`;
    let v = compiled.get(key);
    if (!v) {
      v = (coerce ? params : ajv).compile({ $ref: `openapi#${pointer}` });
      compiled.set(key, v);
    }
    return v;
  };
  const errorsOf = (v: ValidateFunction) =>
    (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');

  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<Json>(document.paths)) {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, n: string) => {
      names.push(n);
      return '([^/]+)';
    });
    for (const [method, op] of Object.entries<Json>(item)) {
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}$`),
        names,
        op,
        pointer: `/paths/${pointerToken(template)}/${method}`,
      });
    }
  }

  /** The request's faults by the document, or [] when the document allows it. */
  function requestFaults(x: Exchange, o: Operation, url: URL, values: string[]): string[] {
    const faults: string[] = [];
    (o.op.parameters ?? []).forEach((p: Json, i: number) => {
      const raw =
        p.in === 'path'
          ? decodeURIComponent(values[o.names.indexOf(p.name)] ?? '')
          : p.in === 'query'
            ? (url.searchParams.get(p.name) ?? undefined)
            : p.in === 'header'
              ? x.requestHeaders[p.name.toLowerCase()]
              : undefined;
      if (raw === undefined) {
        if (p.required) faults.push(`${p.in} parameter ${p.name} is required`);
        return;
      }
      const holder = { value: raw };
      const v = validator(`${o.pointer}/parameters/${i}/schema`, true);
      if (!v(holder.value)) faults.push(`${p.in} parameter ${p.name}: ${errorsOf(v)}`);
    });
    const content = o.op.requestBody?.content?.['application/json'];
    if (content && x.requestBody.length > 0) {
      let body: unknown;
      try {
        body = JSON.parse(decode(x.requestBody, x.requestHeaders['content-encoding']));
      } catch {
        return [...faults, 'body is not JSON'];
      }
      const v = validator(`${o.pointer}/requestBody/content/application~1json/schema`);
      if (!v(body)) faults.push(`body: ${errorsOf(v)}`);
    } else if (o.op.requestBody?.required && x.requestBody.length === 0) {
      faults.push('body is required');
    }
    return faults;
  }

  const decoded = (x: Exchange) => decode(x.responseBody, x.responseHeaders['content-encoding']);

  /** A `$ref` within the document, followed to what it names, with that object's pointer. */
  function resolve(value: Json, pointer: string): { value: Json; pointer: string } {
    if (typeof value?.$ref !== 'string' || !value.$ref.startsWith('#/')) return { value, pointer };
    const target = value.$ref.slice(1);
    const found = target
      .split('/')
      .slice(1)
      .reduce<Json>((at, token) => at?.[token.replace(/~1/g, '/').replace(/~0/g, '~')], document);
    return resolve(found, target);
  }

  function responseFaults(x: Exchange, o: Operation, where: string): string[] {
    const faults: string[] = [];
    const status = String(x.status);
    const key = o.op.responses[status] ? status : 'default';
    if (!o.op.responses[key]) return [`${where}: status ${status} is not declared`];
    const { value: response, pointer: responsePointer } = resolve(
      o.op.responses[key],
      `${o.pointer}/responses/${key}`,
    );
    const declared = new Map(
      Object.entries<Json>(response.headers ?? {}).map(([name, h]) => [
        name.toLowerCase(),
        { name, ...resolve(h, `${responsePointer}/headers/${pointerToken(name)}`) },
      ]),
    );
    for (const name of Object.keys(x.responseHeaders)) {
      if (API_HEADERS.has(name) && !declared.has(name))
        faults.push(`${where} ${status}: header ${name} is not declared`);
    }
    for (const [lower, { name, value: h, pointer }] of declared) {
      const value = x.responseHeaders[lower];
      if (value === undefined) {
        if (h.required) faults.push(`${where} ${status}: required header ${name} is missing`);
        continue;
      }
      const v = validator(`${pointer}/schema`, true);
      if (!v(value))
        faults.push(`${where} ${status}: header ${name} ${JSON.stringify(value)}: ${errorsOf(v)}`);
    }
    if (x.method === 'HEAD') return faults;
    const declaredTypes = Object.keys(response.content ?? {});
    if (!declaredTypes.length) {
      if (x.responseBody.length) faults.push(`${where} ${status}: a body where none is declared`);
      return faults;
    }
    // The answer's media type is one the document declares for it (JSON, or e.g. application/sarif+json).
    const contentType = (x.responseHeaders['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const mediaType = declaredTypes.find((t) => t === contentType);
    if (!mediaType) {
      faults.push(
        `${where} ${status}: content-type ${contentType} is not one of ${declaredTypes.join(', ')}`,
      );
      return faults;
    }
    let body: unknown;
    try {
      body = JSON.parse(decoded(x));
    } catch {
      return [...faults, `${where} ${status}: body is not JSON`];
    }
    const v = validator(`${responsePointer}/content/${pointerToken(mediaType)}/schema`);
    if (!v(body)) faults.push(`${where} ${status}: body ${errorsOf(v)}`);
    return faults;
  }

  return {
    check(x) {
      if (x.method === 'OPTIONS') return [];
      const url = new URL(x.url, 'http://local');
      const onPath = operations
        .map((o) => ({ o, m: o.pattern.exec(url.pathname) }))
        .filter((h): h is { o: Operation; m: RegExpExecArray } => h.m !== null);
      const wanted = x.method === 'HEAD' ? 'GET' : x.method;
      const hit = onPath.find((h) => h.o.method === wanted);
      // 404/405 from the fallback (no route, or a malformed percent-encoding): no operation holds them.
      if (!hit || !decodable(hit.m.slice(1))) return [];
      const where = `${x.method} ${hit.o.template}`;
      const faults = responseFaults(x, hit.o, where);
      if (x.status >= 200 && x.status < 300) {
        for (const f of requestFaults(x, hit.o, url, hit.m.slice(1)))
          faults.push(`${where}: the server accepted a request the document refuses: ${f}`);
      }
      return faults;
    },
  };
}
