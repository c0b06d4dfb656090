import { CreateTargetSchema, RotateSecretSchema, TargetListQuerySchema } from '../../schemas/targets.ts';
import { API, route } from './route.ts';

/** Ticket export targets: route table entries (lib/http/routes.ts lists every area). */
export const TARGET_ROUTES = {
  create: route({
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
      },
    },
    summary: 'Create a ticket export target (returns its signing secret once)',
    grants: [...API, 'secret:target-keys'],
  }),
  list: route({
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
  }),
  get: route({
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
  }),
  rotateSecret: route({
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
    summary: "Rotate a target's signing secret",
    grants: [...API, 'secret:target-keys'],
  }),
  disable: route({
    name: 'targets.disable',
    method: 'DELETE',
    path: '/api/ticket-export-targets/{targetId}',
    entry: 'functions/targets-disable.ts',
    auth: 'bearer',
    scope: 'targets:write',
    idempotent: false,
    jsonBody: false,
    responses: { 200: { description: 'The target, now disabled', schema: 'TicketExportTarget' } },
    summary: 'Disable a ticket export target',
    grants: API,
  }),
} as const;
