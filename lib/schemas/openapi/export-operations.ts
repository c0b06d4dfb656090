import {
  CreateTargetSchema,
  TargetListQuerySchema,
  TargetListSchema,
  TargetSchema,
  TargetWithSecretSchema,
} from '../targets.ts';
import {
  ApproveExportSchema,
  AttemptListQuerySchema,
  AttemptListSchema,
  CreateExportSchema,
  ExportSchema,
} from '../ticket-exports.ts';
import type { OperationSchemaMap } from './types.ts';

/** Ticket export targets and ticket exports (docs/ticket-exports.md). */
export const exportOperations: OperationSchemaMap = {
  'targets.create': {
    request: CreateTargetSchema,
    responses: {
      201: {
        description: 'Target created; signing_secret is shown this once',
        schema: TargetWithSecretSchema,
      },
    },
  },
  'targets.list': {
    query: TargetListQuerySchema,
    responses: { 200: { description: "The account's targets (no secrets)", schema: TargetListSchema } },
  },
  'targets.get': { responses: { 200: { description: 'The target (no secret)', schema: TargetSchema } } },
  'targets.rotate-secret': {
    responses: {
      200: {
        description: 'New signing secret, effective for every delivery from now on; shown this once',
        schema: TargetWithSecretSchema,
      },
    },
  },
  'targets.disable': {
    responses: { 200: { description: 'The target, now disabled', schema: TargetSchema } },
  },
  'exports.create': {
    request: CreateExportSchema,
    responses: {
      201: {
        description: 'Prepared export (pending_approval) with the exact webhook body as preview',
        schema: ExportSchema,
      },
    },
  },
  'exports.approve': {
    request: ApproveExportSchema,
    responses: {
      202: { description: 'Approved and queued for delivery to target_id', schema: ExportSchema },
    },
  },
  'exports.get': {
    responses: {
      200: { description: 'Export status (retry_after_seconds while retry_scheduled)', schema: ExportSchema },
    },
  },
  'exports.attempts': {
    query: AttemptListQuerySchema,
    responses: { 200: { description: 'Delivery attempt log, oldest first', schema: AttemptListSchema } },
  },
  'exports.retry': {
    responses: { 202: { description: 'A failed or blocked export, queued again', schema: ExportSchema } },
  },
};
