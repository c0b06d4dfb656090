import { applyPlan } from '../../lib/db/commit.ts';
import { createAccount } from '../../lib/domain/accounts.ts';
import { planCreateProject } from '../../lib/domain/projects.ts';
import { planCreateScanRun } from '../../lib/domain/scan-runs.ts';
import type { Runtime } from '../../lib/runtime.ts';

/**
 * A postback body of `pages` pages × `issuesPerPage` issues, with realistic evidence text; 1,000 × 10
 * stays under the 6 MiB request limit (about 5.7 MiB).
 */
export function postbackBody(
  scanRunId: number,
  pages: number,
  issuesPerPage: number,
  opts: { evidenceBytes?: number } = {},
) {
  const pad = (text: string) =>
    opts.evidenceBytes ? `${text} ${'x'.repeat(Math.max(0, opts.evidenceBytes - text.length - 1))}` : text;
  return {
    scanRunId,
    status: 'completed',
    pages: Array.from({ length: pages }, (_, p) => ({
      page: {
        url: `https://shop.example.test/catalog/item-${p}?ref=bench`,
        normalizedUrl: `https://shop.example.test/catalog/item-${p}`,
        statusCode: 200,
        pageType: 'product',
        responseHeaders: {
          'content-type': 'text/html; charset=utf-8',
          server: 'nginx',
          'cache-control': 'no-store',
        },
        consoleErrorsCount: p % 3,
        networkErrorsCount: 0,
      },
      artifacts: {
        screenshotPath: `artifacts/bench/${p}.png`,
        htmlSnapshotPath: `artifacts/bench/${p}.html`,
      },
      issues: Array.from({ length: issuesPerPage }, (_, i) => ({
        category: 'security',
        type: 'missing_security_header',
        severity: (['critical', 'high', 'medium', 'low', 'info'] as const)[(p + i) % 5],
        title: `Missing CSP on item ${p}`,
        description: 'Served without a Content-Security-Policy header: injected scripts run unrestricted.',
        fingerprint: `bench-${p}-${i}-csp-missing`,
        confidence: 70 + (i % 30),
        evidence: pad(
          `GET /catalog/item-${p} → 200; headers: content-type, server, cache-control; no content-security-policy. Inline script at line ${i + 10}.`,
        ),
        suggestedRemediation: "Add Content-Security-Policy: default-src 'self'.",
        reproductionSteps: ['Open the page', 'Inspect the response headers'],
      })),
    })),
  };
}

export async function benchAccount(rt: Runtime) {
  const account = await createAccount(rt.db, { name: 'Bench', plan: 'enterprise', credits: 1_000_000 });
  const project = await applyPlan(
    rt.db,
    planCreateProject(rt.db, account.id, {
      name: 'Bench',
      base_url: 'https://shop.example.test',
    }),
  );
  return {
    account,
    project,
    newRun: async () => (await applyPlan(rt.db, await planCreateScanRun(rt.db, account.id, project.id))).id,
  };
}
