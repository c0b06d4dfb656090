/**
 * The cold-start budget of every Lambda function, measured by `npm run bench` (section `cold_start`)
 * and on its own by `npm run bench:cold-start [-- --runs N]` (scripts/cold-start.ts).
 *
 * 1. Bundles every route and worker entry with esbuild exactly as the CDK stack does (the options of
 *    infra/bundling.ts; test/infra/bundling.test.ts proves the output is byte-identical to
 *    NodejsFunction's), plus a comparison variant that leaves the AWS SDK to the Lambda runtime
 *    (`@aws-sdk/*` and `@smithy/*` external, NodejsFunction's default, resolved here from node_modules).
 * 2. Measures module initialisation: a fresh `node` process per sample imports the bundle and reports
 *    the `performance.now()` delta around the import; the process's wall time is recorded too. The
 *    baseline is an empty module, imported the same way in the same run. Samples are interleaved
 *    (one of each target per round) so machine noise spreads evenly.
 * 3. Returns the figures; bench/cold-start-report.ts renders them as the "Cold start" section.
 *
 * The environment mimics Lambda (AWS_LAMBDA_FUNCTION_NAME set, so configuration is parsed during the
 * import as on a real cold start) with dummy resource names; handlers make no network call at import.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_FILE, esbuildOptions, SOURCE_MAP_NODE_OPTIONS } from '../infra/bundling.ts';
import { ROUTES, WORKERS } from '../lib/http/routes.ts';
import type { ColdStartResults } from './cold-start-report.ts';
import { percentile, ratio, round } from './lib/stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
// Inside the repository, so the SDK-external variant resolves `@aws-sdk/*` from node_modules.
const WORK = join(ROOT, 'node_modules', '.cache', 'wro-cold-start');

const FUNCTIONS = [
  ...ROUTES.map((r) => ({ name: r.name as string, entry: r.entry as string })),
  { name: WORKERS.delivery.name, entry: WORKERS.delivery.entry },
  { name: WORKERS.dispatcher.name, entry: WORKERS.dispatcher.entry },
];

const VARIANTS = {
  stack: {
    description: 'as deployed: ESM, minified, AWS SDK bundled, NODE_OPTIONS=--enable-source-maps',
    external: undefined as string[] | undefined,
    nodeOptions: SOURCE_MAP_NODE_OPTIONS,
  },
  no_source_maps_flag: {
    description: 'same bundle, without NODE_OPTIONS=--enable-source-maps',
    external: undefined as string[] | undefined,
    nodeOptions: '',
  },
  sdk_external: {
    description:
      "AWS SDK left to the runtime (`@aws-sdk/*`, `@smithy/*` external, NodejsFunction's default), --enable-source-maps",
    external: ['@aws-sdk/*', '@smithy/*'],
    nodeOptions: SOURCE_MAP_NODE_OPTIONS,
  },
} as const;
type VariantName = keyof typeof VARIANTS;

/** Dummy values that satisfy lib/config.ts; nothing is contacted at import time. */
const LAMBDA_LIKE_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  WRO_TABLE_NAME: 'webriskops-coldstart-table',
  WRO_STAGE: 'bench',
  WRO_DELIVERIES_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/deliveries',
  WRO_ARTIFACTS_BUCKET: 'webriskops-coldstart-artifacts',
  WRO_SCANNER_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:scanner-AbCdEf',
  WRO_TARGET_SECRETS_KEY_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:target-key-AbCdEf',
  WRO_LOG_LEVEL: 'ERROR',
};

const MEASURE = `const t0 = performance.now();
const m = await import(process.argv[2]);
const t1 = performance.now();
if (process.argv[3] === 'handler' && typeof m.handler !== 'function') process.exit(3);
process.stdout.write(JSON.stringify({ import_ms: t1 - t0 }));
`;

interface Target {
  key: string;
  file: string;
  kind: 'baseline' | 'handler';
  env: Record<string, string>;
}

function sample(t: Target): { import_ms: number; process_ms: number } {
  const started = performance.now();
  const res = spawnSync(process.execPath, [join(WORK, 'measure.mjs'), t.file, t.kind], {
    env: { PATH: process.env.PATH ?? '', ...t.env },
    encoding: 'utf8',
  });
  const process_ms = performance.now() - started;
  if (res.status !== 0) throw new Error(`${t.key} failed to load (exit ${res.status}):\n${res.stderr}`);
  return { import_ms: JSON.parse(res.stdout).import_ms, process_ms };
}

const med = (xs: number[]) => round(percentile(xs, 50), 2);
const p90 = (xs: number[]) => round(percentile(xs, 90), 2);

