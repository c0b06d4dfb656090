import {
  ApproveExportSchema,
  AttemptListQuerySchema,
  CreateExportSchema,
  ExportListQuerySchema,
  RetryExportSchema,
} from '../../schemas/ticket-exports.ts';
import { API, route } from './route.ts';

export const exportsCreate = /* @__PURE__ */ route({
  name: 'exports.create',
  method: 'POST',
  path: '/api/ticket-exports',
  entry: 'functions/exports-create.ts',
  auth: 'bearer',
  scope: 'exports:write',
  idempotent: true,
  jsonBody: true,
  body: CreateExportSchema,
  responses: {
    201: {
      description: 'Prepared export (pending_approval) with the exact webhook body as preview',
      schema: 'TicketExport',
      links: {
        GetExport: { operationId: 'exportsGet', parameters: { exportId: '$response.body#/id' } },
        ApproveExport: { operationId: 'exportsApprove', parameters: { exportId: '$response.body#/id' } },
      },
    },
  },
  errors: ['SCAN_RUN_NOT_FOUND', 'SCAN_RUN_NOT_COMPLETED'],
  summary: 'Prepare a ticket export from stored issues',
  grants: API,
});

export const exportsList = /* @__PURE__ */ route({
  name: 'exports.list',
  method: 'GET',
  path: '/api/ticket-exports',
  entry: 'functions/exports-list.ts',
  auth: 'bearer',
  scope: 'exports:read',
  idempotent: false,
  jsonBody: false,
  query: ExportListQuerySchema,
  responses: {
    200: {
      description: "The account's exports, newest first (each without its preview: GET its url)",
      schema: 'TicketExportList',
    },
  },
  summary:
    "List the account's ticket exports (cursor-paginated, newest first, filter by status, target, scan run)",
  grants: API,
});

export const exportsApprove = /* @__PURE__ */ route({
  name: 'exports.approve',
  method: 'POST',
  path: '/api/ticket-exports/{exportId}/approve',
  entry: 'functions/exports-approve.ts',
  auth: 'bearer',
  scope: 'exports:write',
  idempotent: true,
  jsonBody: true,
  body: ApproveExportSchema,
  responses: {
    202: {
      description: 'Approved and queued for delivery to target_id',
      schema: 'TicketExport',
      links: {
        GetExport: { operationId: 'exportsGet', parameters: { exportId: '$response.body#/id' } },
        ListAttempts: { operationId: 'exportsAttempts', parameters: { exportId: '$response.body#/id' } },
      },
    },
  },
  errors: [
    'EXPORT_NOT_PENDING',
    'PREVIEW_NOT_SAFE',
    'TARGET_NOT_FOUND',
    'TARGET_NOT_ACTIVE',
    'TARGET_NOT_SUBSCRIBED',
    'CONFLICT',
  ],
  summary: 'Approve a prepared export for delivery to a target',
  grants: API,
});

export const exportsGet = /* @__PURE__ */ route({
  name: 'exports.get',
  method: 'GET',
  path: '/api/ticket-exports/{exportId}',
  entry: 'functions/exports-get.ts',
  auth: 'bearer',
  scope: 'exports:read',
  idempotent: false,
  jsonBody: false,
  responses: {
    200: {
      description: 'Export status (retry_after_seconds while retry_scheduled)',
      schema: 'TicketExport',
    },
  },
  summary: 'Read a ticket export status',
  grants: API,
});

export const exportsAttempts = /* @__PURE__ */ route({
  name: 'exports.attempts',
  method: 'GET',
  path: '/api/ticket-exports/{exportId}/attempts',
  entry: 'functions/exports-attempts.ts',
  auth: 'bearer',
  scope: 'exports:read',
  idempotent: false,
  jsonBody: false,
  query: AttemptListQuerySchema,
  responses: { 200: { description: 'Delivery attempt log, oldest first', schema: 'DeliveryAttemptList' } },
  summary: 'Delivery attempt log of a ticket export',
  grants: API,
});

export const exportsRetry = /* @__PURE__ */ route({
  name: 'exports.retry',
  method: 'POST',
  path: '/api/ticket-exports/{exportId}/retry',
  entry: 'functions/exports-retry.ts',
  auth: 'bearer',
  scope: 'exports:write',
  idempotent: true,
  jsonBody: false,
  body: RetryExportSchema,
  responses: {
    202: {
      description:
        'A failed or blocked export, or one left delivering by a worker whose lease expired, queued again (to target_id if given; same delivery id)',
      schema: 'TicketExport',
    },
  },
  errors: [
    'EXPORT_NOT_RETRYABLE',
    'TARGET_NOT_FOUND',
    'TARGET_NOT_ACTIVE',
    'TARGET_NOT_SUBSCRIBED',
    'CONFLICT',
  ],
  summary: 'Re-queue a failed or blocked ticket export, optionally to another target',
  grants: API,
});

/** Ticket exports: route table entries (lib/http/routes.ts lists every area). */
export const EXPORT_ROUTES = {
  create: exportsCreate,
  list: exportsList,
  approve: exportsApprove,
  get: exportsGet,
  attempts: exportsAttempts,
  retry: exportsRetry,
} as const;
