/**
 * `npm run bench:cold-start [-- --runs N]`: the cold-start part of `npm run bench` on its own (bundle
 * sizes, init and cold path of every function against the floor and the first release's
 * `projects.get`; see bench/cold-start.ts), with more runs (15 by default). Writes bench/cold-start.json (not committed: `npm run bench`
 * keeps the same figures in bench/results.json) and replaces the "Cold start" section of
 * BENCHMARKS.md, leaving the other sections as they are.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { measureColdStart } from '../bench/cold-start.ts';
import { upsertColdStartSection } from '../bench/cold-start-report.ts';

const ROOT = resolve(import.meta.dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const command = runsArg > 0 ? `npm run bench:cold-start -- --runs ${runs}` : 'npm run bench:cold-start';

measureColdStart({ runs, command }).then(
  (results) => {
    writeFileSync(join(ROOT, 'bench', 'cold-start.json'), `${JSON.stringify(results, null, 2)}\n`);
    const mdPath = join(ROOT, 'BENCHMARKS.md');
    let existing = '';
    try {
      existing = readFileSync(mdPath, 'utf8');
    } catch {}
    writeFileSync(mdPath, upsertColdStartSection(existing, results));
    console.log(`cold-start: wrote bench/cold-start.json and BENCHMARKS.md in ${results.total_seconds} s`);
    process.exit(0);
  },
  (err) => {
    console.error(`cold-start failed: ${(err as Error).stack ?? err}`);
    process.exit(1);
  },
);
