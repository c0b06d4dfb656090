import { MAX_TICKET_ID_CHARS, MAX_TICKET_URL_CHARS } from '../domain/ticket-ref.ts';
import { idPattern } from '../ids.ts';
import { described, FingerprintSchema, integer, trimmedText } from './common.ts';
import * as z from './zod.ts';

/**
 * `POST /api/ticket-export-targets/{targetId}/callbacks`: a ticket system reports what became of a
 * ticket made from an export (docs/ticket-exports.md, "Ticket system callbacks"). Its own module, so
 * only the callback function's bundle builds it.
 */
export const CALLBACK_TYPES = ['ticket.closed', 'risk.accepted'] as const;
export const CALLBACK_RESOLUTIONS = ['fixed', 'wont_fix', 'false_positive'] as const;
export type CallbackResolution = (typeof CALLBACK_RESOLUTIONS)[number];

/** Printable, no white space at either end: control and format characters would display as something else. */
const TICKET_ID_PATTERN = /^[^\s\p{Cc}\p{Cf}](?:[^\p{Cc}\p{Cf}]*[^\s\p{Cc}\p{Cf}])?$/u;
/** An http(s) URL whose authority has no `@`: no user name or password in a link shown to the customer. */
const TICKET_URL_PATTERN = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/[^@/?#\\]*(?:[/?#\\]|$)/;

const ticketId = /* @__PURE__ */ z.onFirstUse(() =>
  z.union([
    z.string().check(z.minLength(1), z.maxLength(MAX_TICKET_ID_CHARS), z.regex(TICKET_ID_PATTERN)),
    integer().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER)),
  ]),
);

const ticketUrl = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .string()
    .check(
      z.maxLength(MAX_TICKET_URL_CHARS),
      z.refine((v: string) => {
        if (!TICKET_URL_PATTERN.test(v)) return false;
        try {
          const url = new URL(v);
          return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
        } catch {
          return false;
        }
      }, 'must be an absolute http(s) URL without a user name or password'),
    )
    .register(z.globalRegistry, {
      pattern: TICKET_URL_PATTERN.source,
      description: 'An absolute http(s) URL without a user name or password',
    }),
);

export const TicketCallbackSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .strictObject({
      type: described(
        z.enum(CALLBACK_TYPES),
        'risk.accepted: dismiss the finding as accepted_risk; ticket.closed: see resolution',
      ),
      project_id: z.string().check(z.regex(idPattern('project'))),
      fingerprint: FingerprintSchema(),
      resolution: described(
        z.optional(z.enum(CALLBACK_RESOLUTIONS)),
        'Only with ticket.closed. wont_fix, false_positive: dismiss with that reason; fixed (or none): no triage change, a rescan shows the fix',
      ),
      comment: described(z.optional(trimmedText(1_000)), "The dismissal's comment"),
      ticket: described(
        z.optional(
          z.strictObject({
            id: ticketId(),
            url: z.optional(z.nullable(ticketUrl())),
          }),
        ),
        'The ticket this is about, recorded with the dismissal',
      ),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.resolution !== undefined && v.type !== 'ticket.closed') {
          ctx.addIssue({ code: 'custom', path: ['resolution'], message: 'is only taken with ticket.closed' });
        }
      }),
    )
    // The rule above, for the OpenAPI document.
    .register(z.globalRegistry, {
      id: 'TicketCallbackRequest',
      not: {
        required: ['type', 'resolution'],
        properties: { type: { const: 'risk.accepted' }, resolution: {} },
      },
    }),
);
export type TicketCallbackInput = z.output<ReturnType<typeof TicketCallbackSchema>>;
