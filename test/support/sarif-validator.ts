import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Microsoft's SARIF validator (`@microsoft/sarif-multitool`, a devDependency; its platform package ships
 * the self-contained binary through npm, so it runs after `npm ci` with no download). `validate` with
 * the SARIF rules and the GitHub Advanced Security (code scanning upload) rules; the findings are read
 * from the validator's own SARIF output, since its exit code is 0 whatever it finds.
 */
export const RULE_KINDS = 'Sarif;Ghas';

export interface ValidatorFinding {
  ruleId: string;
  level: string;
  message: string;
}

/** The multitool binary of this platform (the package's main module resolves it). */
export function multitoolPath(): string {
  return createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
}

export async function validateSarif(document: string): Promise<ValidatorFinding[]> {
  const dir = await mkdtemp(join(tmpdir(), 'wro-sarif-'));
  try {
    const input = join(dir, 'report.sarif');
    const output = join(dir, 'validation.sarif');
    await writeFile(input, document);
    // No shell: the rule kinds' `;` is an argument, not a command separator.
    await promisify(execFile)(
      multitoolPath(),
      ['validate', input, '--rule-kind', RULE_KINDS, '--output', output, '--log', 'ForceOverwrite'],
      { timeout: 120_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } },
    );
    const log = JSON.parse(await readFile(output, 'utf8'));
    const run = log.runs[0];
    const rules = run.tool.driver.rules ?? [];
    return (run.results ?? []).map((r: any) => {
      const rule = rules[r.ruleIndex] ?? {};
      const template = r.message.text ?? rule.messageStrings?.[r.message.id]?.text ?? r.message.id;
      const message = String(template).replace(
        /\{(\d+)\}/g,
        (_m: string, i: string) => r.message.arguments?.[i] ?? '',
      );
      return { ruleId: r.ruleId, level: r.level ?? 'warning', message };
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
