/**
 * Renders the "Cold start" section of BENCHMARKS.md from the figures of bench/cold-start.ts. The
 * section sits between two markers so `npm run bench:cold-start` can replace it in place while the
 * other sections of the file are left as they are; `npm run bench` renders it with the rest.
 */
export const COLD_START_BEGIN = '<!-- cold-start:begin -->';
export const COLD_START_END = '<!-- cold-start:end -->';

import {
  BUNDLE_BUDGET_BYTES,
  bundleBudget,
  type FunctionKind,
  INIT_BUDGET_RATIO,
} from '../infra/bundling.ts';
import { percentile } from './lib/stats.ts';

export type { FunctionKind };

interface Timing {
  init_ms: number;
  cold_path_ms: number;
  first_answer: string | number;
  first_requests: Record<string, number>;
}

export interface ColdStartResults {
  generated_at: string;
  command: string;
  machine: { node: string; platform: string; cpus: number };
  runs_per_target: number;
  floor: Timing & {
    description: string;
    bundle_bytes: number;
    with_source_maps_flag: { init_ms: number; cold_path_ms: number };
  };
  reference: Timing & { description: string; bundle_bytes: number; init_ratio_vs_floor: number };
  projects_get_cold_path_ratio_vs_reference: number;
  projects_get_init_ratio_vs_reference: number;
  functions: Array<
    Timing & {
      name: string;
      entry: string;
      kind: FunctionKind;
      bundle_bytes: number;
      source_map_bytes: number;
      init_ratio_vs_floor: number;
      cold_path_ratio_vs_floor: number;
      with_source_maps_flag: { init_ms: number; cold_path_ms: number; init_ratio_vs_floor: number };
    }
  >;
  total_seconds: number;
}

const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const head = (cells: string[]) => [row(cells), `|${cells.map(() => '---').join('|')}|`];
const mark = (ok: boolean) => (ok ? '✓' : '✗');
const requests = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([op, n]) => `${n} ${op.split('.').pop()}`)
    .join(', ') || 'none';

