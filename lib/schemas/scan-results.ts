import { FingerprintSchema, PageQuerySchema } from './common.ts';
import { ISSUE_CATEGORIES, SEVERITIES } from './scan-vocabulary.ts';
import * as z from './zod.ts';

export const PagesQuerySchema = PageQuerySchema;
export const IssuesQuerySchema = z.extend(PageQuerySchema, {
  severity: z.optional(z.enum(SEVERITIES)),
  category: z.optional(z.enum(ISSUE_CATEGORIES)),
  /** The issue with this fingerprint alone (a finding's `latest_issue` link). */
  fingerprint: z.optional(FingerprintSchema),
});
