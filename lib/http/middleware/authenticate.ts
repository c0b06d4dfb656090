import { verifyScannerSecret } from '../../auth/scanner-secret.ts';
import { authenticateBearer } from '../../domain/accounts.ts';
import { ForbiddenError, UnauthorizedError } from '../../errors.ts';
import { runtime } from '../../runtime.ts';
import { header, type WroMiddleware, type WroRequest } from '../context.ts';

/** Bearer token or scanner secret, as the route declares; then the route's scope. */
export function authenticate(): WroMiddleware {
  return {
    before: async (request: WroRequest) => {
      const state = request.context.wro;
      const { route } = state;
      if (route.auth === 'scanner') {
        await verifyScannerSecret(runtime().config, header(request.event, 'x-scanner-secret'));
        state.principal = { kind: 'scanner' };
        return;
      }
      if (route.auth !== 'bearer') return;
      const authz = header(request.event, 'authorization');
      const match = authz ? /^Bearer\s+(\S+)\s*$/i.exec(authz) : null;
      if (!match?.[1]) throw new UnauthorizedError('Authorization: Bearer <token> is missing or malformed.');
      const principal = await authenticateBearer(runtime().db, match[1]);
      state.principal = principal;
      if (route.scope && !principal.scopes.includes(route.scope)) {
        throw new ForbiddenError(`This token lacks the ${route.scope} scope.`);
      }
    },
  };
}
