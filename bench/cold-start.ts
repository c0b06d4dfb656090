/**
 * The cold-start budget of every Lambda function, measured by `npm run bench` (section `cold_start`)
 * and on its own by `npm run bench:cold-start [-- --runs N]` (scripts/cold-start.ts).
 *
 * 1. Bundles every route, worker and the fallback with esbuild exactly as the CDK stack does (the
 *    options of infra/bundling.ts; test/infra/bundling.test.ts proves the output is byte-identical to
 *    NodejsFunction's), and the floor (bench/cold-start-floor.ts: the DynamoDB client and lib-dynamodb
 *    only) with the same options.
 * 2. Measures, in a fresh `node` process per sample with a Lambda-like environment:
 *    - init: `performance.now()` around `await import(bundle)` (configuration is parsed during the
 *      import, as on a real cold start);
 *    - cold path: init plus the first invocation, with a documented first request per function,
 *      against a loopback stand-in for DynamoDB, SQS and the secrets extension (bench/lib/aws-stand-in.ts),
 *      which holds a seeded account, token and project.
 *    Each function runs as deployed (no `--enable-source-maps`, its map beside it) and with the flag
 *    (the source-map decision in docs/deploy.md). Samples are interleaved (one of
 *    each target per round) so machine noise spreads evenly.
 * 3. The reference row is `projects.get` as the first release shipped it (commit 643e134: zod's full
 *    namespace, every client and the default credential chain in every function), kept as built then
 *    in bench/reference/ (gzip) and measured in the same run, so "today's" cold path is a figure of
 *    this run, not of another machine's.
 *
 * Reference bundle, rebuilt with: `git worktree add /tmp/ref 643e134 && ln -s "$PWD/node_modules"
 * /tmp/ref/ && cd /tmp/ref && npx tsx -e "…build(esbuildOptions('functions/projects-get.ts', 'out/index.mjs'))"`
 * (that commit's infra/bundling.ts), then `gzip -9` of index.mjs and index.mjs.map.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { BUNDLE_FILE, esbuildOptions } from '../infra/bundling.ts';
import { parseConfig } from '../lib/config.ts';
import { createDocumentClient } from '../lib/db/client.ts';
import { keys } from '../lib/db/keys.ts';
import { createToken } from '../lib/domain/accounts.ts';
import { FALLBACK, ROUTES, type RouteDef, WORKERS } from '../lib/http/routes.ts';
import { newId } from '../lib/ids.ts';
import type { Runtime } from '../lib/runtime.ts';
import type { ColdStartResults, FunctionKind } from './cold-start-report.ts';
import { type AwsStandIn, startAwsStandIn } from './lib/aws-stand-in.ts';
import { benchAccount } from './lib/fixtures.ts';
import { apiEvent } from './lib/invoke.ts';
import { percentile, round } from './lib/stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const WORK = join(ROOT, 'node_modules', '.cache', 'wro-cold-start');
const REFERENCE = join(ROOT, 'bench', 'reference', 'projects-get@643e134');

const TABLE = 'webriskops-coldstart-table';
const SCANNER_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:scanner-AbCdEf';
const TARGET_KEY_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:target-key-AbCdEf';
const SCANNER_SECRET = 'bench-scanner-secret-0123456789';
/** The flag the first release ran every function with, measured beside the deployed no-flag setting. */
const SOURCE_MAPS_FLAG = '--enable-source-maps';

interface Fn {
  name: string;
  entry: string;
  kind: FunctionKind;
  route?: RouteDef;
}

const FUNCTIONS: Fn[] = [
  ...ROUTES.map((r): Fn => ({ name: r.name, entry: r.entry, kind: 'api', route: r })),
  { name: FALLBACK.name, entry: FALLBACK.entry, kind: 'api' },
  { name: WORKERS.delivery.name, entry: WORKERS.delivery.entry, kind: 'worker' },
  { name: WORKERS.dispatcher.name, entry: WORKERS.dispatcher.entry, kind: 'worker' },
];

