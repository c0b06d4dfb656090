import {
  CreateTargetSchema,
  RecoverTargetSchema,
  RotateSecretSchema,
  TargetListQuerySchema,
  UpdateTargetSchema,
} from '../../schemas/targets.ts';
import { API, API_WITH_TARGET_KEYS, route } from './route.ts';

export const targetsCreate = /* @__PURE__ */ route({
  name: 'targets.create',
  method: 'POST',
  path: '/api/ticket-export-targets',
  entry: 'functions/targets-create.ts',
  auth: 'bearer',
  scope: 'targets:write',
  idempotent: true,
  jsonBody: true,
  body: CreateTargetSchema,
  sealedResponse: true,
  responses: {
    201: {
      description: 'Target created; signing_secret is shown here (and in replays of this request)',
      schema: 'TicketExportTargetWithSecret',
      links: { GetTarget: { operationId: 'targetsGet', parameters: { targetId: '$response.body#/id' } } },
    },
  },
  errors: ['TARGET_URL_UNSAFE'],
  summary: 'Create a ticket export target (returns its signing secret once)',
  grants: API_WITH_TARGET_KEYS,
});

export const targetsList = /* @__PURE__ */ route({
  name: 'targets.list',
  method: 'GET',
  path: '/api/ticket-export-targets',
  entry: 'functions/targets-list.ts',
  auth: 'bearer',
  scope: 'targets:read',
  idempotent: false,
  jsonBody: false,
  query: TargetListQuerySchema,
  responses: {
    200: { description: "The account's targets (no secrets)", schema: 'TicketExportTargetList' },
  },
  summary: "List the account's ticket export targets",
  grants: API,
});

export const targetsGet = /* @__PURE__ */ route({
  name: 'targets.get',
  method: 'GET',
  path: '/api/ticket-export-targets/{targetId}',
  entry: 'functions/targets-get.ts',
  auth: 'bearer',
  scope: 'targets:read',
  idempotent: false,
  jsonBody: false,
  responses: { 200: { description: 'The target (no secret)', schema: 'TicketExportTarget' } },
  summary: 'Read a ticket export target',
  grants: API,
});

export const targetsDeliveries = /* @__PURE__ */ route({
  name: 'targets.deliveries',
  method: 'GET',
  path: '/api/ticket-export-targets/{targetId}/deliveries',
  entry: 'functions/targets-deliveries.ts',
  auth: 'bearer',
  scope: 'targets:read',
  idempotent: false,
  jsonBody: false,
  query: TargetListQuerySchema,
  responses: {
    200: {
      description: "The target's deliveries, exports and events, newest first",
      schema: 'TargetDeliveryList',
    },
  },
  summary: "List a target's deliveries (exports and events) with their outcome",
  grants: API,
});

export const targetsRecover = /* @__PURE__ */ route({
  name: 'targets.recover',
  method: 'POST',
  path: '/api/ticket-export-targets/{targetId}/recover',
  entry: 'functions/targets-recover.ts',
  auth: 'bearer',
  scope: 'exports:write',
  idempotent: true,
  jsonBody: true,
  body: RecoverTargetSchema,
  responses: {
    202: {
      description: 'Failed or blocked exports of the target since `since`, queued again (same delivery ids)',
      schema: 'TargetRecovery',
    },
  },
  errors: ['TARGET_NOT_ACTIVE', 'TARGET_NOT_SUBSCRIBED', 'CONFLICT'],
  summary: "Recover a target's failed and blocked exports since a time",
  grants: API,
});

export const targetsRotateSecret = /* @__PURE__ */ route({
  name: 'targets.rotate-secret',
  method: 'POST',
  path: '/api/ticket-export-targets/{targetId}/rotate-secret',
  entry: 'functions/targets-rotate-secret.ts',
  auth: 'bearer',
  scope: 'targets:write',
  idempotent: true,
  jsonBody: false,
  body: RotateSecretSchema,
  sealedResponse: true,
  responses: {
    200: {
      description:
        'New signing secret; the previous one keeps verifying until secret_grace_until (grace_period_seconds, default 24 h)',
      schema: 'TicketExportTargetWithSecret',
    },
  },
  errors: ['TARGET_NOT_ACTIVE', 'CONFLICT'],
  summary: "Rotate a target's signing secret",
  grants: API_WITH_TARGET_KEYS,
});

export const targetsUpdate = /* @__PURE__ */ route({
  name: 'targets.update',
  method: 'PATCH',
  path: '/api/ticket-export-targets/{targetId}',
  entry: 'functions/targets-update.ts',
  auth: 'bearer',
  scope: 'targets:write',
  idempotent: false,
  jsonBody: true,
  body: UpdateTargetSchema,
  responses: { 200: { description: 'The target, changed', schema: 'TicketExportTarget' } },
  errors: ['TARGET_URL_UNSAFE', 'CONFLICT'],
  summary: "Change a target's name, URL (checked again) or subscriptions",
  grants: API,
});

export const targetsEnable = /* @__PURE__ */ route({
  name: 'targets.enable',
  method: 'POST',
  path: '/api/ticket-export-targets/{targetId}/enable',
  entry: 'functions/targets-enable.ts',
  auth: 'bearer',
  scope: 'targets:write',
  idempotent: true,
  jsonBody: false,
  responses: { 200: { description: 'The target, active again', schema: 'TicketExportTarget' } },
  errors: ['TARGET_URL_UNSAFE', 'CONFLICT'],
  summary: 'Re-enable a disabled target (plan and URL checked again)',
  grants: API,
});

export const targetsDisable = /* @__PURE__ */ route({
  name: 'targets.disable',
  method: 'DELETE',
  path: '/api/ticket-export-targets/{targetId}',
  entry: 'functions/targets-disable.ts',
  auth: 'bearer',
  scope: 'targets:write',
  idempotent: false,
  jsonBody: false,
  responses: { 200: { description: 'The target, now disabled', schema: 'TicketExportTarget' } },
  errors: ['CONFLICT'],
  summary: 'Disable a ticket export target',
  grants: API,
});

/** Ticket export targets: route table entries (lib/http/routes.ts lists every area). */
export const TARGET_ROUTES = {
  create: targetsCreate,
  list: targetsList,
  get: targetsGet,
  deliveries: targetsDeliveries,
  recover: targetsRecover,
  rotateSecret: targetsRotateSecret,
  update: targetsUpdate,
  enable: targetsEnable,
  disable: targetsDisable,
} as const;
