import * as z from 'zod';
import { DEPLOYMENT_MODES, PROVIDERS } from '../domain/plans.ts';
import { idPattern } from '../ids.ts';

/** What a target can be subscribed to. Ticket exports are approved to a target explicitly. */
export const TARGET_EVENTS = ['ticket_export', 'scan_run.failed'] as const;
export type TargetEvent = (typeof TARGET_EVENTS)[number];
export const DEFAULT_TARGET_EVENTS: TargetEvent[] = ['ticket_export', 'scan_run.failed'];

export const TARGET_STATUSES = ['active', 'disabled'] as const;
export type TargetStatus = (typeof TARGET_STATUSES)[number];

/** Why a target was disabled: by the API (DELETE) or by a receiver answering 410 Gone. */
export const TARGET_DISABLED_REASONS = ['disabled_by_user', 'receiver_gone'] as const;
export type TargetDisabledReason = (typeof TARGET_DISABLED_REASONS)[number];

export const TargetIdParam = z.string().regex(idPattern('target'));

export const CreateTargetSchema = z
  .object({
    provider_key: z.enum(PROVIDERS).meta({ example: 'generic_webhook' }),
    base_url: z.string().min(1).max(2048).meta({ example: 'https://hooks.example.test/webriskops' }),
    deployment_mode: z.enum(DEPLOYMENT_MODES).meta({ example: 'webhook-only' }),
    name: z.string().trim().min(1).max(200).meta({ example: 'Example webhook target' }),
    events: z
      .array(z.enum(TARGET_EVENTS))
      .min(1)
      .max(TARGET_EVENTS.length)
      .optional()
      .transform((v) => (v ? [...new Set(v)] : [...DEFAULT_TARGET_EVENTS]))
      .meta({ description: 'Subscriptions; default: ["ticket_export", "scan_run.failed"]' }),
  })
  .meta({ id: 'CreateTicketExportTargetRequest' });
export type CreateTargetInput = z.output<typeof CreateTargetSchema>;

export const TargetSchema = z
  .object({
    id: z.string().meta({ example: 'tgt_0123456789abcdef01234567' }),
    status: z.enum(TARGET_STATUSES),
    provider_key: z.enum(PROVIDERS),
    base_url: z.string(),
    deployment_mode: z.enum(DEPLOYMENT_MODES),
    name: z.string(),
    events: z.array(z.enum(TARGET_EVENTS)),
    /** Increases by one with every rotation; the webhook headers do not carry it. */
    secret_version: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    secret_rotated_at: z.string().nullable(),
    disabled_at: z.string().nullable(),
    disabled_reason: z.enum(TARGET_DISABLED_REASONS).nullable(),
  })
  .meta({ id: 'TicketExportTarget' });
export type TargetView = z.output<typeof TargetSchema>;

/** Creation and rotation answers: the target plus its signing secret, shown this once. */
export const TargetWithSecretSchema = TargetSchema.extend({
  signing_secret: z
    .string()
    .meta({ example: 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=', description: 'Shown once' }),
}).meta({ id: 'TicketExportTargetWithSecret' });

export const TargetListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2048).optional(),
});

export const TargetListSchema = z
  .object({ items: z.array(TargetSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'TicketExportTargetList' });
