/**
 * `npm run decode-stack -- <function> [< stack.txt]`: turns a deployed function's stack trace
 * (positions in its minified `index.mjs`) back into source positions.
 *
 * The functions run without `--enable-source-maps` (docs/deploy.md, "Source maps": the flag costs
 * init time on every cold start); their maps are decoded here instead. The bundle is rebuilt with the
 * stack's own options (infra/bundling.ts), which give the same bytes as the deployed asset of the same
 * commit, and each `index.mjs:<line>:<column>` of the trace is looked up in its map with Node's
 * `module.SourceMap`. Run it on the commit that was deployed.
 *
 * <function> is a route name (`projects.get`), `delivery-worker`, `dispatcher` or `fallback`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_FILE, esbuildOptions } from '../infra/bundling.ts';
import { FALLBACK, ROUTES, WORKERS } from '../lib/http/routes.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRIES: Record<string, string> = Object.fromEntries([
  ...ROUTES.map((r) => [r.name, r.entry]),
  ...[WORKERS.delivery, WORKERS.dispatcher, FALLBACK].map((w) => [w.name, w.entry]),
]);

/** Every `index.mjs:L:C` of the text, replaced by the source position it came from. */
export function decodeStack(text: string, map: SourceMap, sourceRoot: string): string {
  return text.replace(
    /(?:file:\/\/)?(?:\/var\/task\/)?index\.mjs:(\d+):(\d+)/g,
    (whole, line: string, column: string) => {
      const entry = map.findEntry(Number(line) - 1, Number(column) - 1);
      if (!entry || !('originalSource' in entry)) return whole;
      const source = relative(ROOT, resolve(sourceRoot, entry.originalSource.replace(/^file:\/\//, '')));
      return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    },
  );
}

async function main() {
  const name = process.argv[2];
  const entry = name ? ENTRIES[name] : undefined;
  if (!entry) {
    console.error(
      `usage: npm run decode-stack -- <function> < stack.txt\nfunctions: ${Object.keys(ENTRIES).join(', ')}`,
    );
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'wro-decode-'));
  try {
    const outfile = join(dir, BUNDLE_FILE);
    await build({ ...esbuildOptions(join(ROOT, entry), outfile), logLevel: 'silent' });
    const map = new SourceMap(JSON.parse(readFileSync(`${outfile}.map`, 'utf8')));
    process.stdout.write(decodeStack(readFileSync(0, 'utf8'), map, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) await main();
