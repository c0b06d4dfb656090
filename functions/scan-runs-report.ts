import { presignArtifactGet } from '../lib/artifacts/presign.ts';
import { answerReport, fetchReportText } from '../lib/domain/report-delivery.ts';
import { getOwnedScanRun } from '../lib/domain/scan-runs.ts';
import type { HttpResponse } from '../lib/http/context.ts';
import { accountOf, httpRoute } from '../lib/http/route-handler.ts';
import { scanRunsReport } from '../lib/http/routes/scan-runs.ts';

export const handler = httpRoute(scanRunsReport, async ({ params, query, principal, deps }) => {
  const run = await getOwnedScanRun(deps.db, accountOf(principal).accountId, params.scanRunId);
  const answer = await answerReport(run, query.format, {
    presign: (req) => presignArtifactGet(deps.config, req),
    fetchText: fetchReportText,
  });
  const response: HttpResponse =
    answer.kind === 'redirect'
      ? { statusCode: 303, headers: { Location: answer.location }, body: '' }
      : { statusCode: 200, headers: { 'Content-Type': answer.contentType }, body: answer.body };
  return response;
});
