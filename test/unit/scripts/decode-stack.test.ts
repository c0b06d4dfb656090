import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, esbuildOptions } from '../../../infra/bundling.ts';
import { decodeStack } from '../../../scripts/decode-stack.ts';

const dir = mkdtempSync(join(tmpdir(), 'wro-decode-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('decode-stack', () => {
  it('maps a minified bundle trace, run without --enable-source-maps, back to the source line', async () => {
    const outfile = join(dir, BUNDLE_FILE);
    await build({
      ...esbuildOptions(join(import.meta.dirname, 'fixtures/throws.ts'), outfile),
      logLevel: 'silent',
    });
    let stack = '';
    try {
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(outfile)}); await m.handler();`,
        ],
        {
          env: { PATH: process.env.PATH },
          stdio: 'pipe',
        },
      );
    } catch (err) {
      stack = String((err as { stderr: Buffer }).stderr);
    }
    expect(stack).toMatch(/index\.mjs:\d+:\d+/);
    expect(stack).not.toContain('throws.ts');
    const map = new SourceMap(JSON.parse(readFileSync(`${outfile}.map`, 'utf8')));
    const decoded = decodeStack(stack, map, dir);
    expect(decoded).toContain('test/unit/scripts/fixtures/throws.ts:4:');
  });
});
