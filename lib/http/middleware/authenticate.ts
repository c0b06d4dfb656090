import type { AccountPrincipal, TargetPrincipal } from '../../auth/principal.ts';
import { ForbiddenError, UnauthorizedError } from '../../errors.ts';
import type { SignatureHeaders } from '../../webhooks/callback-signature.ts';
import { header, type WroMiddleware, type WroRequest } from '../context.ts';
import { bodyBytes } from './json-body.ts';

/** A request signed with a target's signing secret, as authentication hands it to the verifier. */
export interface SignedRequest {
  /** The path's `{targetId}` as sent (not validated yet: a malformed one verifies nothing). */
  targetId: string | undefined;
  /** `webhook-id`, `webhook-timestamp`, `webhook-signature`. */
  headers: SignatureHeaders;
  /** The body's bytes, decompressed, as the signer signed them. */
  rawBody: Buffer;
}

/** How credentials are checked; handed in by the route handler (lib/http/route-handler.ts). */
export interface Authenticators {
  /** Resolves when the presented X-Scanner-Secret is the configured one; rejects with UnauthorizedError. */
  scanner(presented: string | undefined): Promise<void>;
  /** The account behind an API token; rejects with UnauthorizedError. */
  bearer(apiToken: string): Promise<AccountPrincipal>;
  /**
   * The target whose signing secret signed the request (routes with auth `target-signature`); rejects
   * with SignatureInvalidError. Handed in by the route's own function, so no other bundle carries it.
   */
  targetSignature?(request: SignedRequest): Promise<TargetPrincipal>;
}

/** The challenge a 401 of a bearer route carries (RFC 6750). */
export const BEARER_CHALLENGE = 'Bearer realm="webriskops"';

/** Bearer token, scanner secret or target signature, as the route declares; then the route's scope. */
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
      if (route.auth === 'target-signature') {
        if (!auth.targetSignature)
          throw new Error(`${route.name}: no target signature verifier was handed in`);
        const { event } = request;
        // The signature covers the body, so its bytes are read first (413/415 as for any body).
        const rawBody = (await bodyBytes(event)) ?? Buffer.alloc(0);
        state.principal = await auth.targetSignature({
          targetId: event.pathParameters?.targetId,
          headers: {
            id: header(event, 'webhook-id'),
            timestamp: header(event, 'webhook-timestamp'),
            signature: header(event, 'webhook-signature'),
          },
          rawBody,
        });
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
