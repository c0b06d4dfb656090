import { MAX_ROTATION_GRACE_SECONDS, WEBHOOK_EVENT_TYPES } from '../domain/delivery-vocabulary.ts';
import { DEPLOYMENT_MODES, PROVIDERS } from '../domain/plans.ts';
import { described, integer, PageQuerySchema, trimmedText } from './common.ts';
import * as z from './zod.ts';

/**
 * What a target can be subscribed to. Ticket exports are approved to a target explicitly; the
 * operational events (`target.disabled`, `export.failed`) go to the account's other subscribed targets.
 */
export const TARGET_EVENTS = ['ticket_export', ...WEBHOOK_EVENT_TYPES] as const;
export type TargetEvent = (typeof TARGET_EVENTS)[number];
export const DEFAULT_TARGET_EVENTS: TargetEvent[] = ['ticket_export', 'scan_run.failed'];

export const TARGET_STATUSES = ['active', 'disabled'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/**
 * Why a target was disabled: by the API (DELETE), by a receiver answering 410 Gone, or by deliveries
 * failing without a success for WRO_TARGET_DISABLE_AFTER_FAILING_SECONDS.
 */
export const TARGET_DISABLED_REASONS = ['disabled_by_user', 'receiver_gone', 'receiver_failing'] as const;
export type TargetDisabledReason = (typeof TARGET_DISABLED_REASONS)[number];

/**
 * A target's URL: its safety (https, public address; plain http for local receivers only) is checked
 * by the domain (422 TARGET_URL_UNSAFE), the document states the shape. A fresh schema per use, so
 * each carries its own documentation.
 */
const targetUrl = () => z.string().check(z.minLength(1), z.maxLength(2048));
const TARGET_URL_DOC = {
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
  description: 'https URL of a public host (plain http only for local receivers in development)',
};

export const CreateTargetSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .object({
      provider_key: z.enum(PROVIDERS).register(z.globalRegistry, { example: 'generic_webhook' }),
      base_url: targetUrl().register(z.globalRegistry, {
        ...TARGET_URL_DOC,
        example: 'https://hooks.example.test/webriskops',
      }),
      deployment_mode: z.enum(DEPLOYMENT_MODES).register(z.globalRegistry, { example: 'webhook-only' }),
      name: trimmedText(200, { example: 'Example webhook target' }),
      events: described(
        z.pipe(
          z.optional(z.array(z.enum(TARGET_EVENTS)).check(z.minLength(1), z.maxLength(TARGET_EVENTS.length))),
          z.transform((v: TargetEvent[] | undefined) => (v ? [...new Set(v)] : [...DEFAULT_TARGET_EVENTS])),
        ),
        'Subscriptions; default: ["ticket_export", "scan_run.failed"]',
      ),
    })
    .register(z.globalRegistry, { id: 'CreateTicketExportTargetRequest' }),
);
export type CreateTargetInput = z.output<ReturnType<typeof CreateTargetSchema>>;

/** `PATCH`: any of name, base_url (checked again like at creation) and events; at least one. */
export const UpdateTargetSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .object({
      base_url: z.optional(targetUrl().register(z.globalRegistry, TARGET_URL_DOC)),
      name: z.optional(trimmedText(200)),
      events: z.optional(
        z.pipe(
          z.array(z.enum(TARGET_EVENTS)).check(z.minLength(1), z.maxLength(TARGET_EVENTS.length)),
          z.transform((v: TargetEvent[]) => [...new Set(v)]),
        ),
      ),
    })
    .check(
      z.refine(
        (v: Record<string, unknown>) => Object.values(v).some((x) => x !== undefined),
        'name one of base_url, name, events',
      ),
    )
    .register(z.globalRegistry, {
      id: 'UpdateTicketExportTargetRequest',
      anyOf: ['base_url', 'name', 'events'].map((k) => ({ required: [k], properties: { [k]: true } })),
    }),
);
export type UpdateTargetInput = z.output<ReturnType<typeof UpdateTargetSchema>>;

/** `POST …/rotate-secret` takes an optional body; without one the default grace window applies. */
export const RotateSecretSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z.optional(
    z
      .object({
        grace_period_seconds: z.optional(
          integer().check(z.minimum(0), z.maximum(MAX_ROTATION_GRACE_SECONDS)),
        ),
      })
      .register(z.globalRegistry, { id: 'RotateTicketExportTargetSecretRequest' }),
  ),
);

export const TargetListQuerySchema = PageQuerySchema;

/** `POST …/recover`: every failed or blocked export of the target created at or after `since`. */
export const RecoverTargetSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .object({
      since: z
        .string()
        .check(z.iso.datetime({ offset: true }))
        .register(z.globalRegistry, { example: '2026-11-30T00:00:00Z' }),
    })
    .register(z.globalRegistry, { id: 'RecoverTicketExportTargetRequest' }),
);