/** What a sample runs: import (timed), then the first invocation (timed), then exit. */
const MEASURE = `import { readFileSync } from 'node:fs';
const t0 = performance.now();
const m = await import(process.argv[2]);
const t1 = performance.now();
const event = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const context = { awsRequestId: 'cold-start', functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  getRemainingTimeInMillis: () => 29000, callbackWaitsForEmptyEventLoop: false };
const out = await m.handler(event, context);
const t2 = performance.now();
const answer = out?.statusCode ?? (out?.batchItemFailures ? 'failures:' + out.batchItemFailures.length : 'ok');
process.stdout.write(JSON.stringify({ import_ms: t1 - t0, cold_path_ms: t2 - t0, answer }));
process.exit(0);
`;

interface Target {
  key: string;
  file: string;
  eventFile: string;
  env: Record<string, string>;
}

interface Sample {
  import_ms: number;
  cold_path_ms: number;
  answer: string | number;
  requests: Record<string, number>;
}

function run(t: Target, standIn: AwsStandIn): Promise<Sample> {
  standIn.reset();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(WORK, 'measure.mjs'), t.file, t.eventFile], {
      env: { PATH: process.env.PATH ?? '', ...t.env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c;
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`${t.key} failed (exit ${code}):\n${err}`));
      const lines = out.trim().split('\n');
      if (lines.length > 1) process.stderr.write(`\n${t.key}: ${lines.slice(0, -1).join('\n')}\n`);
      done({ ...JSON.parse(lines.at(-1) as string), requests: { ...standIn.counts } });
    });
  });
}

/** The first request each function gets: an authenticated call of its route, or a worker's batch. */
function firstEvent(f: Fn, fixture: { token: string; projectId: string }): unknown {
  if (f.name === FALLBACK.name) return apiEvent({ method: 'PUT', path: '/api/projects' });
  if (f.name === WORKERS.delivery.name) {
    return {
      Records: [
        {
          messageId: 'cold-start-1',
          receiptHandle: 'cold-start-1',
          body: JSON.stringify({ type: 'ticket_export', export_id: newId('export') }),
          attributes: { ApproximateReceiveCount: '1' },
          eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:deliveries',
        },
      ],
    };
  }
  if (f.name === WORKERS.dispatcher.name) {
    const k = keys.project(fixture.projectId);
    return {
      Records: [
        {
          eventID: 'cold-start-1',
          eventName: 'MODIFY',
          dynamodb: {
            Keys: { pk: { S: k.pk }, sk: { S: k.sk } },
            NewImage: { pk: { S: k.pk }, sk: { S: k.sk }, name: { S: 'after' } },
            OldImage: { pk: { S: k.pk }, sk: { S: k.sk }, name: { S: 'before' } },
          },
        },
      ],
    };
  }
  const r = f.route as RouteDef;
  // The seeded project for the project routes' reads; fresh ids elsewhere (a 404 after auth, rate limit
  // and any claim: the stand-in does not evaluate update expressions, so no write path runs past them).
  const params: Record<string, string> = {
    projectId: r.name.startsWith('projects.') ? fixture.projectId : newId('project'),
    scanRunId: '1',
    targetId: newId('target'),
    exportId: newId('export'),
  };
  const names = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const headers: Record<string, string> =
    r.auth === 'scanner'
      ? { 'x-scanner-secret': SCANNER_SECRET }
      : r.auth === 'bearer'
        ? { authorization: `Bearer ${fixture.token}` }
        : {};
  if (r.idempotent) headers['idempotency-key'] = `cold-start-${r.name}`;
  if (r.jsonBody) headers['content-type'] = 'application/json';
  return apiEvent({
    method: r.method,
    path: r.path.replace(/\{(\w+)\}/g, (_, n: string) => params[n] as string),
    routePath: r.path,
    headers,
    params: Object.fromEntries(names.map((n) => [n, params[n] as string])),
    ...(r.jsonBody ? { body: '{}' } : {}),
  });
}

const med = (xs: number[]) => round(percentile(xs, 50), 1);

