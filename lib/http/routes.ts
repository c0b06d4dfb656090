import { EVENT_ROUTES } from './routes/events.ts';
import { EXPORT_ROUTES } from './routes/exports.ts';
import { FINDING_ROUTES } from './routes/findings.ts';
import { OPENAPI_ROUTES } from './routes/openapi.ts';
import { PROJECT_ROUTES } from './routes/projects.ts';
import type { Grant, RouteDef } from './routes/route.ts';
import { SCAN_RUN_ROUTES } from './routes/scan-runs.ts';
import { SCANNER_ROUTES } from './routes/scanner.ts';
import { TARGET_CALLBACK_ROUTES } from './routes/target-callbacks.ts';
import { TARGET_ROUTES } from './routes/targets.ts';

export * from './routes/route.ts';

/**
 * THE route table. The CDK stack makes one Lambda + API Gateway route per entry; the local server
 * (infra/local/http-server.ts) routes with the same entries to the same handler modules; the OpenAPI
 * document lists the same entries. Nothing else defines a route.
 *
 * Entries live by area in lib/http/routes/ (each with its schemas): a function imports its own entry
 * from there (`httpRoute(projectsGet, …)`), so its bundle carries no other route's entry and no other
 * area's schemas.
 */
export const ROUTES = [
  ...Object.values(PROJECT_ROUTES),
  ...Object.values(SCAN_RUN_ROUTES),
  ...Object.values(FINDING_ROUTES),
  ...Object.values(SCANNER_ROUTES),
  ...Object.values(TARGET_ROUTES),
  ...Object.values(TARGET_CALLBACK_ROUTES),
  ...Object.values(EXPORT_ROUTES),
  ...Object.values(EVENT_ROUTES),
  ...Object.values(OPENAPI_ROUTES),
] satisfies readonly RouteDef[];
export type RouteName = (typeof ROUTES)[number]['name'];
export type RouteOf<N extends RouteName> = Extract<(typeof ROUTES)[number], { name: N }>;

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
    grants: [
      'table:read',
      'table:write',
      'queue:send',
      'bucket:delete',
      'bucket:write-reports',
    ] as readonly Grant[],
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
