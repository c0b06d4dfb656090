import { FINDING_STATES } from '../domain/findings-lifecycle.ts';
import { FingerprintSchema, PageQuerySchema } from './common.ts';
import { ISSUE_CATEGORIES, SEVERITIES } from './scan-vocabulary.ts';
import * as z from './zod.ts';

/**
 * A run's pages and issues, filtered (docs/scanner-results.md, "Reading results"): by severity and
 * category (an issue's own; for a page, one of its issues'), and by the state and triage of the
 * project's findings now. The filters combine.
 */
const RunResultFilters = /* @__PURE__ */ z.onFirstUse(() => ({
  severity: z.optional(z.enum(SEVERITIES)),
  category: z.optional(z.enum(ISSUE_CATEGORIES)),
  state: z.optional(z.enum(FINDING_STATES)),
  triage: z.optional(z.enum(['dismissed', 'none'])),
}));

export const PagesQuerySchema = /* @__PURE__ */ z.onFirstUse(() =>
  z.extend(PageQuerySchema(), RunResultFilters()),
);
export const IssuesQuerySchema = /* @__PURE__ */ z.onFirstUse(() =>
  z.extend(PageQuerySchema(), {
    ...RunResultFilters(),
    /** The issue with this fingerprint alone (a finding's `latest_issue` link). */
    fingerprint: z.optional(FingerprintSchema()),
  }),
);
