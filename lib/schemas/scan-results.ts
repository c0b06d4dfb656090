import { PageQuerySchema } from './common.ts';
import { ISSUE_CATEGORIES, SEVERITIES } from './scan-vocabulary.ts';
import * as z from './zod.ts';

export const PagesQuerySchema = PageQuerySchema;
export const IssuesQuerySchema = z.extend(PageQuerySchema, {
  severity: z.optional(z.enum(SEVERITIES)),
  category: z.optional(z.enum(ISSUE_CATEGORIES)),
});
