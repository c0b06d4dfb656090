import { describe, expect, it } from 'vitest';
import { buildSarifLog } from '../../../lib/domain/sarif-report.ts';
import { realisticRun } from '../../support/report-fixtures.ts';
import { validateSarif } from '../../support/sarif-validator.ts';

/**
 * The SARIF report passes Microsoft's SARIF validator, with the rules GitHub code scanning applies on
 * upload (docs/scanner-results.md, "The scan report"): not one finding, of any level.
 */
describe('the SARIF report, validated by @microsoft/sarif-multitool (SARIF and GitHub rules)', () => {
  it('a realistic run (pages, issue types, every severity, unicode, long text) validates clean', async () => {
    const findings = await validateSarif(JSON.stringify(buildSarifLog(realisticRun())));
    expect(findings).toEqual([]);
  }, 180_000);

  it('a run without issues validates clean', async () => {
    const { run, pages } = realisticRun();
    expect(await validateSarif(JSON.stringify(buildSarifLog({ run, pages, issues: [] })))).toEqual([]);
  }, 180_000);

  it('fails a document the SARIF schema refuses, and one only the GitHub rules refuse: the check can fail', async () => {
    const log = buildSarifLog(realisticRun());
    const schemaBroken = structuredClone(log) as any;
    delete schemaBroken.runs[0].results[0].message; // SARIF requires a message
    const schema = await validateSarif(JSON.stringify(schemaBroken));
    expect(schema.filter((f) => f.level === 'error').map((f) => f.ruleId)).toContain('JSON1002');

    const githubBroken = structuredClone(log) as any;
    githubBroken.runs[0].results[1].locations = []; // valid SARIF; GitHub requires a location
    delete githubBroken.runs[0].results[2].locations[0].physicalLocation.region; // GitHub: startLine
    const github = await validateSarif(JSON.stringify(githubBroken));
    expect(github.filter((f) => f.level === 'error').map((f) => f.ruleId)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^GH\d{4}$/)]),
    );

    expect(await validateSarif('{"version": "2.1.0", "runs": [')).not.toEqual([]);
  }, 180_000);
});
