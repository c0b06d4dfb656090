import { loadSecretKey, seal } from '../crypto/secret-box.ts';
import { unexpectedConditionFailure, type WritePlan } from '../db/commit.ts';
import { type TargetItem, targetPut } from '../db/targets-store.ts';
import { ForbiddenError, TargetUrlUnsafeError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { CreateTargetInput } from '../schemas/targets.ts';
import { generateSigningSecret } from '../webhooks/signing.ts';
import { judgeTargetUrl } from './target-url-check.ts';
import { type AccountRef, planRefusal, type TargetDeps, type TargetWithSecret } from './targets.ts';

/*
 * Target creation, on its own: it is the one target operation that checks a URL (DNS and the address
 * policy, lib/net), so the other target routes' bundles do not carry that code.
 */

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
  const verdict = await judgeTargetUrl(input.base_url, deps.config.allowPrivateTargets, deps.resolve);
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
