import { readRunIssuesByFingerprint } from '../lib/db/scan-results-store.ts';
import { prepareExport } from '../lib/domain/ticket-export-prepare.ts';
import { toExportView } from '../lib/domain/ticket-exports.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { runtime } from '../lib/runtime.ts';
import { CreateExportSchema } from '../lib/schemas/ticket-exports.ts';

export const handler = httpRoute(
  'exports.create',
  { body: CreateExportSchema },
  async ({ body, principal }) => {
    const { db, config } = runtime();
    const item = await prepareExport(
      { db, readIssues: readRunIssuesByFingerprint },
      accountOf(principal),
      body,
    );
    return { status: 201, body: toExportView(item, config) };
  },
);