/** Bundles and measures every function; `runs` fresh processes per bundle and variant (≥ 3). */
export async function measureColdStart(opts: { runs: number; command: string }): Promise<ColdStartResults> {
  const RUNS = opts.runs;
  if (!Number.isInteger(RUNS) || RUNS < 3) throw new Error('runs must be an integer ≥ 3');
  const started = Date.now();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  writeFileSync(join(WORK, 'measure.mjs'), MEASURE);
  mkdirSync(join(WORK, 'baseline'));
  writeFileSync(join(WORK, 'baseline', 'empty.mjs'), 'export {};\n');

  // 1. Bundle (stack options, and the SDK-external comparison).
  const sizes = new Map<string, { bundle: number; map: number; sdkExternalBundle: number }>();
  process.stdout.write(`cold-start: bundling ${FUNCTIONS.length} functions × 2 `);
  for (const f of FUNCTIONS) {
    const out = (variant: string) => join(WORK, variant, f.name, BUNDLE_FILE);
    await build(esbuildOptions(join(ROOT, f.entry), out('stack')));
    await build(
      esbuildOptions(join(ROOT, f.entry), out('sdk_external'), {
        externalModules: VARIANTS.sdk_external.external,
      }),
    );
    sizes.set(f.name, {
      bundle: statSync(out('stack')).size,
      map: statSync(`${out('stack')}.map`).size,
      sdkExternalBundle: statSync(out('sdk_external')).size,
    });
    process.stdout.write('.');
  }
  console.log(' done');

  // 2. Measure, interleaved.
  const baseEnv = (nodeOptions: string, name: string) => ({
    ...LAMBDA_LIKE_ENV,
    AWS_LAMBDA_FUNCTION_NAME: name,
    POWERTOOLS_SERVICE_NAME: name,
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  });
  const targets: Target[] = [
    {
      key: 'baseline',
      file: join(WORK, 'baseline', 'empty.mjs'),
      kind: 'baseline',
      env: baseEnv(SOURCE_MAP_NODE_OPTIONS, 'baseline'),
    },
  ];
  for (const f of FUNCTIONS) {
    for (const [variant, v] of Object.entries(VARIANTS) as [VariantName, (typeof VARIANTS)[VariantName]][]) {
      const dir = variant === 'sdk_external' ? 'sdk_external' : 'stack';
      targets.push({
        key: `${variant}:${f.name}`,
        file: join(WORK, dir, f.name, BUNDLE_FILE),
        kind: 'handler',
        env: baseEnv(v.nodeOptions, f.name),
      });
    }
  }
  const samples = new Map<string, { import_ms: number[]; process_ms: number[] }>(
    targets.map((t) => [t.key, { import_ms: [], process_ms: [] }]),
  );
  for (let run = 1; run <= RUNS; run++) {
    process.stdout.write(`\rcold-start: round ${run}/${RUNS} (${targets.length} processes each)`);
    for (const t of targets) {
      const s = sample(t);
      samples.get(t.key)!.import_ms.push(s.import_ms);
      samples.get(t.key)!.process_ms.push(s.process_ms);
    }
  }
  console.log('');

  // 3. Results.
  const base = samples.get('baseline')!;
  const baseImport = med(base.import_ms);
  const baseProcess = med(base.process_ms);
  const stats = (key: string) => {
    const s = samples.get(key)!;
    const importMs = med(s.import_ms);
    const processMs = med(s.process_ms);
    return {
      import_ms_median: importMs,
      import_ms_p90: p90(s.import_ms),
      import_added_ms: round(importMs - baseImport, 1),
      import_ratio_vs_baseline: ratio(importMs, baseImport),
      process_ms_median: processMs,
      process_ratio_vs_empty_process: ratio(processMs, baseProcess),
    };
  };
  const functions = FUNCTIONS.map((f) => ({
    name: f.name,
    entry: f.entry,
    bundle_bytes: sizes.get(f.name)!.bundle,
    source_map_bytes: sizes.get(f.name)!.map,
    sdk_external_bundle_bytes: sizes.get(f.name)!.sdkExternalBundle,
    variants: Object.fromEntries(
      (Object.keys(VARIANTS) as VariantName[]).map((v) => [v, stats(`${v}:${f.name}`)]),
    ) as Record<VariantName, ReturnType<typeof stats>>,
  }));
  const across = (v: VariantName, field: 'import_ms_median' | 'process_ms_median') =>
    med(functions.map((f) => f.variants[v][field]));
  const results: ColdStartResults = {
    generated_at: new Date().toISOString(),
    command: opts.command,
    machine: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: availableParallelism(),
    },
    runs_per_target: RUNS,
    baseline: {
      description: 'an empty ES module (`export {}`), imported the same way, same environment',
      import_ms_median: baseImport,
      process_ms_median: baseProcess,
    },
    variants: Object.fromEntries(
      (Object.keys(VARIANTS) as VariantName[]).map((v) => [
        v,
        {
          description: VARIANTS[v].description,
          median_import_ms_across_functions: across(v, 'import_ms_median'),
          median_process_ms_across_functions: across(v, 'process_ms_median'),
          median_process_ratio_vs_empty_process: ratio(across(v, 'process_ms_median'), baseProcess),
        },
      ]),
    ),
    functions,
    total_seconds: Math.round((Date.now() - started) / 1000),
  };
  rmSync(WORK, { recursive: true, force: true });
  return results;
}
