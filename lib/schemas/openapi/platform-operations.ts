import { z } from 'zod';
import { CreateProjectSchema, ProjectSchema } from '../projects.ts';
import { CreateScanRunResponseSchema, ScanRunSchema } from '../scan-runs.ts';
import type { OperationSchemaMap } from './types.ts';

export const platformOperations: OperationSchemaMap = {
  'projects.create': {
    request: CreateProjectSchema,
    responses: { 201: { description: 'Project created', schema: ProjectSchema } },
  },
  'projects.get': { responses: { 200: { description: 'The project', schema: ProjectSchema } } },
  'scan-runs.create': {
    responses: {
      201: { description: 'Scan run queued; one scan credit reserved', schema: CreateScanRunResponseSchema },
    },
  },
  'scan-runs.get': { responses: { 200: { description: 'The scan run', schema: ScanRunSchema } } },
  openapi: {
    responses: { 200: { description: 'This document', schema: z.record(z.string(), z.unknown()) } },
  },
};