export function renderColdStartSection(r: ColdStartResults): string {
  const pg = r.functions.find((f) => f.name === 'projects.get');
  const overBytes = r.functions.filter((f) => f.bundle_bytes > bundleBudget(f));
  const overInit = r.functions.filter((f) => f.init_ratio_vs_floor > INIT_BUDGET_RATIO);
  const flagCost = percentile(
    r.functions.map((f) => f.with_source_maps_flag.init_ms - f.init_ms),
    50,
  );
  const lines = [
    COLD_START_BEGIN,
    '## Cold start',
    '',
    `Command: \`${r.command}\` on ${r.generated_at}, Node ${r.machine.node}, ${r.machine.platform}, ${r.machine.cpus} CPUs; ${r.runs_per_target} fresh processes per target, interleaved; medians.`,
    '',
    'Every function is bundled with the options the CDK stack gives `NodejsFunction` (`infra/bundling.ts`; the infra tests check the benchmark’s bundle is byte-identical to CDK’s) and run as deployed, without `--enable-source-maps` (a column shows it with the flag). **Init** = `performance.now()` around `await import(bundle)` in a fresh `node` process with a Lambda-like environment (configuration is parsed during the import, as on a cold start). **Cold path** = init plus the first invocation (the request in the last column) against a loopback stand-in for DynamoDB, SQS and the secrets extension that answers at once (`bench/lib/aws-stand-in.ts`). The **floor** is `bench/cold-start-floor.ts` (the DynamoDB client and lib-dynamodb, one GetItem) bundled with the same options; the **reference** is `projects.get` as the first release shipped it (commit 643e134, kept in `bench/reference/`), measured in this run. Ratios are medians of per-round ratios (each pair measured within one round, so load that drifts across a shared machine cancels out). These are local Node 22 numbers on this machine, not Lambda arm64 durations: compare the ratios.',
    '',
    `Budgets (issue “Lean functions”): bundles ≤ ${kb(BUNDLE_BUDGET_BYTES.api)} for API functions and ≤ ${kb(BUNDLE_BUDGET_BYTES.large)} for the workers and the OpenAPI function; init ≤ ${INIT_BUDGET_RATIO}× the floor’s; the cold path of \`projects.get\` ≤ 0.5× the reference’s.`,
    '',
    ...head(['', 'bundle', 'init ms', 'cold path ms', 'first request: answer, AWS calls']),
    row([
      '**floor**',
      kb(r.floor.bundle_bytes),
      r.floor.init_ms,
      r.floor.cold_path_ms,
      `${r.floor.first_answer}; ${requests(r.floor.first_requests)}`,
    ]),
    row([
      '**reference** `projects.get` @643e134',
      kb(r.reference.bundle_bytes),
      `${r.reference.init_ms} (×${r.reference.init_ratio_vs_floor} floor)`,
      r.reference.cold_path_ms,
      `${r.reference.first_answer}; ${requests(r.reference.first_requests)}`,
    ]),
    '',
    ...(pg
      ? [
          `\`projects.get\` now: init ${pg.init_ms} ms (×${r.projects_get_init_ratio_vs_reference} the reference), cold path ${pg.cold_path_ms} ms (**×${r.projects_get_cold_path_ratio_vs_reference} the reference**, budget ×0.5 ${mark(r.projects_get_cold_path_ratio_vs_reference <= 0.5)}).`,
          '',
        ]
      : []),
    ...head([
      'function',
      'bundle (budget)',
      'source map',
      'init ms',
      'init × floor',
      'cold path ms',
      'cold path × floor',
      'init ms with `--enable-source-maps`',
      'first request: answer, AWS calls',
    ]),
    ...r.functions.map((f) =>
      row([
        `\`${f.name}\``,
        `${kb(f.bundle_bytes)} ${mark(f.bundle_bytes <= bundleBudget(f))}`,
        kb(f.source_map_bytes),
        f.init_ms,
        `×${f.init_ratio_vs_floor} ${mark(f.init_ratio_vs_floor <= INIT_BUDGET_RATIO)}`,
        f.cold_path_ms,
        `×${f.cold_path_ratio_vs_floor}`,
        `${f.with_source_maps_flag.init_ms} (×${f.with_source_maps_flag.init_ratio_vs_floor} the floor with it)`,
        `${f.first_answer}; ${requests(f.first_requests)}`,
      ]),
    ),
    '',
    `Over the bundle budget: ${overBytes.length ? overBytes.map((f) => `\`${f.name}\` (${kb(f.bundle_bytes)})`).join(', ') : 'none'}. Over the init budget: ${overInit.length ? overInit.map((f) => `\`${f.name}\` (×${f.init_ratio_vs_floor})`).join(', ') : 'none'}.`,
    '',
    `\`NODE_OPTIONS=--enable-source-maps\` costs a median ${Math.round(flagCost * 10) / 10} ms of init per function here (floor: ${r.floor.with_source_maps_flag.init_ms} ms with it, ${r.floor.init_ms} ms without). The functions run without it; docs/deploy.md (“Source maps”) has the decision and how a trace is decoded.`,
    COLD_START_END,
  ];
  return `${lines.join('\n')}\n`;
}

/** Replaces the marked section in `markdown`, or appends it (creating the file's title if empty). */
export function upsertColdStartSection(markdown: string, r: ColdStartResults): string {
  const section = renderColdStartSection(r);
  const begin = markdown.indexOf(COLD_START_BEGIN);
  const end = markdown.indexOf(COLD_START_END);
  if (begin >= 0 && end > begin) {
    const after = markdown.slice(end + COLD_START_END.length).replace(/^\n/, '');
    return markdown.slice(0, begin) + section + after;
  }
  const base = markdown.trim().length > 0 ? `${markdown.trimEnd()}\n\n` : '# Benchmarks\n\n';
  return base + section;
}
