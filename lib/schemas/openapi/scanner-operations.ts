import {
  IssuesQuerySchema,
  PagesQuerySchema,
  ScanIssueListSchema,
  ScanPageListSchema,
} from '../scan-results.ts';
import { ScannerResultAcceptedSchema, ScannerResultSchema } from '../scanner-results.ts';
import type { OperationSchemaMap } from './types.ts';

export const scannerOperations: OperationSchemaMap = {
  'scanner.results.store': {
    request: ScannerResultSchema,
    responses: {
      202: {
        description: 'Accepted (duplicate: true when the run was already terminal)',
        schema: ScannerResultAcceptedSchema,
      },
    },
  },
  'scan-runs.pages': {
    query: PagesQuerySchema,
    responses: { 200: { description: 'A page of pages', schema: ScanPageListSchema } },
  },
  'scan-runs.issues': {
    query: IssuesQuerySchema,
    responses: { 200: { description: 'A page of issues', schema: ScanIssueListSchema } },
  },
};
