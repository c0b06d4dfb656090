import { readRunIssuesByFingerprint } from '../lib/db/scan-results-store.ts';
import { planPrepareExport } from '../lib/domain/ticket-export-prepare.ts';
import { toExportView } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { exportsCreate } from '../lib/http/routes/exports.ts';

export const handler = httpRoute(exportsCreate, async ({ body, principal, deps, commit }) =>
  commit(
    await planPrepareExport(
      { db: deps.db, readIssues: readRunIssuesByFingerprint },
      accountOf(principal),
      body,
    ),
    (item) => ({ status: 201, body: toExportView(item, deps.config) }),
  ),
);
