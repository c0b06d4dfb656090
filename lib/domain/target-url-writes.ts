import { loadSecretKey, seal } from '../crypto/secret-box.ts';
import { unexpectedConditionFailure, type WritePlan } from '../db/commit.ts';
import { enableTargetWrite, type TargetItem, targetPut, updateTargetWrite } from '../db/targets-store.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { CreateTargetInput, UpdateTargetInput } from '../schemas/targets.ts';
import { generateSigningSecret } from '../webhooks/signing.ts';
import { acceptTargetUrl } from './target-url-check.ts';
import {
  type AccountRef,
  getOwnedTarget,
  planRefusal,
  type TargetDeps,
  type TargetWithSecret,
} from './targets.ts';

/*
 * The target operations that check a URL (DNS and the address policy, lib/net): creation, update and
 * re-enabling. They live apart from lib/domain/targets.ts so the other target routes' bundles do not
 * carry that code.
 */

/** The target without its failing streak (a new URL starts clean; docs/ticket-exports.md, "Disable"). */
function withoutFailingStreak(t: TargetItem): TargetItem {
  const { failing_since_ms: _since, failing_last_ms: _last, ...rest } = t;
  return rest;
}

/**
 * Plans an active target with a fresh signing secret. The plan is checked first (403), then the URL
 * (422 TARGET_URL_UNSAFE). The secret is in clear text only in the result, never in a write.
 */
export async function planCreateTarget(
  deps: TargetDeps,
  account: AccountRef,
  input: CreateTargetInput,
): Promise<WritePlan<TargetWithSecret>> {
  const refusal = planRefusal(account.plan, input.provider_key, input.deployment_mode);
  if (refusal) throw new ForbiddenError(refusal);
  await acceptTargetUrl(input.base_url, deps);

  const id = newId('target');
  const signingSecret = generateSigningSecret();
  const key = await loadSecretKey(deps.config, deps.secrets);
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
  return {
    writes: [targetPut(deps.db, target)],
    result: { target, signingSecret },
    onConditionFailed: unexpectedConditionFailure('target creation'),
  };
}

/** A target that changed between its read and the write: 404 if it is gone, else 409 (send again). */
const changedMeanwhile =
  (accountId: string, doing: string) =>
  ({ item }: { item?: Record<string, unknown> }): never => {
    if (!item || item.account_id !== accountId) throw new NotFoundError('Target not found.');
    throw new ConflictError(`The target changed while it was being ${doing}; retry.`);
  };

/**
 * `PATCH`: changes name, URL (checked again, 422 TARGET_URL_UNSAFE) or subscriptions of an active or
 * disabled target; the signing secret and the status stay as they are.
 */
export async function planUpdateTarget(
  deps: TargetDeps,
  account: AccountRef,
  targetId: string,
  input: UpdateTargetInput,
): Promise<WritePlan<TargetItem>> {
  const current = await getOwnedTarget(deps.db, account.accountId, targetId, true);
  if (input.base_url !== undefined) await acceptTargetUrl(input.base_url, deps);
  const at = new Date().toISOString();
  const changes = { name: input.name, base_url: input.base_url, events: input.events };
  return {
    writes: [
      updateTargetWrite(deps.db, {
        targetId: current.id,
        accountId: account.accountId,
        seenUpdatedAt: current.updated_at,
        changes,
        at,
      }),
    ],
    result: {
      ...(input.base_url !== undefined ? withoutFailingStreak(current) : current),
      ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
      updated_at: at,
    },
    onConditionFailed: changedMeanwhile(account.accountId, 'updated'),
  };
}

/**
 * Re-enables a disabled target (disabled by the API or by a receiver's 410) after checking it like a
 * new one: the account's plan must allow it (403) and its URL must still be safe (422). An active
 * target is answered as it is. Blocked exports are then sent again with `POST …/retry`.
 */
export async function planEnableTarget(
  deps: TargetDeps,
  account: AccountRef,
  targetId: string,
): Promise<WritePlan<TargetItem>> {
  const current = await getOwnedTarget(deps.db, account.accountId, targetId, true);
  if (current.status === 'active') {
    return { writes: [], result: current, onConditionFailed: changedMeanwhile(account.accountId, 'enabled') };
  }
  const refusal = planRefusal(account.plan, current.provider_key, current.deployment_mode);
  if (refusal) throw new ForbiddenError(refusal);
  await acceptTargetUrl(current.base_url, deps);
  const at = new Date().toISOString();
  const {
    disabled_at: _at,
    disabled_reason: _reason,
    paused_until_ms: _paused,
    ...rest
  } = withoutFailingStreak(current);
  return {
    writes: [
      enableTargetWrite(deps.db, {
        targetId: current.id,
        accountId: account.accountId,
        seenUpdatedAt: current.updated_at,
        at,
      }),
    ],
    result: { ...rest, status: 'active', updated_at: at },
    onConditionFailed: changedMeanwhile(account.accountId, 'enabled'),
  };
}
