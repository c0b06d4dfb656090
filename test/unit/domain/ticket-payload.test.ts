import { describe, expect, it } from 'vitest';
import type { ScanRunItem } from '../../../lib/db/scan-runs-store.ts';
import { buildTicketPayload, toTicketIssue, withoutPrivateKeys } from '../../../lib/domain/ticket-payload.ts';

const run = {
  id: 7,
  account_id: 'acc_1',
  project_id: 'prj_1',
  status: 'completed',
  completed_at: '2025-01-01T00:00:00.000Z',
} as ScanRunItem;

describe('ticket payload (the preview)', () => {
  it('copies only allow-listed issue fields, in snake_case', () => {
    const issue = toTicketIssue({
      fingerprint: 'fp-1',
      category: 'security',
      severity: 'high',
      type: 'missing_csp',
      title: 'No CSP',
      description: 'd',
      confidence: 90,
      evidence: 'header absent',
      businessImpact: 'b',
      suggestedRemediation: 'r',
      reproductionSteps: ['open the page'],
      screenshotPath: 'artifacts/private.png',
      htmlSnapshotPath: 'artifacts/private.html',
      responseHeaders: { 'set-cookie': 'x' },
      pk: 'SCANRUN#7',
      sk: 'ISSUE#fp-1',
      ingest_id: 'i-1',
      account_id: 'acc_1',
    });
    expect(issue).toEqual({
      fingerprint: 'fp-1',
      category: 'security',
      severity: 'high',
      type: 'missing_csp',
      title: 'No CSP',
      description: 'd',
      confidence: 90,
      evidence: 'header absent',
      business_impact: 'b',
      suggested_remediation: 'r',
      reproduction_steps: ['open the page'],
    });
  });

  it('removes artifact paths and headers nested anywhere in evidence', () => {
    expect(
      withoutPrivateKeys({
        url: 'https://example.test/',
        screenshot_path: 'a.png',
        nested: [{ htmlSnapshotPath: 'a.html', responseHeaders: {}, headers: {}, kept: 1 }],
        artifacts: { screenshotPath: 'x' },
      }),
    ).toEqual({ url: 'https://example.test/', nested: [{ kept: 1 }] });
  });

  it('builds the exact body with the export id, title, run and issues', () => {
    const payload = buildTicketPayload({
      exportId: 'exp_1',
      title: 'Fix these',
      run,
      issues: [{ fingerprint: 'fp-1', title: 'T', screenshotPath: 'p.png' }],
      createdAt: 'now',
    });
    expect(payload).toEqual({
      type: 'ticket_export',
      export_id: 'exp_1',
      title: 'Fix these',
      scan_run: { scan_run_id: 7, project_id: 'prj_1', completed_at: '2025-01-01T00:00:00.000Z' },
      issues: [{ fingerprint: 'fp-1', title: 'T' }],
      created_at: 'now',
    });
    expect(JSON.stringify(payload)).not.toContain('p.png');
  });
});
