import { TicketCallbackSchema } from '../../schemas/target-callbacks.ts';
import { SIGNATURE_TOLERANCE_SECONDS } from '../../webhooks/callback-signature.ts';
import { API_WITH_TARGET_KEYS, route } from './route.ts';

/**
 * A ticket system's signed callback about a ticket made from an export (docs/ticket-exports.md,
 * "Ticket system callbacks"). An area of its own beside the targets' entries, so only its function
 * builds its body schema.
 */
export const targetsCallback = /* @__PURE__ */ route({
  name: 'targets.callback',
  method: 'POST',
  path: '/api/ticket-export-targets/{targetId}/callbacks',
  entry: 'functions/targets-callback.ts',
  auth: 'target-signature',
  idempotent: true,
  // The same webhook-id of the same target is applied once; its record outlives the timestamp tolerance.
  replayKey: { header: 'webhook-id', minTtlSeconds: 2 * SIGNATURE_TOLERANCE_SECONDS },
  jsonBody: true,
  body: TicketCallbackSchema,
  responses: {
    200: {
      description:
        'The finding as the callback left it: dismissed, or unchanged for a ticket closed as fixed (a rescan shows the fix)',
      schema: 'Finding',
    },
  },
  errors: ['TARGET_NOT_ACTIVE'],
  summary:
    "A ticket system reports a ticket's outcome, signed with the target's signing secret (Standard Webhooks); sets the finding's triage",
  grants: API_WITH_TARGET_KEYS,
});

/** Ticket system callbacks: route table entries (lib/http/routes.ts lists every area). */
export const TARGET_CALLBACK_ROUTES = { callback: targetsCallback } as const;