/** Bundles and measures every function; `runs` fresh processes per target (≥ 3). */
export async function measureColdStart(opts: { runs: number; command: string }): Promise<ColdStartResults> {
  const RUNS = opts.runs;
  if (!Number.isInteger(RUNS) || RUNS < 3) throw new Error('runs must be an integer ≥ 3');
  const started = Date.now();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'events'), { recursive: true });
  writeFileSync(join(WORK, 'measure.mjs'), MEASURE);

  // 1. Bundles: the functions and the floor with the stack's options; the reference as shipped.
  const bundleOf = (name: string) => join(WORK, name, BUNDLE_FILE);
  process.stdout.write(`cold-start: bundling ${FUNCTIONS.length + 1} functions `);
  for (const f of [...FUNCTIONS, { name: 'floor', entry: 'bench/cold-start-floor.ts' }]) {
    await build(esbuildOptions(join(ROOT, f.entry), bundleOf(f.name)));
    process.stdout.write('.');
  }
  mkdirSync(join(WORK, 'reference'));
  for (const file of [BUNDLE_FILE, `${BUNDLE_FILE}.map`]) {
    writeFileSync(join(WORK, 'reference', file), gunzipSync(readFileSync(join(REFERENCE, `${file}.gz`))));
  }
  console.log(' done');

  // 2. The stand-in and its fixture (written with the real domain code, through the SDK).
  const standIn = await startAwsStandIn({
    [SCANNER_SECRET_ARN]: SCANNER_SECRET,
    [TARGET_KEY_ARN]: 'k'.repeat(40),
  });
  const local = { region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const ddb = new DynamoDBClient({ ...local, endpoint: standIn.url });
  const db = { doc: createDocumentClient(ddb), table: TABLE };
  const { account, project } = await benchAccount({
    db,
    config: parseConfig({ WRO_TABLE_NAME: TABLE }),
  } as Runtime);
  const { api_token } = await createToken(db, { accountId: account.id });
  ddb.destroy();
  const fixture = { token: api_token, projectId: project.id };

  const lambdaEnv = (name: string, nodeOptions: string) => ({
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_ACCESS_KEY_ID: 'ASIABENCHCOLDSTART',
    AWS_SECRET_ACCESS_KEY: 'bench-cold-start-secret-access-key',
    AWS_SESSION_TOKEN: 'bench-cold-start-session-token',
    AWS_ENDPOINT_URL_DYNAMODB: standIn.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: standIn.url,
    AWS_ENDPOINT_URL_SQS: standIn.url,
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: new URL(standIn.url).port,
    POWERTOOLS_SERVICE_NAME: name,
    WRO_TABLE_NAME: TABLE,
    WRO_STAGE: 'bench',
    WRO_DELIVERIES_QUEUE_URL: `${standIn.url}/123456789012/deliveries`,
    WRO_ARTIFACTS_BUCKET: 'webriskops-coldstart-artifacts',
    WRO_SCANNER_SECRET_ARN: SCANNER_SECRET_ARN,
    WRO_TARGET_SECRETS_KEY_ARN: TARGET_KEY_ARN,
    WRO_LOG_LEVEL: 'ERROR',
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  });
  const eventFile = (name: string, event: unknown) => {
    const file = join(WORK, 'events', `${name}.json`);
    writeFileSync(file, JSON.stringify(event));
    return file;
  };
  const projectsGet = FUNCTIONS.find((f) => f.name === 'projects.get') as Fn;
  const floorEvent = eventFile('floor', { table: TABLE, ...keys.project(project.id) });
  const target = (key: string, file: string, event: string, name: string, flag: boolean): Target => ({
    key,
    file,
    eventFile: event,
    env: lambdaEnv(name, flag ? SOURCE_MAPS_FLAG : ''),
  });
  const targets: Target[] = [
    target('floor', bundleOf('floor'), floorEvent, 'floor', false),
    target('floor:with_flag', bundleOf('floor'), floorEvent, 'floor', true),
    // As deployed then: with the flag.
    target(
      'reference',
      join(WORK, 'reference', BUNDLE_FILE),
      eventFile('reference', firstEvent(projectsGet, fixture)),
      'projects.get',
      true,
    ),
  ];
  for (const f of FUNCTIONS) {
    const ev = eventFile(f.name, firstEvent(f, fixture));
    targets.push(
      target(`stack:${f.name}`, bundleOf(f.name), ev, f.name, false),
      target(`with_flag:${f.name}`, bundleOf(f.name), ev, f.name, true),
    );
  }

  // 3. Interleaved rounds.
  const samples = new Map<string, Sample[]>(targets.map((t) => [t.key, []]));
  try {
    for (let round = 1; round <= RUNS; round++) {
      process.stdout.write(`\rcold-start: round ${round}/${RUNS} (${targets.length} processes each)`);
      for (const t of targets) samples.get(t.key)?.push(await run(t, standIn));
    }
  } finally {
    await standIn.close();
  }
  console.log('');

  // 4. Figures.
  const stats = (key: string) => {
    const s = samples.get(key) as Sample[];
    const first = s[0] as Sample;
    return {
      init_ms: med(s.map((x) => x.import_ms)),
      cold_path_ms: med(s.map((x) => x.cold_path_ms)),
      first_answer: first.answer,
      first_requests: first.requests,
    };
  };
  /**
   * A ratio as the median of per-round ratios: both samples of a pair ran within the same round, a
   * few seconds apart, so load that drifts across the run (a shared machine) cancels out.
   */
  const paired = (key: string, baseKey: string, field: 'import_ms' | 'cold_path_ms') => {
    const a = samples.get(key) as Sample[];
    const b = samples.get(baseKey) as Sample[];
    return round(
      percentile(
        a.map((x, i) => x[field] / (b[i] as Sample)[field]),
        50,
      ),
      2,
    );
  };
  const floor = stats('floor');
  const floorWithFlag = stats('floor:with_flag');
  const reference = stats('reference');
  const refBytes = statSync(join(WORK, 'reference', BUNDLE_FILE)).size;
  const functions = FUNCTIONS.map((f) => {
    const stack = stats(`stack:${f.name}`);
    const withFlag = stats(`with_flag:${f.name}`);
    return {
      name: f.name,
      entry: f.entry,
      kind: f.kind,
      bundle_bytes: statSync(bundleOf(f.name)).size,
      source_map_bytes: statSync(`${bundleOf(f.name)}.map`).size,
      ...stack,
      init_ratio_vs_floor: paired(`stack:${f.name}`, 'floor', 'import_ms'),
      cold_path_ratio_vs_floor: paired(`stack:${f.name}`, 'floor', 'cold_path_ms'),
      with_source_maps_flag: {
        init_ms: withFlag.init_ms,
        cold_path_ms: withFlag.cold_path_ms,
        init_ratio_vs_floor: paired(`with_flag:${f.name}`, 'floor:with_flag', 'import_ms'),
      },
    };
  });
  const pg = functions.find((f) => f.name === 'projects.get') as (typeof functions)[number];
  if (pg.first_answer !== 200 || reference.first_answer !== 200) {
    throw new Error(
      `projects.get must answer 200 on its first request (got ${pg.first_answer}, reference ${reference.first_answer})`,
    );
  }
  const results: ColdStartResults = {
    generated_at: new Date().toISOString(),
    command: opts.command,
    machine: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: availableParallelism(),
    },
    runs_per_target: RUNS,
    floor: {
      description:
        'bench/cold-start-floor.ts: the DynamoDB client and lib-dynamodb only, bundled with the same options; one GetItem',
      bundle_bytes: statSync(bundleOf('floor')).size,
      ...floor,
      with_source_maps_flag: { init_ms: floorWithFlag.init_ms, cold_path_ms: floorWithFlag.cold_path_ms },
    },
    reference: {
      description:
        'projects.get as the first release shipped it (commit 643e134), as deployed then (source maps flag on)',
      bundle_bytes: refBytes,
      ...reference,
      init_ratio_vs_floor: paired('reference', 'floor', 'import_ms'),
    },
    projects_get_cold_path_ratio_vs_reference: paired('stack:projects.get', 'reference', 'cold_path_ms'),
    projects_get_init_ratio_vs_reference: paired('stack:projects.get', 'reference', 'import_ms'),
    functions,
    total_seconds: Math.round((Date.now() - started) / 1000),
  };
  rmSync(WORK, { recursive: true, force: true });
  return results;
}
