import * as z from 'zod';
import type { Scope } from '../auth/scopes.ts';
import { parseScannerResult } from '../domain/scanner-validate.ts';
import { CreateProjectSchema, ProjectIdParam, ProjectSchema } from '../schemas/projects.ts';
import {
  IssuesQuerySchema,
  PagesQuerySchema,
  ScanIssueListSchema,
  ScanPageListSchema,
} from '../schemas/scan-results.ts';
import { CreateScanRunResponseSchema, ScanRunIdParam, ScanRunSchema } from '../schemas/scan-runs.ts';
import { ScannerResultAcceptedSchema, ScannerResultSchema } from '../schemas/scanner-results.ts';
import {
  CreateTargetSchema,
  TargetIdParam,
  TargetListQuerySchema,
  TargetListSchema,
  TargetSchema,
  TargetWithSecretSchema,
} from '../schemas/targets.ts';
import {
  ApproveExportSchema,
  AttemptListQuerySchema,
  AttemptListSchema,
  CreateExportSchema,
  ExportIdParam,
  ExportSchema,
} from '../schemas/ticket-exports.ts';

/**
 * THE route table. The CDK stack makes one Lambda + API Gateway route per entry; the local server
 * (infra/local/http-server.ts) routes with the same entries to the same handler modules; the OpenAPI
 * document lists the same entries. Nothing else defines a route.
 */
export type AuthKind = 'bearer' | 'scanner' | 'none';

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

/**
 * Every path parameter, once: its schema (validation, the handler's type, the OpenAPI pattern) and the
 * resource it names. A value that does not fit names no resource: 404 `<resource> not found.`
 */
export const PATH_PARAMS = {
  projectId: { schema: ProjectIdParam, resource: 'Project' },
  scanRunId: { schema: ScanRunIdParam, resource: 'Scan run' },
  targetId: { schema: TargetIdParam, resource: 'Target' },
  exportId: { schema: ExportIdParam, resource: 'Export' },
} as const satisfies Record<string, { schema: z.ZodType<unknown, string>; resource: string }>;
export type PathParamName = keyof typeof PATH_PARAMS;

/** The names of a path's `{parameters}`, in order. */
export function pathParamNames(path: string): PathParamName[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as PathParamName);
}

/** A success answer of a route, for the OpenAPI document. */
export interface RouteResponse {
  description: string;
  schema: z.ZodType;
}

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
  /** The body's schema: it validates the request and is the OpenAPI request body. */
  body?: z.ZodType;
  /**
   * A parser that names every offending field where one schema cannot (rules zod checks only once the
   * rest is valid); it throws ValidationError. `body` still documents the request.
   */
  parseBody?: (json: unknown) => unknown;
  /** The query string's schema (absent: the route takes no query parameters). */
  query?: z.ZodObject;
  /** Success answers by status code. */
  responses: Record<number, RouteResponse>;
  /**
   * The answer carries a secret (a signing secret): its stored copy for Idempotency-Key replays is
   * encrypted (docs/platform.md, "Idempotency").
   */
  sealedResponse?: boolean;
  summary: string;
  grants: readonly Grant[];
}

/** Keeps each entry's literal types (its schemas), so a handler's input is typed from its entry. */
const route = <const R extends RouteDef>(r: R) => r;

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
    body: CreateProjectSchema,
    responses: { 201: { description: 'Project created', schema: ProjectSchema } },
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
    responses: { 200: { description: 'The project', schema: ProjectSchema } },
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
    responses: {
      201: { description: 'Scan run queued; one scan credit reserved', schema: CreateScanRunResponseSchema },
    },
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
    responses: { 200: { description: 'The scan run', schema: ScanRunSchema } },
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
    query: PagesQuerySchema,
    responses: { 200: { description: 'A page of pages', schema: ScanPageListSchema } },
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
    query: IssuesQuerySchema,
    responses: { 200: { description: 'A page of issues', schema: ScanIssueListSchema } },
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
    body: ScannerResultSchema,
    parseBody: parseScannerResult,
    responses: {
      202: {
        description: 'Accepted (duplicate: true when the run was already terminal)',
        schema: ScannerResultAcceptedSchema,
      },
    },
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
    body: CreateTargetSchema,
    sealedResponse: true,
    responses: {
      201: {
        description: 'Target created; signing_secret is shown here (and in replays of this request)',
        schema: TargetWithSecretSchema,
      },
    },
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
    query: TargetListQuerySchema,
    responses: { 200: { description: "The account's targets (no secrets)", schema: TargetListSchema } },
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
    responses: { 200: { description: 'The target (no secret)', schema: TargetSchema } },
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
    sealedResponse: true,
    responses: {
      200: {
        description: 'New signing secret, effective for every delivery from now on',
        schema: TargetWithSecretSchema,
      },
    },
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
    responses: { 200: { description: 'The target, now disabled', schema: TargetSchema } },
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
    body: CreateExportSchema,
    responses: {
      201: {
        description: 'Prepared export (pending_approval) with the exact webhook body as preview',
        schema: ExportSchema,
      },
    },
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
    body: ApproveExportSchema,
    responses: {
      202: { description: 'Approved and queued for delivery to target_id', schema: ExportSchema },
    },
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
    responses: {
      200: { description: 'Export status (retry_after_seconds while retry_scheduled)', schema: ExportSchema },
    },
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
    query: AttemptListQuerySchema,
    responses: { 200: { description: 'Delivery attempt log, oldest first', schema: AttemptListSchema } },
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
    responses: { 202: { description: 'A failed or blocked export, queued again', schema: ExportSchema } },
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
    responses: { 200: { description: 'This document', schema: z.record(z.string(), z.unknown()) } },
    summary: 'OpenAPI 3.1 document',
    grants: [],
  }),
] as const satisfies readonly RouteDef[];

export type RouteName = (typeof ROUTES)[number]['name'];
export type RouteOf<N extends RouteName> = Extract<(typeof ROUTES)[number], { name: N }>;

/** `{ projectId: string }` from `/api/projects/{projectId}/scan-runs`; `{ scanRunId: number }` likewise. */
export type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? { [K in Name & PathParamName]: z.output<(typeof PATH_PARAMS)[K]['schema']> } & PathParams<Rest>
  : Record<never, never>;

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

/**
 * What no route takes (API Gateway's `$default` route, and the local gateway's non-matches): 405 with
 * `Allow` for a known path, 404 otherwise.
 */
export const FALLBACK = {
  name: 'fallback',
  entry: 'functions/fallback.ts',
  grants: [] as readonly Grant[],
} as const;

export function findRoute(name: RouteName): RouteDef {
  const r = ROUTES.find((x) => x.name === name);
  if (!r) throw new Error(`Unknown route ${name}`);
  return r;
}

/** `METHOD /path` as API Gateway writes a routeKey. */
export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method} ${r.path}`;
