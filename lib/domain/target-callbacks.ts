import type { TargetPrincipal } from '../auth/principal.ts';
import { getAccount } from '../db/accounts-store.ts';
import type { Db } from '../db/client.ts';
import { getTarget } from '../db/targets-store.ts';
import { ConflictError, SignatureInvalidError } from '../errors.ts';
import { isId } from '../ids.ts';
import type { FindingView } from '../schemas/responses.ts';
import type { CallbackResolution, TicketCallbackInput } from '../schemas/target-callbacks.ts';
import { type SignatureHeaders, verifyCallbackSignature } from '../webhooks/callback-signature.ts';
import { getOwnedFinding, triageFinding } from './findings.ts';
import type { TriageReason } from './findings-lifecycle.ts';
import { openSigningSecrets, type TargetDeps } from './targets.ts';

/**
 * Ticket system callbacks (docs/ticket-exports.md, "Ticket system callbacks"): a ticket system that
 * got a ticket export reports back what became of the ticket, signed with the target's signing secret
 * (Standard Webhooks), and WebRiskOps sets the finding's triage.
 */

/**
 * The target whose current signing secret, or previous one inside its rotation grace window, signed
 * the request. A missing or malformed target id, a target whose account is gone, a bad or stale
 * signature: all the same 401 SIGNATURE_INVALID. A disabled target's valid signature is 409
 * TARGET_NOT_ACTIVE (only a holder of its secret learns that).
 */
export async function authenticateTargetCallback(
  deps: Pick<TargetDeps, 'db' | 'config' | 'secrets'>,
  request: { targetId: string | undefined; headers: SignatureHeaders; rawBody: Buffer },
  nowMs: number = Date.now(),
): Promise<TargetPrincipal> {
  const found: { principal?: TargetPrincipal; active?: boolean } = {};
  await verifyCallbackSignature({
    headers: request.headers,
    rawBody: request.rawBody,
    nowMs,
    secrets: async () => {
      const { targetId } = request;
      // Consistent: a rotation that just ended the previous secret's window is seen at once.
      const target = isId('target', targetId) ? await getTarget(deps.db, targetId, true) : undefined;
      const account = target && (await getAccount(deps.db, target.account_id));
      if (!target || !account) throw new SignatureInvalidError();
      found.principal = { kind: 'target', targetId: target.id, accountId: account.id, plan: account.plan };
      found.active = target.status === 'active';
      const { current, previous } = await openSigningSecrets(deps, target, nowMs);
      return previous === undefined ? [current] : [current, previous];
    },
  });
  if (!found.principal) throw new SignatureInvalidError();
  if (!found.active) throw new ConflictError('The target is disabled.', 'TARGET_NOT_ACTIVE');
  return found.principal;
}

/** The dismissal reason a ticket's outcome means; undefined: no triage change (a fix is proved by a rescan). */
export function triageReasonOf(type: TicketCallbackInput['type'], resolution?: CallbackResolution) {
  if (type === 'risk.accepted') return 'accepted_risk' satisfies TriageReason;
  if (resolution === 'wont_fix' || resolution === 'false_positive') return resolution satisfies TriageReason;
  return undefined;
}

/**
 * Applies a verified callback to the finding it names, in the target's account: a dismissal with the
 * reason its outcome means, set by `target:<id>`, or, for a ticket closed as fixed, nothing (the finding
 * stays as it is until a rescan shows it absent). A project of another account, or a finding the project
 * does not have, is 404.
 */
export async function applyTicketCallback(
  db: Db,
  target: Pick<TargetPrincipal, 'targetId' | 'accountId'>,
  body: TicketCallbackInput,
  now?: string,
): Promise<FindingView> {
  const reason = triageReasonOf(body.type, body.resolution);
  if (reason === undefined) return getOwnedFinding(db, target.accountId, body.project_id, body.fingerprint);
  const ticket = body.ticket ? { id: String(body.ticket.id), url: body.ticket.url ?? null } : null;
  return triageFinding(
    db,
    target.accountId,
    body.project_id,
    body.fingerprint,
    { reason, comment: body.comment ?? null, by: `target:${target.targetId}`, ticket },
    now,
  );
}
