import type { AccountPrincipal } from '../../auth/principal.ts';
import { ForbiddenError, UnauthorizedError } from '../../errors.ts';
import { header, type WroMiddleware, type WroRequest } from '../context.ts';

/** How credentials are checked; handed in by the route handler (lib/http/route-handler.ts). */
export interface Authenticators {
  /** Resolves when the presented X-Scanner-Secret is the configured one; rejects with UnauthorizedError. */
  scanner(presented: string | undefined): Promise<void>;
  /** The account behind an API token; rejects with UnauthorizedError. */
  bearer(apiToken: string): Promise<AccountPrincipal>;
}

/** The challenge a 401 of a bearer route carries (RFC 6750). */
export const BEARER_CHALLENGE = 'Bearer realm="webriskops"';

/** Bearer token or scanner secret, as the route declares; then the route's scope. */
export function authenticate(auth: Authenticators): WroMiddleware {
  return {
    before: async (request: WroRequest) => {
      const state = request.internal.state;
      const { route } = state;
      if (route.auth === 'scanner') {
        await auth.scanner(header(request.event, 'x-scanner-secret'));
        state.principal = { kind: 'scanner' };
        return;
      }
      if (route.auth !== 'bearer') return;
      const authz = header(request.event, 'authorization');
      const match = authz ? /^Bearer\s+(\S+)\s*$/i.exec(authz) : null;
      if (!match?.[1]) {
        throw new UnauthorizedError('Authorization: Bearer <token> is missing or malformed.', {
          'WWW-Authenticate': authz ? `${BEARER_CHALLENGE}, error="invalid_request"` : BEARER_CHALLENGE,
        });
      }
      const principal = await auth.bearer(match[1]).catch((err: unknown) => {
        // RFC 6750: a token that was presented and refused is an invalid_token.
        if (err instanceof UnauthorizedError) {
          throw new UnauthorizedError(err.message, {
            'WWW-Authenticate': `${BEARER_CHALLENGE}, error="invalid_token"`,
          });
        }
        throw err;
      });
      state.principal = principal;
      if (route.scope && !principal.scopes.includes(route.scope)) {
        throw new ForbiddenError(`This token lacks the ${route.scope} scope.`);
      }
    },
  };
}
