import { ROUTES, type RouteDef } from './routes.ts';

/**
 * Which route a method and path name, by the route table alone: the local gateway routes with it, and
 * the fallback function (API Gateway's `$default` route on AWS) answers what no route takes with it.
 * HTTP conventions (RFC 9110): HEAD is served by the GET route; a known path with another method is
 * 405 with `Allow`; OPTIONS is the CORS preflight (lib/http/cors.ts).
 */
export type RouteMatch =
  | { kind: 'route'; route: RouteDef; params: Record<string, string> }
  | { kind: 'method_not_allowed'; allow: string[] }
  | { kind: 'not_found' };

interface Compiled {
  route: RouteDef;
  pattern: RegExp;
  names: string[];
}

const COMPILED: Compiled[] = ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\\?\{(\w+)\\?\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

/** The methods a path answers: its routes' methods, HEAD with GET, and OPTIONS (preflight). */
export function allowedMethods(routes: RouteDef[]): string[] {
  const methods = new Set<string>(routes.map((r) => r.method));
  if (methods.has('GET')) methods.add('HEAD');
  methods.add('OPTIONS');
  return [...methods];
}

/** Path parameters decoded; a malformed percent-encoding names no resource. */
function decode(values: string[]): string[] | undefined {
  try {
    return values.map((v) => decodeURIComponent(v));
  } catch {
    return undefined;
  }
}

export function matchRequest(method: string, pathname: string): RouteMatch {
  const onPath: { c: Compiled; values: string[] }[] = [];
  for (const c of COMPILED) {
    const m = c.pattern.exec(pathname);
    if (m) onPath.push({ c, values: m.slice(1) });
  }
  if (onPath.length === 0) return { kind: 'not_found' };
  const wanted = method === 'HEAD' ? 'GET' : method;
  const hit = onPath.find(({ c }) => c.route.method === wanted);
  if (!hit) return { kind: 'method_not_allowed', allow: allowedMethods(onPath.map(({ c }) => c.route)) };
  const values = decode(hit.values);
  if (!values) return { kind: 'not_found' };
  return {
    kind: 'route',
    route: hit.c.route,
    params: Object.fromEntries(hit.c.names.map((n, i) => [n, values[i] as string])),
  };
}

/** The methods of every route on the path (for a preflight), or undefined for an unknown path. */
export function methodsOnPath(pathname: string): string[] | undefined {
  const routes = COMPILED.filter((c) => c.pattern.test(pathname)).map((c) => c.route);
  return routes.length ? allowedMethods(routes) : undefined;
}
