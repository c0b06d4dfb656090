import type { AccountPrincipal } from '../auth/principal.ts';
import { ALL_SCOPES, type Scope } from '../auth/scopes.ts';
import { generateApiToken, hashToken } from '../auth/tokens.ts';
import {
  type AccountItem,
  getAccount,
  getToken,
  putAccount,
  putToken,
  revokeToken,
} from '../db/accounts-store.ts';
import type { Db } from '../db/client.ts';
import { NotFoundError, UnauthorizedError } from '../errors.ts';
import { newId } from '../ids.ts';
import { PLANS, type PlanName } from './plans.ts';

export async function createAccount(
  db: Db,
  input: { name: string; plan: PlanName; credits?: number },
): Promise<AccountItem> {
  const account: AccountItem = {
    id: newId('account'),
    name: input.name,
    plan: input.plan,
    scan_credits: input.credits ?? PLANS[input.plan].initialCredits,
    created_at: new Date().toISOString(),
  };
  await putAccount(db, account);
  return account;
}

/** Creates a token and returns it in clear text — the only time it exists outside the caller. */
export async function createToken(
  db: Db,
  input: { accountId: string; scopes?: Scope[] },
): Promise<{ token_id: string; api_token: string; scopes: Scope[] }> {
  const scopes = input.scopes ?? ALL_SCOPES;
  const apiToken = generateApiToken();
  const tokenId = newId('token');
  await putToken(db, hashToken(apiToken), {
    token_id: tokenId,
    account_id: input.accountId,
    scopes,
    created_at: new Date().toISOString(),
  });
  return { token_id: tokenId, api_token: apiToken, scopes };
}

export async function revokeApiToken(
  db: Db,
  apiToken: string,
): Promise<{ token_id: string; revoked_at: string }> {
  const item = await revokeToken(db, hashToken(apiToken), new Date().toISOString());
  if (!item) throw new NotFoundError('No such token.');
  return { token_id: item.token_id, revoked_at: item.revoked_at ?? '' };
}

/** Missing, unknown, revoked, or orphaned token: all the same 401. */
export async function authenticateBearer(db: Db, apiToken: string): Promise<AccountPrincipal> {
  const token = await getToken(db, hashToken(apiToken));
  if (!token || token.revoked_at) throw new UnauthorizedError('The API token is invalid or revoked.');
  const account = await getAccount(db, token.account_id);
  if (!account) throw new UnauthorizedError('The API token is invalid or revoked.');
  return {
    kind: 'account',
    accountId: account.id,
    tokenId: token.token_id,
    scopes: token.scopes,
    plan: account.plan,
  };
}
