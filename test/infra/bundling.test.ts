import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILE, BUNDLING, esbuildOptions } from '../../infra/bundling.ts';
import { AppFunction, REPO_ROOT } from '../../infra/constructs/app-function.ts';
import { findRoute } from '../../lib/http/routes.ts';
import { CDK_CONTEXT } from './synth.ts';

/**
 * The real bundling path, for one function: NodejsFunction runs esbuild as `cdk synth` does, and the
 * result must be an ESM bundle with the SDK inside that Node 22 can load; the cold-start script's
 * esbuild options (infra/bundling.ts) must produce the very same file.
 */
const route = findRoute('openapi');
let assetDir: string;
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'wro-bundle-'));
  const app = new App({ context: CDK_CONTEXT, outdir: join(scratch, 'cdk.out') });
  const stack = new Stack(app, 'BundlingProbe');
  const f = new AppFunction(stack, 'Openapi', {
    name: route.name,
    entry: route.entry,
    description: 'bundling probe',
    memorySize: 512,
    timeout: Duration.seconds(10),
    environment: {},
    logRetention: RetentionDays.ONE_DAY,
    code: 'bundle',
  });
  const assembly = app.synth();
  const resource =
    assembly.getStackByName('BundlingProbe').template.Resources[
      stack.getLogicalId(f.fn.node.defaultChild as never)
    ];
  // The staged asset directory is named after the hash the template uses as the S3 key.
  const hash = String(resource.Properties.Code.S3Key).replace(/\.zip$/, '');
  assetDir = join(assembly.directory, `asset.${hash}`);
});

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('function bundling (NodejsFunction → esbuild)', () => {
  it('writes a minified ESM bundle with the require banner and an external source map without sources', () => {
    const code = readFileSync(join(assetDir, BUNDLE_FILE), 'utf8');
    expect(code.startsWith(BUNDLING.banner)).toBe(true);
    expect(code.trimEnd().endsWith(`//# sourceMappingURL=${BUNDLE_FILE}.map`)).toBe(true);
    const map = JSON.parse(readFileSync(join(assetDir, `${BUNDLE_FILE}.map`), 'utf8'));
    expect(map.sources.some((s: string) => s.includes('functions/openapi.ts'))).toBe(true);
    expect(map.sourcesContent).toBeUndefined();
  });

  it('bundles the AWS SDK instead of importing the runtime copy', () => {
    const code = readFileSync(join(assetDir, BUNDLE_FILE), 'utf8');
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).not.toMatch(/import\s*\(\s*["']@aws-sdk\//);
  });

  it('loads on its own (copied away from node_modules) in a fresh Node 22 process and exports the handler', () => {
    // Outside the repository no node_modules is reachable: any external import would fail here.
    const alone = join(scratch, 'alone');
    mkdirSync(alone);
    copyFileSync(join(assetDir, BUNDLE_FILE), join(alone, BUNDLE_FILE));
    copyFileSync(join(assetDir, `${BUNDLE_FILE}.map`), join(alone, `${BUNDLE_FILE}.map`));
    const out = execFileSync(
      process.execPath,
      [
        '--enable-source-maps',
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(join(alone, BUNDLE_FILE))}); console.log(typeof m.handler);`,
      ],
      {
        cwd: alone,
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          AWS_LAMBDA_FUNCTION_NAME: 'bundling-probe',
          WRO_TABLE_NAME: 'bundling-probe-table',
        },
        encoding: 'utf8',
      },
    );
    expect(out.trim()).toBe('function');
  });

  it('is byte for byte what the cold-start script builds from infra/bundling.ts', async () => {
    const outfile = join(scratch, BUNDLE_FILE);
    await build({ ...esbuildOptions(join(REPO_ROOT, route.entry), outfile), logLevel: 'silent' });
    expect(readFileSync(outfile, 'utf8')).toBe(readFileSync(join(assetDir, BUNDLE_FILE), 'utf8'));
    expect(existsSync(`${outfile}.map`)).toBe(true);
  });
});
