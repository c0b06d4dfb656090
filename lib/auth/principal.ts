import type { PlanName } from '../domain/plans.ts';
import type { Scope } from './scopes.ts';

/**
 * Who a request acts for: an account (API token), the scanner (shared secret), a ticket export
 * target (a callback signed with the target's signing secret, for the target's account), or nobody.
 */
export type Principal =
  | { kind: 'account'; accountId: string; tokenId: string; scopes: Scope[]; plan: PlanName }
  | { kind: 'scanner' }
  | { kind: 'target'; targetId: string; accountId: string; plan: PlanName }
  | { kind: 'anonymous' };

export type AccountPrincipal = Extract<Principal, { kind: 'account' }>;
export type TargetPrincipal = Extract<Principal, { kind: 'target' }>;

/**
 * The principal as logs and idempotency scopes name it: the account id, `target:<target id>`, or its
 * kind (`scanner`, `anonymous`). Never a credential.
 */
export function principalName(p: Principal): string {
  if (p.kind === 'account') return p.accountId;
  if (p.kind === 'target') return `target:${p.targetId}`;
  return p.kind;
}
