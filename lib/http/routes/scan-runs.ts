import {
  IssuesQuerySchema,
  PagesQuerySchema,
  ScanIssueListSchema,
  ScanPageListSchema,
} from '../../schemas/scan-results.ts';
import { CreateScanRunResponseSchema, ScanRunSchema } from '../../schemas/scan-runs.ts';
import { API, route } from './route.ts';

/** Scan runs and their pages and issues: route table entries (lib/http/routes.ts lists every area). */
export const SCAN_RUN_ROUTES = {
  create: route({
    name: 'scan-runs.create',
    method: 'POST',
    path: '/api/projects/{projectId}/scan-runs',
    entry: 'functions/scan-runs-create.ts',
    auth: 'bearer',
    scope: 'scan_runs:write',
    idempotent: true,
    jsonBody: false,
    responses: {
      201: { description: 'Scan run queued; one scan credit reserved', schema: CreateScanRunResponseSchema },
    },
    summary: 'Create a scan run (reserves one scan credit)',
    grants: API,
  }),
  get: route({
    name: 'scan-runs.get',
    method: 'GET',
    path: '/api/scan-runs/{scanRunId}',
    entry: 'functions/scan-runs-get.ts',
    auth: 'bearer',
    scope: 'scan_runs:read',
    idempotent: false,
    jsonBody: false,
    responses: { 200: { description: 'The scan run', schema: ScanRunSchema } },
    summary: 'Read a scan run: status, counters, error, report status',
    grants: API,
  }),
  pages: route({
    name: 'scan-runs.pages',
    method: 'GET',
    path: '/api/scan-runs/{scanRunId}/pages',
    entry: 'functions/scan-runs-pages.ts',
    auth: 'bearer',
    scope: 'scan_runs:read',
    idempotent: false,
    jsonBody: false,
    query: PagesQuerySchema,
    responses: { 200: { description: 'A page of pages', schema: ScanPageListSchema } },
    summary: "List a scan run's pages (cursor-paginated)",
    grants: API,
  }),
  issues: route({
    name: 'scan-runs.issues',
    method: 'GET',
    path: '/api/scan-runs/{scanRunId}/issues',
    entry: 'functions/scan-runs-issues.ts',
    auth: 'bearer',
    scope: 'scan_runs:read',
    idempotent: false,
    jsonBody: false,
    query: IssuesQuerySchema,
    responses: { 200: { description: 'A page of issues', schema: ScanIssueListSchema } },
    summary: "List a scan run's issues (cursor-paginated, filter by severity)",
    grants: API,
  }),
} as const;
