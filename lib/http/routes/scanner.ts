import { parseScannerResult } from '../../domain/scanner-validate.ts';
import { ScannerResultSchema } from '../../schemas/scanner-results.ts';
import { API, route } from './route.ts';

export const scannerResults = /* @__PURE__ */ route({
  name: 'scanner.results.store',
  method: 'POST',
  path: '/api/scanner/results',
  entry: 'functions/scanner-results.ts',
  auth: 'scanner',
  idempotent: true,
  jsonBody: true,
  body: ScannerResultSchema,
  parseBody: parseScannerResult,
  responses: {
    202: {
      description: 'Accepted (duplicate: true when the run was already terminal)',
      schema: 'ScannerResultAccepted',
    },
  },
  errors: ['SCAN_RUN_NOT_FOUND'],
  summary: 'Scanner postback: completed or failed scan results',
  grants: [...API, 'secret:scanner'],
});

/** The scanner's postback: route table entries (lib/http/routes.ts lists every area). */
export const SCANNER_ROUTES = {
  results: scannerResults,
} as const;
