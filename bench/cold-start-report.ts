/**
 * Renders the "Cold start" section of BENCHMARKS.md from the figures of bench/cold-start.ts. The
 * section sits between two markers so `npm run bench:cold-start` can replace it in place while the
 * other sections of the file are left as they are; `npm run bench` renders it with the rest.
 */
export const COLD_START_BEGIN = '<!-- cold-start:begin -->';
export const COLD_START_END = '<!-- cold-start:end -->';

interface VariantStats {
  import_ms_median: number;
  import_ms_p90: number;
  import_added_ms: number;
  import_ratio_vs_baseline: number;
  process_ms_median: number;
  process_ratio_vs_empty_process: number;
}

export interface ColdStartResults {
  generated_at: string;
  command: string;
  machine: { node: string; platform: string; cpus: number };
  runs_per_target: number;
  baseline: { description: string; import_ms_median: number; process_ms_median: number };
  variants: Record<
    string,
    {
      description: string;
      median_import_ms_across_functions: number;
      median_process_ms_across_functions: number;
      median_process_ratio_vs_empty_process: number;
    }
  >;
  functions: Array<{
    name: string;
    entry: string;
    bundle_bytes: number;
    source_map_bytes: number;
    sdk_external_bundle_bytes: number;
    variants: Record<string, VariantStats>;
  }>;
  total_seconds: number;
}

const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const head = (cells: string[]) => [row(cells), `|${cells.map(() => '---').join('|')}|`];

export function renderColdStartSection(r: ColdStartResults): string {
  const stack = r.variants.stack!;
  const external = r.variants.sdk_external!;
  const noMaps = r.variants.no_source_maps_flag!;
  const sdkVerdict =
    stack.median_import_ms_across_functions <= external.median_import_ms_across_functions
      ? `bundling the SDK initialises faster (median ${stack.median_import_ms_across_functions} ms vs ${external.median_import_ms_across_functions} ms with the SDK external)`
      : `the SDK-external variant initialised faster in this run (median ${external.median_import_ms_across_functions} ms vs ${stack.median_import_ms_across_functions} ms bundled); the stack still bundles it to pin the SDK version the tests ran with`;
  const lines = [
    COLD_START_BEGIN,
    '## Cold start',
    '',
    `Command: \`${r.command}\` on ${r.generated_at}, Node ${r.machine.node}, ${r.machine.platform}, ${r.machine.cpus} CPUs; ${r.runs_per_target} fresh processes per bundle, interleaved; medians.`,
    '',
    'Every function is bundled with the options the CDK stack gives `NodejsFunction` (`infra/bundling.ts`: ESM, minified, external source map without sources, AWS SDK bundled; the infra tests check the script’s bundle is byte-identical to CDK’s). Module initialisation = `performance.now()` around `await import(bundle)` in a fresh `node` process with a Lambda-like environment (configuration is parsed during the import, as on a cold start); baseline = an empty module imported the same way in the same run. Process = wall time of the whole `node` process, against the same process importing the empty module. These are local Node 22 numbers on x64, not Lambda arm64 durations: compare the ratios.',
    '',
    `Baseline: empty module import ${r.baseline.import_ms_median} ms, empty process ${r.baseline.process_ms_median} ms.`,
    '',
    ...head([
      'function',
      'bundle',
      'source map',
      'init ms',
      'init added vs empty module',
      'process ms',
      'process × empty process',
      'init ms, SDK external',
    ]),
    ...r.functions.map((f) => {
      const s = f.variants.stack!;
      return row([
        `\`${f.name}\``,
        kb(f.bundle_bytes),
        kb(f.source_map_bytes),
        s.import_ms_median,
        `+${s.import_added_ms} ms (×${s.import_ratio_vs_baseline})`,
        s.process_ms_median,
        `×${s.process_ratio_vs_empty_process}`,
        f.variants.sdk_external!.import_ms_median,
      ]);
    }),
    '',
    ...head(['variant', 'median init ms (across functions)', 'median process ms', 'process × empty process']),
    ...Object.entries(r.variants).map(([name, v]) =>
      row([
        `\`${name}\`: ${v.description}`,
        v.median_import_ms_across_functions,
        v.median_process_ms_across_functions,
        `×${v.median_process_ratio_vs_empty_process}`,
      ]),
    ),
    '',
    `Reading: ${sdkVerdict}. \`NODE_OPTIONS=--enable-source-maps\` costs ${round1(stack.median_import_ms_across_functions - noMaps.median_import_ms_across_functions)} ms of median initialisation here.`,
    COLD_START_END,
  ];
  return `${lines.join('\n')}\n`;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

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
