import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET_BYTES, BUNDLE_FILE, bundleBudget, esbuildOptions } from '../../infra/bundling.ts';
import { REPO_ROOT } from '../../infra/constructs/app-function.ts';
import { FALLBACK, ROUTES, WORKERS } from '../../lib/http/routes.ts';

/**
 * What each function's bundle holds, built with the stack's own options (infra/bundling.ts): only the
 * clients and modules its route or worker uses, within its size budget (docs/deploy.md, "Bundles").
 * Sizes are bytes of a deterministic build, not timings.
 */
const FUNCTIONS = [
  ...ROUTES.map((r) => ({ name: r.name as string, entry: r.entry, kind: 'api' as const, grants: r.grants })),
  { name: FALLBACK.name, entry: FALLBACK.entry, kind: 'api' as const, grants: FALLBACK.grants },
  { ...WORKERS.delivery, kind: 'worker' as const },
  { ...WORKERS.dispatcher, kind: 'worker' as const },
];

const bundles = new Map<string, { bytes: number; inputs: string[]; code: string }>();

beforeAll(async () => {
  for (const f of FUNCTIONS) {
    const out = await build({
      ...esbuildOptions(join(REPO_ROOT, f.entry), join('/tmp/wro-imports', f.name, BUNDLE_FILE)),
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const js = out.outputFiles.find((o) => o.path.endsWith(BUNDLE_FILE));
    const meta = out.metafile as Metafile;
    const output = Object.entries(meta.outputs).find(([path]) => path.endsWith(BUNDLE_FILE))?.[1];
    bundles.set(f.name, {
      bytes: js?.contents.byteLength ?? 0,
      // Modules with code in the bundle (tree shaking may leave an imported module without any).
      inputs: Object.entries(output?.inputs ?? {})
        .filter(([, v]) => v.bytesInOutput > 0)
        .map(([path]) => path),
      code: js?.text ?? '',
    });
  }
}, 120_000);

const has = (name: string, path: string) => (bundles.get(name)?.inputs ?? []).some((i) => i.includes(path));
const holders = (path: string) =>
  FUNCTIONS.filter((f) => has(f.name, path))
    .map((f) => f.name)
    .sort();

describe('function bundles', () => {
  it('stay within their size budgets', () => {
    const over = FUNCTIONS.filter((f) => (bundles.get(f.name)?.bytes ?? 0) > bundleBudget(f)).map(
      (f) => `${f.name}: ${bundles.get(f.name)?.bytes} bytes > ${bundleBudget(f)}`,
    );
    expect(over).toEqual([]);
    expect(BUNDLE_BUDGET_BYTES.api).toBe(300 * 1024);
  });

  it('take credentials from the environment only: no default chain, no nested STS or SSO clients', () => {
    for (const path of [
      '@aws-sdk/credential-provider-node',
      '@aws-sdk/credential-provider-ini',
      '@aws-sdk/credential-provider-sso',
      '@aws-sdk/nested-clients',
    ]) {
      expect(holders(path), path).toEqual([]);
    }
    // DynamoDB's endpoint-discovery cache is never read (lib/aws/no-endpoint-discovery.ts).
    for (const path of ['@aws-sdk/endpoint-cache', 'mnemonist', '@aws-sdk/middleware-endpoint-discovery']) {
      expect(holders(path), path).toEqual([]);
    }
    expect(holders('lib/aws/lambda-credentials.ts')).toEqual(
      FUNCTIONS.filter((f) => f.name !== FALLBACK.name)
        .map((f) => f.name)
        .sort(),
    );
  });

  it('carry a client only where the route or worker uses it', () => {
    // The dispatcher's S3 requests go through the SDK's signer and HTTP handler (lib/aws/s3-requests.ts).
    expect(holders('@aws-sdk/client-s3')).toEqual([]);
    expect(holders('lib/aws/s3-requests.ts')).toEqual(['dispatcher']);
    expect(holders('@aws-sdk/client-sqs')).toEqual(['delivery-worker', 'dispatcher']);
    const readsSecrets = FUNCTIONS.filter((f) => f.grants.some((g) => g.startsWith('secret:'))).map(
      (f) => f.name,
    );
    expect(holders('lib/aws/secrets-manager.ts')).toEqual(readsSecrets.sort());
    expect(holders('@aws-sdk/client-secrets-manager')).toEqual([]);
  });

  it("carry the URL checks only where a URL is checked, and another area's schemas nowhere", () => {
    expect(holders('ipaddr.js')).toEqual([
      'delivery-worker',
      'targets.create',
      'targets.enable',
      'targets.update',
    ]);
    // The fallback answers 405 with Allow for any known path, so it holds the whole route table.
    expect(holders('lib/schemas/scanner-results.ts')).toEqual(['fallback', 'scanner.results.store']);
    expect(holders('lib/schemas/ticket-exports.ts')).toEqual([
      'exports.approve',
      'exports.attempts',
      'exports.create',
      'exports.list',
      'exports.retry',
      'fallback',
    ]);
    // The OpenAPI function serves the generated document (lib/openapi-document.ts): no function builds it.
    expect(holders('lib/schemas/responses.ts')).toEqual([]);
    expect(holders('lib/openapi.ts')).toEqual([]);
    expect(holders('zod/v4/classic')).toEqual([]);
    expect(holders('lib/openapi-document.ts')).toEqual(['openapi']);
    expect(holders('zod/v4/locales/')).toEqual(
      FUNCTIONS.filter((f) => has(f.name, 'zod/v4/mini'))
        .map((f) => f.name)
        .sort(),
    );
    for (const f of FUNCTIONS) {
      const locales = bundles.get(f.name)?.inputs.filter((i) => i.includes('zod/v4/locales/')) ?? [];
      expect(
        locales.map((i) => i.replace(/.*locales\//, '')),
        f.name,
      ).toEqual(locales.length ? ['en.js'] : []);
    }
  });

  it("hold their own route table entry and no other route's", () => {
    for (const r of ROUTES) {
      const code = bundles.get(r.name)?.code ?? '';
      const others = ROUTES.filter((o) => o !== r && code.includes(`"${o.entry}"`)).map((o) => o.name);
      expect(code, r.name).toContain(`"${r.entry}"`);
      expect(others, r.name).toEqual([]);
    }
  });

  it('never import node:http as a module (its ESM namespace loads undici at every cold start)', () => {
    for (const f of FUNCTIONS) {
      expect(bundles.get(f.name)?.code, f.name).not.toMatch(/from\s*["'](?:node:)?http["']/);
    }
  });
});
