import { secretsManager } from '../lib/aws/secrets-manager.ts';
import { applyTicketCallback, authenticateTargetCallback } from '../lib/domain/target-callbacks.ts';
import { httpRoute, targetOf } from '../lib/http/route-handler.ts';
import { targetsCallback } from '../lib/http/routes/target-callbacks.ts';

export const handler = httpRoute(
  targetsCallback,
  {
    verifySignature: (request, deps) => authenticateTargetCallback(deps, request),
    handle: async ({ body, principal, deps }) => ({
      status: 200,
      body: await applyTicketCallback(deps.db, targetOf(principal), body),
    }),
  },
  () => ({ secrets: secretsManager }), // the target-secrets key (WRO_TARGET_SECRETS_KEY_ARN)
);
