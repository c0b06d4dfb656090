import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats, { type FormatsPlugin } from 'ajv-formats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../lib/error-codes.ts';
import * as errors from '../../lib/errors.ts';
import { ROUTES, type RouteDef } from '../../lib/http/routes.ts';
import { buildOpenApiDocument } from '../../lib/openapi.ts';
import { parseOrThrow } from '../../lib/schemas/parse.ts';
import { HtmlSnapshotPath, ScreenshotPath, storageKeyPattern } from '../../lib/schemas/scanner-results.ts';
import { DOCUMENTED_CURL_BODY, issue, multiPage } from '../support/scanner-fixtures.ts';

const document = buildOpenApiDocument() as Record<string, any>;
const TABLE: readonly RouteDef[] = ROUTES;
const addFormats = formats as unknown as FormatsPlugin;

describe('the OpenAPI document', () => {
  it("passes Redocly's recommended-strict rules with no problem", async () => {
    const config = await createConfig({ extends: ['recommended-strict'] });
    const problems = await lintFromString({
      source: JSON.stringify(document),
      absoluteRef: 'openapi.json',
      config,
    });
    expect(problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('links only to operations it has', () => {
    const ids = new Set(TABLE.map((r) => document.paths[r.path][r.method.toLowerCase()].operationId));
    const targets = TABLE.flatMap((r) =>
      Object.values(r.responses).flatMap((res) => Object.values(res.links ?? {}).map((l) => l.operationId)),
    );
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !ids.has(t))).toEqual([]);
  });

  it('lists each error code under the status its error class answers with', () => {
    const classes = Object.values(errors as Record<string, unknown>).filter(
      (E): E is new (...a: unknown[]) => errors.AppError =>
        typeof E === 'function' && E.prototype instanceof errors.AppError && E !== errors.AppError,
    );
    const instances = classes.map((E) => new E());
    expect(instances.length).toBeGreaterThan(10);
    for (const e of instances)
      expect(`${e.code} ${ERROR_CODES[e.code].status}`).toBe(`${e.code} ${e.status}`);
    for (const route of TABLE) {
      const op = document.paths[route.path][route.method.toLowerCase()];
      for (const code of route.errors ?? []) {
        const listed =
          op.responses[String(ERROR_CODES[code].status)].content['application/json'].schema.allOf[1]
            .properties.error.properties.code.enum;
        expect(listed, `${route.name} ${code}`).toContain(code);
      }
    }
  });
});

/**
 * What the server refuses, the document refuses: a request body the document allows passes the
 * route's own parser. Bodies are the documented ones with one to three random changes (a value
 * replaced by one at or past a limit, of another type, removed, or a key added), so every rule the
 * parser applies, field limits and cross-field rules alike, is met from both sides.
 */
describe('request bodies: the document is as strict as the server', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', paths: document.paths, components: document.components });

  const LENGTHS = [0, 1, 7, 8, 100, 101, 128, 129, 200, 201, 255, 256, 257, 512, 513, 2048, 2049, 8192, 8193];
  const value = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(...LENGTHS).map((n) => 'x'.repeat(n)),
    fc.constantFrom(
      ' ',
      ' \u00a0 ',
      'https://example.com/a',
      'HTTPS://example.com/',
      'http:example.com',
      'ftp://example.com/',
      'shots/a.PNG',
      'a/../b.png',
      '/abs.png',
      'a//b.png',
      './a.png',
      'a.html',
      'fp-missing-csp-home',
      'fp with space',
      'tgt_0123456789abcdef01234567',
      'completed',
      'failed',
      'critical',
      'home',
    ),
    fc.integer({ min: -2, max: 1_000_000_001 }),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(null).map(() => []),
    fc.constant(null).map(() => ({})),
  );

  type Json = any;
  const paths = (v: Json, at: (string | number)[] = []): (string | number)[][] =>
    v && typeof v === 'object'
      ? [at, ...Object.keys(v).flatMap((k) => paths(v[k], [...at, Array.isArray(v) ? Number(k) : k]))]
      : [at];
  const mutation = fc.record({
    pick: fc.nat(),
    op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'add'),
    value,
    key: fc.constantFrom('page', 'pages', 'artifacts', 'issues', 'extra', 'events', 'name', 'base_url'),
  });
  function mutate(base: Json, changes: { pick: number; op: string; value: Json; key: string }[]): Json {
    let body = structuredClone(base);
    for (const change of changes) {
      const c = { ...change, value: structuredClone(change.value) };
      const all = paths(body);
      const at = all[c.pick % all.length] as (string | number)[];
      if (at.length === 0) {
        if (c.op === 'replace') body = c.value;
        else if (c.op === 'add' && body && typeof body === 'object' && !Array.isArray(body))
          body[c.key] = c.key === 'pages' ? structuredClone(multiPage(1, 1, 0).pages) : c.value;
        continue;
      }
      const parent = at.slice(0, -1).reduce((o, k) => o[k], body);
      const last = at[at.length - 1] as string | number;
      if (c.op === 'delete') {
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
      } else if (
        c.op === 'add' &&
        parent[last] &&
        typeof parent[last] === 'object' &&
        !Array.isArray(parent[last])
      ) {
        parent[last][c.key] = c.value;
      } else {
        parent[last] = c.value;
      }
    }
    return body;
  }

  const serverAccepts = (route: RouteDef, body: Json) => {
    try {
      if (route.parseBody) route.parseBody(body);
      else parseOrThrow((route.body as NonNullable<RouteDef['body']>)(), body);
      return true;
    } catch (err) {
      if (err instanceof errors.ValidationError) return false;
      throw err;
    }
  };

  const documented = JSON.parse(DOCUMENTED_CURL_BODY(1));
  const BASES: Record<string, Json[]> = {
    'scanner.results.store': [
      documented,
      multiPage(1, 2, 2),
      {
        scanRunId: 7,
        status: 'failed',
        error: { code: 'TIMEOUT', message: 'no answer', url: 'https://a.example/', timeoutMs: 30000 },
      },
      {
        ...documented,
        issues: [issue(1, { reproductionSteps: ['one', 'two'], screenshotPath: 'shots/1.png' })],
      },
    ],
    'findings.dismiss': [
      { status: 'dismissed', reason: 'false_positive' },
      { status: 'dismissed', reason: 'accepted_risk', comment: 'Internal only' },
    ],
    'projects.create': [{ name: 'Example', base_url: 'https://example.com' }],
    'targets.create': [
      {
        provider_key: 'generic_webhook',
        base_url: 'https://hooks.example.test/x',
        deployment_mode: 'webhook-only',
        name: 'Hook',
        events: ['ticket_export'],
      },
    ],
    'targets.update': [
      { name: 'Renamed', base_url: 'https://hooks.example.test/y', events: ['scan_run.failed'] },
    ],
    'targets.recover': [{ since: '2026-11-30T00:00:00Z' }],
    'targets.rotate-secret': [{ grace_period_seconds: 3600 }],
    'targets.callback': [
      {
        type: 'risk.accepted',
        project_id: 'prj_0123456789abcdef01234567',
        fingerprint: 'fp-missing-csp-home',
        comment: 'Accepted in SEC-12',
      },
      {
        type: 'ticket.closed',
        project_id: 'prj_0123456789abcdef01234567',
        fingerprint: 'fp-missing-csp-home',
        resolution: 'wont_fix',
        ticket: { id: 'SEC-12', url: 'https://tracker.example.com/browse/SEC-12' },
      },
      { type: 'ticket.closed', project_id: 'prj_0123456789abcdef01234567', fingerprint: 'fp-a-000001' },
      {
        type: 'ticket.closed',
        project_id: 'prj_0123456789abcdef01234567',
        fingerprint: 'fp-a-000001',
        resolution: 'fixed',
        ticket: { id: 4711, url: null },
      },
    ],
    'exports.create': [{ scan_run_id: 1, issue_fingerprints: ['fp-missing-csp-home'], title: 'Fix it' }],
    'exports.approve': [{ target_id: 'tgt_0123456789abcdef01234567' }],
    'exports.retry': [{ target_id: 'tgt_0123456789abcdef01234567' }],
  };

  it('has a documented body for every route that takes one', () => {
    expect(Object.keys(BASES).sort()).toEqual(
      TABLE.filter((r) => r.body)
        .map((r) => r.name)
        .sort(),
    );
  });

  for (const route of TABLE.filter((r) => r.body)) {
    it(`${route.name}: a body the document allows, the server accepts`, () => {
      const documentAllows = ajv.compile({
        $ref: `openapi#/paths/${route.path.replace(/\//g, '~1')}/${route.method.toLowerCase()}/requestBody/content/application~1json/schema`,
      });
      for (const base of BASES[route.name] ?? []) {
        expect(documentAllows(base), JSON.stringify(documentAllows.errors)).toBe(true);
        expect(serverAccepts(route, base)).toBe(true);
      }
      let refusedByBoth = 0;
      fc.assert(
        fc.property(
          fc.constantFrom(...(BASES[route.name] ?? [])),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          (base, changes) => {
            const body = mutate(base, changes);
            const allowed = documentAllows(body);
            const accepted = serverAccepts(route, body);
            if (!allowed && !accepted) refusedByBoth++;
            // What the document allows, the server accepts.
            return !allowed || accepted;
          },
        ),
        { numRuns: 400 },
      );
      expect(refusedByBoth).toBeGreaterThan(0); // the mutations reach the rules
    });
  }

  it('states the artifact path rule as a pattern that agrees with it on every string', () => {
    const alphabet = fc.constantFrom(
      'a',
      'Z',
      '0',
      '.',
      '/',
      '-',
      '_',
      ':',
      '\\',
      ' ',
      'p',
      'n',
      'g',
      'P',
      'h',
      't',
      'm',
      'l',
    );
    const suffix = fc.constantFrom('', '.png', '.PNG', '.jpeg', '.webp', '.html', '.htm', '.mhtml', '/', '.');
    for (const [schema, extensions] of [
      [ScreenshotPath, ['png', 'jpg', 'jpeg', 'webp']],
      [HtmlSnapshotPath, ['html', 'htm', 'mhtml']],
    ] as const) {
      const pattern = new RegExp(storageKeyPattern(extensions), 'u');
      fc.assert(
        fc.property(fc.array(alphabet, { maxLength: 14 }), suffix, (chars, end) => {
          const v = chars.join('') + end;
          return schema.safeParse(v).success === (v.length <= 512 && pattern.test(v));
        }),
        { numRuns: 3000 },
      );
    }
  });
});
