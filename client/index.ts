/**
 * A typed WebRiskOps API client: openapi-fetch over the types generated from the OpenAPI document
 * (client/schema.ts, `npm run client:generate`). Paths, parameters, bodies and answers are all typed
 * from the document; this file only adds the credentials.
 *
 *   const api = createWebRiskOpsClient({ baseUrl: 'http://127.0.0.1:3000', token });
 *   const { data, error, response } = await api.POST('/api/projects', {
 *     params: { header: { 'Idempotency-Key': idempotencyKey('project') } },
 *     body: { name: 'Example site', base_url: 'https://example.test' },
 *   });
 *
 * Each request carries `Accept: application/json` and the credential its operation's `security`
 * names, and no other: `Authorization: Bearer <token>` for customer routes, `X-Scanner-Secret` for
 * the scanner postback. `Idempotency-Key` is per call: pass a new key for each new logical request
 * and the same key only when retrying that request (docs/platform.md, "Idempotency-Key").
 */
import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import { type components, operationSecurity, type paths } from './schema.ts';

export type { components, operations, paths } from './schema.ts';

type Schemas = components['schemas'];
export type Project = Schemas['Project'];
export type ScanRun = Schemas['ScanRun'];
export type CreateScanRunResponse = Schemas['CreateScanRunResponse'];
export type ScannerResult = Schemas['ScannerResult'];
export type ScannerResultAccepted = Schemas['ScannerResultAccepted'];
export type ScanIssue = Schemas['ScanIssue'];
export type TicketExportTarget = Schemas['TicketExportTarget'];
export type TicketExportTargetWithSecret = Schemas['TicketExportTargetWithSecret'];
export type TicketExport = Schemas['TicketExport'];
export type TicketExportStatus = TicketExport['status'];
export type DeliveryAttempt = Schemas['DeliveryAttempt'];
export type ErrorEnvelope = Schemas['ErrorEnvelope'];

export type WebRiskOpsClient = Client<paths>;

export interface WebRiskOpsClientOptions {
  /** The API's origin, e.g. `http://127.0.0.1:3000` (npm start) or the stack's `ApiUrl` output. */
  baseUrl: string;
  /** An API token (`wro_…`), sent as `Authorization: Bearer` to the operations that take one. */
  token?: string;
  /** The scanner shared secret, sent as `X-Scanner-Secret` to the scanner postback only. */
  scannerSecret?: string;
  /** Another fetch (tests, proxies); default the global one. */
  fetch?: ClientOptions['fetch'];
}

type SecurityKey = keyof typeof operationSecurity;

/** Sets the credential the operation's `security` asks for (none for operations without). */
function credentials(opts: WebRiskOpsClientOptions): Middleware {
  return {
    onRequest({ request, schemaPath }) {
      const scheme = operationSecurity[`${request.method} ${schemaPath}` as SecurityKey];
      if (scheme === 'bearerAuth' && opts.token) request.headers.set('Authorization', `Bearer ${opts.token}`);
      if (scheme === 'scannerSecret' && opts.scannerSecret)
        request.headers.set('X-Scanner-Secret', opts.scannerSecret);
      return request;
    },
  };
}

export function createWebRiskOpsClient(opts: WebRiskOpsClientOptions): WebRiskOpsClient {
  const client = createClient<paths>({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    headers: { Accept: 'application/json' },
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  client.use(credentials(opts));
  return client;
}

/** A fresh Idempotency-Key for a new logical request, e.g. `project-3f2c…` (at most 255 characters). */
export function idempotencyKey(prefix = 'wro'): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

/** Whether an error body is the API's envelope (`{"error":{"code","message","request_id"}}`). */
export function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  const error = (body as { error?: { code?: unknown } } | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string';
}
