import { resolve } from 'node:path';
import type { BuildOptions } from 'esbuild';

/** Where relative paths of the bundling options are resolved (NodejsFunction's `projectRoot`). */
const REPO_ROOT = resolve(import.meta.dirname, '..');

/**
 * How every function is bundled, described once: the CDK stack passes it to `NodejsFunction`
 * (`nodejsBundling()`), and `npm run bench:cold-start` hands the same settings to esbuild's API
 * (`esbuildOptions()`, the translation CDK does into esbuild's command line).
 *
 * - ESM output (`index.mjs`): the code base is ESM, and ESM-only packages (Middy) stay as written.
 *   The banner gives bundled CommonJS dependencies a working `require` (the usual Powertools advice).
 * - The AWS SDK is bundled, not left to the runtime's copy: the bundle pins the SDK version the tests
 *   ran with, and tree-shaken, minified SDK code initialises faster than the runtime's full packages.
 *   Its default credential chain is replaced by the environment provider Lambda uses (`alias`).
 * - Minified, with an external source map without embedded sources beside the bundle. The functions
 *   run without `--enable-source-maps` (it costs init time on every cold start, BENCHMARKS.md "Cold
 *   start"); `npm run decode-stack` maps a logged stack trace back to the sources (docs/deploy.md,
 *   "Source maps").
 */
export const BUNDLING = {
  target: 'node22',
  format: 'esm',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  /** Nothing external: the SDK is bundled (see above). */
  externalModules: [] as string[],
  /**
   * Build-time substitutions (esbuild `--alias`): the SDK's default credential chain becomes the
   * environment-variable provider Lambda uses (lib/aws/lambda-credentials.ts explains why), and
   * DynamoDB's never-used endpoint-discovery cache goes (lib/aws/no-endpoint-discovery.ts).
   */
  alias: {
    '@aws-sdk/credential-provider-node': './lib/aws/lambda-credentials.ts',
    '@aws-sdk/middleware-endpoint-discovery': './lib/aws/no-endpoint-discovery.ts',
  } as Record<string, string>,
} as const;

export type FunctionKind = 'api' | 'worker';

/**
 * Size budgets of the bundles (docs/deploy.md, "Bundles"), held by test/infra/function-imports.test.ts
 * and reported by the benchmark: API functions, and the workers and the OpenAPI function.
 */
export const BUNDLE_BUDGET_BYTES = { api: 300 * 1024, large: 450 * 1024 } as const;
/** Init budget: a function's init against the floor's, in the same run (BENCHMARKS.md, "Cold start"). */
export const INIT_BUDGET_RATIO = 1.3;

/** The bundle budget of a function: workers and the OpenAPI function get the larger one. */
export function bundleBudget(f: { name: string; kind: FunctionKind }): number {
  return f.kind === 'worker' || f.name === 'openapi' ? BUNDLE_BUDGET_BYTES.large : BUNDLE_BUDGET_BYTES.api;
}

/** The bundle's file name inside the function's asset (NodejsFunction writes `index.mjs` for ESM). */
export const BUNDLE_FILE = 'index.mjs';

/**
 * esbuild API options equivalent to the command line CDK builds from `BUNDLING`
 * (`esbuild --bundle <entry> --target=… --platform=node --format=esm --outfile=…/index.mjs --minify
 * --sourcemap --sources-content=false --banner:js=… --main-fields=module,main --alias:…=…`, run in
 * the repository root).
 */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    outfile,
    target: BUNDLING.target,
    platform: 'node',
    format: BUNDLING.format,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    sourcesContent: BUNDLING.sourcesContent,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: [...BUNDLING.externalModules],
    alias: { ...BUNDLING.alias },
    absWorkingDir: REPO_ROOT,
    logLevel: 'warning',
  };
}

/** `BUNDLING.alias` as NodejsFunction's `esbuildArgs` (`--alias:<package>=<path>`). */
export function esbuildAliasArgs(): Record<string, string> {
  return Object.fromEntries(Object.entries(BUNDLING.alias).map(([from, to]) => [`--alias:${from}`, to]));
}
