import type { z } from 'zod';
import type { RouteName } from '../../http/routes.ts';

/** What the OpenAPI document says about one route beyond the route table: its schemas. */
export interface OperationSchemas {
  request?: z.ZodType;
  query?: z.ZodObject;
  /** Success responses by status code. */
  responses: Record<number, { description: string; schema: z.ZodType }>;
}

export type OperationSchemaMap = Partial<Record<RouteName, OperationSchemas>>;
