import type { Scope } from '../../auth/scopes.ts';
import type { ErrorCode } from '../../error-codes.ts';
import {
  EventIdParam,
  ExportIdParam,
  FingerprintParam,
  ProjectIdParam,
  ScanRunIdParam,
  TargetIdParam,
} from '../../schemas/path-params.ts';
import type { ResponseName } from '../../schemas/responses.ts';
import type * as z from '../../schemas/zod.ts';

/**
 * What a route table entry is (lib/http/routes.ts lists them all; each area's entries live beside it
 * in lib/http/routes/, so a function imports its own area's schemas and no other). `target-signature`:
 * the request is signed with the signing secret of the target its path names, in the Standard Webhooks
 * format (a ticket system's callback; docs/ticket-exports.md, "Ticket system callbacks").
 */
export type AuthKind = 'bearer' | 'scanner' | 'target-signature' | 'none';

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
  | 'bucket:write-reports'
  | 'bucket:read-reports'
  | 'secret:scanner'
  | 'secret:target-keys';

/** Every authenticated route reads tokens and writes rate-limit (and idempotency) items. */
export const API: Grant[] = ['table:read', 'table:write'];
/** …and the route that serves scan reports signs URLs to read them from the artifacts bucket. */
export const API_WITH_REPORTS: Grant[] = [...API, 'bucket:read-reports'];
/** …and the routes that seal or open a target's signing secret read the target-secrets key. */
export const API_WITH_TARGET_KEYS: Grant[] = [...API, 'secret:target-keys'];

/**
 * Every path parameter, once: its schema (validation, the handler's type, the OpenAPI pattern) and the
 * resource it names. A value that does not fit names no resource: 404 `<resource> not found.`
 */
export const PATH_PARAMS = {
  projectId: { schema: ProjectIdParam, resource: 'Project' },
  scanRunId: { schema: ScanRunIdParam, resource: 'Scan run' },
  targetId: { schema: TargetIdParam, resource: 'Target' },
  exportId: { schema: ExportIdParam, resource: 'Export' },
  eventId: { schema: EventIdParam, resource: 'Event delivery' },
  fingerprint: { schema: FingerprintParam, resource: 'Finding' },
} as const satisfies Record<string, { schema: () => z.ZodMiniType<unknown, string>; resource: string }>;
export type PathParamName = keyof typeof PATH_PARAMS;

/** The names of a path's `{parameters}`, in order. */
export function pathParamNames(path: string): PathParamName[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as PathParamName);
}

/** A success answer of a route, for the OpenAPI document. */
export interface RouteResponse {
  description: string;
  /**
   * The answer's schema, by its name in lib/schemas/responses.ts (documentation only), as
   * `application/json`; `null`: the answer has no body (a redirect).
   */
  schema: ResponseName | null;
  /** Further media types the answer may have instead, each with its schema (`application/sarif+json`). */
  media?: Record<string, ResponseName>;
  /** The answer is a redirect: it carries `Location`. */
  redirect?: boolean;
  /** OpenAPI links: the operations this answer's ids lead to (documentation only). */
  links?: Record<string, { operationId: string; parameters: Record<string, string>; description?: string }>;
}

export interface RouteDef {
  /** Stable name; also the handler's route key for idempotency scoping and logs. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax, `{param}` for path parameters. */
  path: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  auth: AuthKind;
  scope?: Scope;
  /** State-changing POSTs take (and require) Idempotency-Key. */
  idempotent: boolean;
  /**
   * The idempotency key is this request header instead of Idempotency-Key (a signed callback's
   * `webhook-id`, which its signature covers), and its record lives at least `minTtlSeconds`: longer
   * than a signature's timestamp is accepted, so a replay within it always finds the first answer.
   */
  replayKey?: { header: string; minTtlSeconds: number };
  /** Requests carry a JSON body that the handler validates. */
  jsonBody: boolean;
  /** The body's schema: it validates the request and is the OpenAPI request body. */
  body?: () => z.ZodMiniType;
  /**
   * A parser that names every offending field where one schema cannot (rules zod checks only once the
   * rest is valid); it throws ValidationError. `body` still documents the request.
   */
  parseBody?: (json: unknown) => unknown;
  /** The query string's schema (absent: the route takes no query parameters). */
  query?: () => z.ZodMiniObject;
  /** Success answers by status code. */
  responses: Record<number, RouteResponse>;
  /**
   * The codes of this route's own refusals. The OpenAPI document adds those every route of its kind
   * answers with (authentication, rate limit, body, idempotency; lib/openapi.ts).
   */
  errors?: readonly ErrorCode[];
  /**
   * The answer carries a secret (a signing secret): its stored copy for Idempotency-Key replays is
   * encrypted (docs/platform.md, "Idempotency").
   */
  sealedResponse?: boolean;
  summary: string;
  grants: readonly Grant[];
}

/**
 * Keeps each entry's literal types (its schemas), so a handler's input is typed from its entry. Every
 * entry's call is annotated pure, so a function's bundle keeps only the entry it imports (docs/deploy.md,
 * "Bundles"); esbuild does not carry a declaration's side-effect annotation across modules.
 */
export function route<const R extends RouteDef>(r: R): R {
  return r;
}

/** `{ projectId: string }` from `/api/projects/{projectId}/scan-runs`; `{ scanRunId: number }` likewise. */
export type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? {
      [K in Name & PathParamName]: z.output<ReturnType<(typeof PATH_PARAMS)[K]['schema']>>;
    } & PathParams<Rest>
  : Record<never, never>;

/** `METHOD /path` as API Gateway writes a routeKey. */
export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method} ${r.path}`;
