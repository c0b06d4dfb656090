import { described, integer, listOf, PageQuerySchema } from './common.ts';
import { SEVERITIES } from './scan-vocabulary.ts';
import * as z from './zod.ts';

/** Customer API views of stored pages and issues (snake_case), and their list queries. */
export const ScanPageSchema = z
  .object({
    index: integer(),
    url: z.string(),
    normalized_url: z.string(),
    status_code: integer(),
    page_type: z.string(),
    response_headers: described(z.record(z.string(), z.string()), 'credential headers redacted'),
    console_errors_count: z.nullable(integer()),
    network_errors_count: z.nullable(integer()),
    artifacts: z.object({ screenshot_path: z.string(), html_snapshot_path: z.nullable(z.string()) }),
    issues_count: integer(),
  })
  .register(z.globalRegistry, { id: 'ScanPage' });

export const ScanIssueSchema = z
  .object({
    fingerprint: z.string(),
    category: z.string(),
    type: z.string(),
    severity: z.enum(SEVERITIES),
    title: z.string(),
    description: z.string(),
    confidence: z.number(),
    evidence: z.string(),
    business_impact: z.nullable(z.string()),
    suggested_remediation: z.nullable(z.string()),
    reproduction_steps: z.nullable(z.union([z.string(), z.array(z.string())])),
    screenshot_path: z.nullable(z.string()),
    page_url: z.string(),
    page_index: integer(),
  })
  .register(z.globalRegistry, { id: 'ScanIssue' });

export const ScanPageListSchema = listOf(ScanPageSchema, 'ScanPageList');
export const ScanIssueListSchema = listOf(ScanIssueSchema, 'ScanIssueList');

export const PagesQuerySchema = PageQuerySchema;
export const IssuesQuerySchema = z.extend(PageQuerySchema, { severity: z.optional(z.enum(SEVERITIES)) });
