import { randomId } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import { loadSecretKey, open, seal } from '../crypto/secret-box.ts';
import type { Db } from '../db/client.ts';
import {
  disableTarget,
  getTarget,
  listTargets,
  putTarget,
  rotateTargetSecret,
  type TargetItem,
} from '../db/targets-store.ts';
import { ForbiddenError, NotFoundError, TargetUrlUnsafeError } from '../errors.ts';
import type { CreateTargetInput, TargetView } from '../schemas/targets.ts';
import { TargetIdParam } from '../schemas/targets.ts';
import { generateSigningSecret } from '../webhooks/signing.ts';
import { type DeploymentMode, type ProviderKey, planOf } from './plans.ts';
import { judgeTargetUrl } from './target-url-check.ts';

export interface TargetDeps {
  db: Db;
  config: Config;
}

export interface AccountRef {
  accountId: string;
  plan: string;
}

export function toTargetView(t: TargetItem): TargetView {
  return {
    id: t.id,
    status: t.status,
    provider_key: t.provider_key,
    base_url: t.base_url,
    deployment_mode: t.deployment_mode,
    name: t.name,
    events: t.events,
    secret_version: t.secret_version,
    created_at: t.created_at,
    updated_at: t.updated_at,
    secret_rotated_at: t.secret_rotated_at ?? null,
    disabled_at: t.disabled_at ?? null,
    disabled_reason: t.disabled_reason ?? null,
  };
}

/** Why the plan refuses a provider / deployment mode, or undefined when it allows both. */
export function planRefusal(plan: string, provider: ProviderKey, mode: DeploymentMode): string | undefined {
  const p = planOf(plan);
  if (!p.providers.includes(provider)) return `The account's plan does not allow the provider ${provider}.`;
  if (!p.deploymentModes.includes(mode))
    return `The account's plan does not allow the deployment mode ${mode}.`;
  return undefined;
}

/**
 * Creates an active target with a fresh signing secret. The plan is checked first (403), then the URL
 * (422 TARGET_URL_UNSAFE). Returns the secret in clear text — the only time it leaves this module
 * outside a delivery.
 */
export async function createTarget(
  deps: TargetDeps,
  account: AccountRef,
  input: CreateTargetInput,
): Promise<{ target: TargetItem; signingSecret: string }> {
  const refusal = planRefusal(account.plan, input.provider_key, input.deployment_mode);
  if (refusal) throw new ForbiddenError(refusal);
  const verdict = await judgeTargetUrl(input.base_url, deps.config.allowPrivateTargets);
  if (verdict.kind === 'unsafe') throw verdict.error;
  // A name that does not resolve is refused in production, but kept under the development switch
  // (placeholder hosts such as hooks.example.test); every send checks the URL again.
  if (verdict.kind === 'unresolved') {
    if (!deps.config.allowPrivateTargets) throw verdict.error;
    // Plain http is for local receivers only; a name that does not resolve cannot be shown to be one.
    if (new URL(input.base_url).protocol !== 'https:') {
      throw new TargetUrlUnsafeError('only https URLs are allowed for hosts that are not local');
    }
  }

  const id = randomId('tgt');
  const signingSecret = generateSigningSecret();
  const key = await loadSecretKey(deps.config);
  const now = new Date().toISOString();
  const target: TargetItem = {
    id,
    account_id: account.accountId,
    status: 'active',
    provider_key: input.provider_key,
    base_url: input.base_url,
    deployment_mode: input.deployment_mode,
    name: input.name,
    events: input.events,
    secret_sealed: seal(key, signingSecret, id),
    secret_version: 1,
    created_at: now,
    updated_at: now,
  };
  await putTarget(deps.db, target);
  return { target, signingSecret };
}

/** Another account's target is indistinguishable from a missing one (404). */
export async function getOwnedTarget(db: Db, accountId: string, targetId: string): Promise<TargetItem> {
  const target = TargetIdParam.safeParse(targetId).success ? await getTarget(db, targetId) : undefined;
  if (!target || target.account_id !== accountId) throw new NotFoundError('Target not found.');
  return target;
}

export async function listOwnedTargets(
  db: Db,
  accountId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: TargetView[]; next_cursor: string | null }> {
  const res = await listTargets(db, accountId, page);
  return { items: res.items.map(toTargetView), next_cursor: res.nextCursor };
}

/**
 * New secret, effective immediately: every delivery from now on is signed with it only. Receivers
 * keep accepting the previous secret for their rotation window (verifyWebhook takes several secrets).
 */
export async function rotateSecret(
  deps: TargetDeps,
  accountId: string,
  targetId: string,
): Promise<{ target: TargetItem; signingSecret: string }> {
  const current = await getOwnedTarget(deps.db, accountId, targetId);
  const signingSecret = generateSigningSecret();
  const key = await loadSecretKey(deps.config);
  const target = await rotateTargetSecret(deps.db, {
    targetId: current.id,
    accountId,
    expectedVersion: current.secret_version,
    sealed: seal(key, signingSecret, current.id),
    at: new Date().toISOString(),
  });
  return { target, signingSecret };
}

export async function disableOwnedTarget(db: Db, accountId: string, targetId: string): Promise<TargetItem> {
  const target = await getOwnedTarget(db, accountId, targetId);
  return disableTarget(db, {
    targetId: target.id,
    accountId,
    reason: 'disabled_by_user',
    at: new Date().toISOString(),
  });
}

/** The target's signing secret in clear text, for signing one delivery. */
export async function openSigningSecret(config: Config, target: TargetItem): Promise<string> {
  return open(await loadSecretKey(config), target.secret_sealed, target.id);
}
