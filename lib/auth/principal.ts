import type { PlanName } from '../domain/plans.ts';
import type { Scope } from './scopes.ts';

/** Who a request acts for: an account (API token), the scanner (shared secret), or nobody. */
export type Principal =
  | { kind: 'account'; accountId: string; tokenId: string; scopes: Scope[]; plan: PlanName }
  | { kind: 'scanner' }
  | { kind: 'anonymous' };

export type AccountPrincipal = Extract<Principal, { kind: 'account' }>;
