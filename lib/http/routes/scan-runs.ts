import { ReportQuerySchema } from '../../schemas/scan-report.ts';
import { IssuesQuerySchema, PagesQuerySchema } from '../../schemas/scan-results.ts';
import { ScanRunListQuerySchema } from '../../schemas/scan-runs.ts';
import { API, API_WITH_REPORTS, route } from './route.ts';

export const scanRunsCreate = /* @__PURE__ */ route({
  name: 'scan-runs.create',
  method: 'POST',
  path: '/api/projects/{projectId}/scan-runs',
  entry: 'functions/scan-runs-create.ts',
  auth: 'bearer',
  scope: 'scan_runs:write',
  idempotent: true,
  jsonBody: false,
  responses: {
    201: {
      description: 'Scan run queued; one scan credit reserved',
      schema: 'CreateScanRunResponse',
      links: {
        GetScanRun: { operationId: 'scanRunsGet', parameters: { scanRunId: '$response.body#/scan_run_id' } },
      },
    },
  },
  errors: ['SCAN_CREDITS_EXHAUSTED'],
  summary: 'Create a scan run (reserves one scan credit)',
  grants: API,
});

export const scanRunsList = /* @__PURE__ */ route({
  name: 'scan-runs.list',
  method: 'GET',
  path: '/api/projects/{projectId}/scan-runs',
  entry: 'functions/scan-runs-list.ts',
  auth: 'bearer',
  scope: 'scan_runs:read',
  idempotent: false,
  jsonBody: false,
  query: ScanRunListQuerySchema,
  responses: { 200: { description: "The project's scan runs, newest first", schema: 'ScanRunList' } },
  summary: "List a project's scan runs (cursor-paginated, newest first, filter by status)",
  grants: API,
});

export const scanRunsGet = /* @__PURE__ */ route({
  name: 'scan-runs.get',
  method: 'GET',
  path: '/api/scan-runs/{scanRunId}',
  entry: 'functions/scan-runs-get.ts',
  auth: 'bearer',
  scope: 'scan_runs:read',
  idempotent: false,
  jsonBody: false,
  responses: { 200: { description: 'The scan run', schema: 'ScanRun' } },
  summary: 'Read a scan run: status, counters, error, report status',
  grants: API,
});

export const scanRunsPages = /* @__PURE__ */ route({
  name: 'scan-runs.pages',
  method: 'GET',
  path: '/api/scan-runs/{scanRunId}/pages',
  entry: 'functions/scan-runs-pages.ts',
  auth: 'bearer',
  scope: 'scan_runs:read',
  idempotent: false,
  jsonBody: false,
  query: PagesQuerySchema,
  responses: { 200: { description: 'A page of pages', schema: 'ScanPageList' } },
  summary:
    "List a scan run's pages (cursor-paginated; filter by their issues' severity and category, and their findings' state and triage)",
  grants: API,
});

export const scanRunsIssues = /* @__PURE__ */ route({
  name: 'scan-runs.issues',
  method: 'GET',
  path: '/api/scan-runs/{scanRunId}/issues',
  entry: 'functions/scan-runs-issues.ts',
  auth: 'bearer',
  scope: 'scan_runs:read',
  idempotent: false,
  jsonBody: false,
  query: IssuesQuerySchema,
  responses: { 200: { description: 'A page of issues', schema: 'ScanIssueList' } },
  summary:
    "List a scan run's issues (cursor-paginated; filter by severity, category, and their findings' state and triage)",
  grants: API,
});

export const scanRunsReport = /* @__PURE__ */ route({
  name: 'scan-runs.report',
  method: 'GET',
  path: '/api/scan-runs/{scanRunId}/report',
  entry: 'functions/scan-runs-report.ts',
  auth: 'bearer',
  scope: 'scan_runs:read',
  idempotent: false,
  jsonBody: false,
  query: ReportQuerySchema,
  responses: {
    200: {
      description:
        'The report: the JSON summary (format=json) or the SARIF 2.1.0 log (format=sarif, application/sarif+json)',
      schema: 'ScanReport',
      media: { 'application/sarif+json': 'SarifLog' },
    },
    303: {
      description:
        'A report over 2 MiB: Location is an expiring URL of the stored document (5 minutes); follow it without credentials',
      schema: null,
      redirect: true,
    },
  },
  errors: ['SCAN_RUN_NOT_COMPLETED', 'REPORT_NOT_READY', 'REPORT_FAILED'],
  summary: "Read a completed scan run's report: JSON summary or SARIF (docs/scanner-results.md)",
  grants: API_WITH_REPORTS,
});

/** Scan runs and their pages and issues: route table entries (lib/http/routes.ts lists every area). */
export const SCAN_RUN_ROUTES = {
  create: scanRunsCreate,
  list: scanRunsList,
  get: scanRunsGet,
  pages: scanRunsPages,
  issues: scanRunsIssues,
  report: scanRunsReport,
} as const;
