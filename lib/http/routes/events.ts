import { PageQuerySchema } from '../../schemas/common.ts';
import { API, route } from './route.ts';

/**
 * Event deliveries (scan_run.failed, target.disabled, export.failed to one target; docs/ticket-exports.md,
 * "Events"). Listed under their target (`GET /api/ticket-export-targets/{targetId}/deliveries`); their
 * attempt log is read here, as an export's is under the export.
 */
export const eventsAttempts = /* @__PURE__ */ route({
  name: 'events.attempts',
  method: 'GET',
  path: '/api/event-deliveries/{eventId}/attempts',
  entry: 'functions/events-attempts.ts',
  auth: 'bearer',
  scope: 'targets:read',
  idempotent: false,
  jsonBody: false,
  query: PageQuerySchema,
  responses: {
    200: { description: 'Delivery attempt log, oldest first', schema: 'EventDeliveryAttemptList' },
  },
  summary: 'Delivery attempt log of an event delivery',
  grants: API,
});

/** Event deliveries: route table entries (lib/http/routes.ts lists every area). */
export const EVENT_ROUTES = {
  attempts: eventsAttempts,
} as const;
