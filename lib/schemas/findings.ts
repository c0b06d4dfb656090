import { FINDING_STATES, TRIAGE_REASONS } from '../domain/findings-lifecycle.ts';
import { PageQuerySchema, trimmedText } from './common.ts';
import { ISSUE_CATEGORIES, SEVERITIES } from './scan-vocabulary.ts';
import * as z from './zod.ts';

/** `GET /api/projects/{projectId}/findings`: a page in fingerprint order; the filters combine. */
export const FindingListQuerySchema = /* @__PURE__ */ z.onFirstUse(() =>
  z.extend(PageQuerySchema(), {
    state: z.optional(z.enum(FINDING_STATES)),
    severity: z.optional(z.enum(SEVERITIES)),
    category: z.optional(z.enum(ISSUE_CATEGORIES)),
    triage: z.optional(z.enum(['dismissed', 'none'])),
  }),
);

/** `PUT …/findings/{fingerprint}/triage`: dismiss a finding, with why. */
export const TriageFindingSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .strictObject({
      status: z.literal('dismissed'),
      reason: z.enum(TRIAGE_REASONS),
      comment: z.optional(z.nullable(trimmedText(2_000))),
    })
    .register(z.globalRegistry, { id: 'TriageFindingRequest' }),
);
export type TriageFindingInput = z.output<ReturnType<typeof TriageFindingSchema>>;
