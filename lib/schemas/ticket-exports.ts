import { EXPORT_STATUSES } from '../domain/delivery-vocabulary.ts';
import { idPattern } from '../ids.ts';
import { FingerprintSchema, integer, PageQuerySchema, trimmedText } from './common.ts';
import * as z from './zod.ts';

export const MAX_EXPORT_ISSUES = 100;

export const CreateExportSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .object({
      scan_run_id: integer().check(z.minimum(1)).register(z.globalRegistry, { example: 123 }),
      issue_fingerprints: z
        .pipe(
          z.array(FingerprintSchema()).check(z.minLength(1), z.maxLength(MAX_EXPORT_ISSUES)),
          z.transform((v: string[]) => [...new Set(v)]),
        )
        .register(z.globalRegistry, { example: ['fp-missing-csp-home'] }),
      title: z.optional(trimmedText(200)),
    })
    .register(z.globalRegistry, { id: 'CreateTicketExportRequest' }),
);
export type CreateExportInput = z.output<ReturnType<typeof CreateExportSchema>>;

export const ApproveExportSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .object({
      target_id: z
        .string()
        .check(z.minLength(1), z.maxLength(64))
        .register(z.globalRegistry, { example: 'tgt_0123456789abcdef01234567' }),
    })
    .register(z.globalRegistry, { id: 'ApproveTicketExportRequest' }),
);

/** `POST …/retry` takes an optional body: `target_id` sends the new round to another target. */
export const RetryExportSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z.optional(
    z
      .object({ target_id: z.optional(z.string().check(z.minLength(1), z.maxLength(64))) })
      .register(z.globalRegistry, { id: 'RetryTicketExportRequest' }),
  ),
);

export const AttemptListQuerySchema = PageQuerySchema;

/**
 * `GET /api/ticket-exports`: a page of the account's exports, newest first, of one status, one target
 * (the one its current round goes to) and one scan run; the filters combine.
 */
export const ExportListQuerySchema = /* @__PURE__ */ z.onFirstUse(() =>
  z.extend(PageQuerySchema(), {
    status: z.optional(z.enum(EXPORT_STATUSES)),
    target_id: z.optional(
      z
        .string()
        .check(z.regex(idPattern('target'), 'must be a target id (tgt_…)'))
        .register(z.globalRegistry, { example: 'tgt_0123456789abcdef01234567' }),
    ),
    scan_run_id: z.optional(
      z.coerce
        .number()
        .check(z.int(), z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER))
        .register(z.globalRegistry, { example: 123 }),
    ),
  }),
);
