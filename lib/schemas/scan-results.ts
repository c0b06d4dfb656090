import * as z from 'zod';
import { PageQuerySchema } from './common.ts';
import { SEVERITIES } from './scanner-results.ts';

/** Customer API views of stored pages and issues (snake_case), and their list queries. */
export const ScanPageSchema = z
  .object({
    index: z.number().int(),
    url: z.string(),
    normalized_url: z.string(),
    status_code: z.number().int(),
    page_type: z.string(),
    response_headers: z.record(z.string(), z.string()).meta({ description: 'credential headers redacted' }),
    console_errors_count: z.number().int().nullable(),
    network_errors_count: z.number().int().nullable(),
    artifacts: z.object({ screenshot_path: z.string(), html_snapshot_path: z.string().nullable() }),
    issues_count: z.number().int(),
  })
  .meta({ id: 'ScanPage' });

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
    business_impact: z.string().nullable(),
    suggested_remediation: z.string().nullable(),
    reproduction_steps: z.union([z.string(), z.array(z.string())]).nullable(),
    screenshot_path: z.string().nullable(),
    page_url: z.string(),
    page_index: z.number().int(),
  })
  .meta({ id: 'ScanIssue' });

const list = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable() }).meta({ id });

export const ScanPageListSchema = list(ScanPageSchema, 'ScanPageList');
export const ScanIssueListSchema = list(ScanIssueSchema, 'ScanIssueList');

export const PagesQuerySchema = PageQuerySchema;
export const IssuesQuerySchema = PageQuerySchema.extend({ severity: z.enum(SEVERITIES).optional() });
