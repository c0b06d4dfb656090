/**
 * THE route table. The CDK stack makes one Lambda + API Gateway route per entry; the local server
 * (infra/local/http-server.ts) routes with the same entries to the same handler modules; the OpenAPI
 * document lists the same entries. Nothing else defines a route.
 */
export type AuthKind = 'bearer' | 'scanner' | 'none';

/** Scopes are `<family>:<read|write>`; a token holds a subset of ALL_SCOPES. */
export const SCOPE_FAMILIES = ['projects', 'scan_runs', 'targets', 'exports'] as const;
export type Scope = `${(typeof SCOPE_FAMILIES)[number]}:${'read' | 'write'}`;
export const ALL_SCOPES: Scope[] = SCOPE_FAMILIES.flatMap((f) => [`${f}:read`, `${f}:write`] as Scope[]);

/**
 * What a function may touch on AWS. The CDK stack turns each into the narrowest grant (least
 * privilege); the local stack ignores them.
 */
export type Grant =
  | 'table:read'
  | 'table:write'
  | 'queue:send'
  | 'queue:consume'
  | 'bucket:delete'
  | 'secret:scanner'
  | 'secret:target-keys';

/** Every authenticated route reads tokens and writes rate-limit (and idempotency) items. */
const API: Grant[] = ['table:read', 'table:write'];

export interface RouteDef {
  /** Stable name; also the handler's route key for idempotency scoping and logs. */
  name: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** API Gateway path syntax, `{param}` for path parameters. */
  path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  auth: AuthKind;
  scope?: Scope;
  /** State-changing POSTs take (and require) Idempotency-Key. */
  idempotent: boolean;
  /** Requests carry a JSON body that the handler validates. */
  jsonBody: boolean;
  summary: string;
  grants: readonly Grant[];
}

const route = (r: RouteDef) => r;

export const ROUTES = [
  route({
    name: 'projects.create',
    method: 'POST',
    path: '/api/projects',
    entry: 'functions/projects-create.ts',
    auth: 'bearer',
    scope: 'projects:write',
    idempotent: true,
    jsonBody: true,
    summary: 'Create a project',
    grants: API,
  }),
  route({
    name: 'projects.get',
    method: 'GET',
    path: '/api/projects/{projectId}',
    entry: 'functions/projects-get.ts',
    auth: 'bearer',
    scope: 'projects:read',
    idempotent: false,
    jsonBody: false,
    summary: 'Read a project',
    grants: API,
  }),
  route({
    name: 'scan-runs.create',
    method: 'POST',
    path: '/api/projects/{projectId}/scan-runs',
    entry: 'functions/scan-runs-create.ts',
    auth: 'bearer',
    scope: 'scan_runs:write',
    idempotent: true,
    jsonBody: false,
    summary: 'Create a scan run (reserves one scan credit)',
    grants: API,
  }),
  route({
    name: 'scan-runs.get',
    method: 'GET',
    path: '/api/scan-runs/{scanRunId}',
    entry: 'functions/scan-runs-get.ts',
    auth: 'bearer',
    scope: 'scan_runs:read',
    idempotent: false,
    jsonBody: false,
    summary: 'Read a scan run: status, counters, error, report status',
    grants: API,
  }),
  route({
    name: 'scan-runs.pages',
    method: 'GET',
    path: '/api/scan-runs/{scanRunId}/pages',
    entry: 'functions/scan-runs-pages.ts',
    auth: 'bearer',
    scope: 'scan_runs:read',
    idempotent: false,
    jsonBody: false,
    summary: "List a scan run's pages (cursor-paginated)",
    grants: API,
  }),
  route({
    name: 'scan-runs.issues',
    method: 'GET',
    path: '/api/scan-runs/{scanRunId}/issues',
    entry: 'functions/scan-runs-issues.ts',
    auth: 'bearer',
    scope: 'scan_runs:read',
    idempotent: false,
    jsonBody: false,
    summary: "List a scan run's issues (cursor-paginated, filter by severity)",
    grants: API,
  }),
  route({
    name: 'scanner.results.store',
    method: 'POST',
    path: '/api/scanner/results',
    entry: 'functions/scanner-results.ts',
    auth: 'scanner',
    idempotent: true,
    jsonBody: true,
    summary: 'Scanner postback: completed or failed scan results',
    grants: [...API, 'secret:scanner'],
  }),
  route({
    name: 'targets.create',
    method: 'POST',
    path: '/api/ticket-export-targets',
    entry: 'functions/targets-create.ts',
    auth: 'bearer',
    scope: 'targets:write',
    idempotent: true,
    jsonBody: true,
    summary: 'Create a ticket export target (returns its signing secret once)',
    grants: [...API, 'secret:target-keys'],
  }),
  route({
    name: 'targets.list',
    method: 'GET',
    path: '/api/ticket-export-targets',
    entry: 'functions/targets-list.ts',
    auth: 'bearer',
    scope: 'targets:read',
    idempotent: false,
    jsonBody: false,
    summary: "List the account's ticket export targets",
    grants: API,
  }),
  route({
    name: 'targets.get',
    method: 'GET',
    path: '/api/ticket-export-targets/{targetId}',
    entry: 'functions/targets-get.ts',
    auth: 'bearer',
    scope: 'targets:read',
    idempotent: false,
    jsonBody: false,
    summary: 'Read a ticket export target',
    grants: API,
  }),
  route({
    name: 'targets.rotate-secret',
    method: 'POST',
    path: '/api/ticket-export-targets/{targetId}/rotate-secret',
    entry: 'functions/targets-rotate-secret.ts',
    auth: 'bearer',
    scope: 'targets:write',
    idempotent: true,
    jsonBody: false,
    summary: "Rotate a target's signing secret",
    grants: [...API, 'secret:target-keys'],
  }),
  route({
    name: 'targets.disable',
    method: 'DELETE',
    path: '/api/ticket-export-targets/{targetId}',
    entry: 'functions/targets-disable.ts',
    auth: 'bearer',
    scope: 'targets:write',
    idempotent: false,
    jsonBody: false,
    summary: 'Disable a ticket export target',
    grants: API,
  }),
  route({
    name: 'exports.create',
    method: 'POST',
    path: '/api/ticket-exports',
    entry: 'functions/exports-create.ts',
    auth: 'bearer',
    scope: 'exports:write',
    idempotent: true,
    jsonBody: true,
    summary: 'Prepare a ticket export from stored issues',
    grants: API,
  }),
  route({
    name: 'exports.approve',
    method: 'POST',
    path: '/api/ticket-exports/{exportId}/approve',
    entry: 'functions/exports-approve.ts',
    auth: 'bearer',
    scope: 'exports:write',
    idempotent: true,
    jsonBody: true,
    summary: 'Approve a prepared export for delivery to a target',
    grants: API,
  }),
  route({
    name: 'exports.get',
    method: 'GET',
    path: '/api/ticket-exports/{exportId}',
    entry: 'functions/exports-get.ts',
    auth: 'bearer',
    scope: 'exports:read',
    idempotent: false,
    jsonBody: false,
    summary: 'Read a ticket export status',
    grants: API,
  }),
  route({
    name: 'exports.attempts',
    method: 'GET',
    path: '/api/ticket-exports/{exportId}/attempts',
    entry: 'functions/exports-attempts.ts',
    auth: 'bearer',
    scope: 'exports:read',
    idempotent: false,
    jsonBody: false,
    summary: 'Delivery attempt log of a ticket export',
    grants: API,
  }),
  route({
    name: 'exports.retry',
    method: 'POST',
    path: '/api/ticket-exports/{exportId}/retry',
    entry: 'functions/exports-retry.ts',
    auth: 'bearer',
    scope: 'exports:write',
    idempotent: true,
    jsonBody: false,
    summary: 'Re-queue a failed or blocked ticket export',
    grants: API,
  }),
  route({
    name: 'openapi',
    method: 'GET',
    path: '/api/openapi.json',
    entry: 'functions/openapi.ts',
    auth: 'none',
    idempotent: false,
    jsonBody: false,
    summary: 'OpenAPI 3.1 document',
    grants: [],
  }),
] as const satisfies readonly RouteDef[];

export type RouteName = (typeof ROUTES)[number]['name'];

/** Background workers (not HTTP routes), deployed by CDK and run by the local stack. */
export const WORKERS = {
  delivery: {
    name: 'delivery-worker',
    entry: 'functions/delivery-worker.ts',
    source: 'sqs',
    grants: ['table:read', 'table:write', 'queue:consume', 'secret:target-keys'] as readonly Grant[],
  },
  dispatcher: {
    name: 'dispatcher',
    entry: 'functions/dispatcher.ts',
    source: 'dynamodb-stream',
    grants: ['table:read', 'table:write', 'queue:send', 'bucket:delete'] as readonly Grant[],
  },
} as const;

export function findRoute(name: RouteName): RouteDef {
  const r = ROUTES.find((x) => x.name === name);
  if (!r) throw new Error(`Unknown route ${name}`);
  return r;
}

/** `METHOD /path` as API Gateway writes a routeKey. */
export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method} ${r.path}`;
