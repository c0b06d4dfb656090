import type { SecretReader } from '../aws/secret-reader.ts';
import type { Config } from '../config.ts';
import { loadSecretKey, openMemoized, seal } from '../crypto/secret-box.ts';
import type { Db } from '../db/client.ts';
import type { WritePlan } from '../db/commit.ts';
import {
  disableTargetWrite,
  getTarget,
  listTargets,
  rotateSecretWrite,
  type TargetItem,
} from '../db/targets-store.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { isId } from '../ids.ts';
import type { Resolver } from '../net/target-url.ts';
import type { TargetView } from '../schemas/responses.ts';
import { generateSigningSecret } from '../webhooks/signing.ts';
import { DEFAULT_ROTATION_GRACE_SECONDS } from './delivery-vocabulary.ts';
import { toPage } from './pages.ts';
import { type DeploymentMode, type ProviderKey, planOf } from './plans.ts';

export interface TargetDeps {
  db: Db;
  config: Config;
  /** Secrets Manager, for the target-secrets key on AWS (WRO_TARGET_SECRETS_KEY_ARN). */
  secrets?: SecretReader;
  /** DNS for the URL check (default: the system's). */
  resolve?: Resolver;
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
    secret_grace_until: isoOrNull(graceWindowEnd(t, Date.now())),
    paused_until: isoOrNull(pausedUntil(t, Date.now())),
    failing_since: isoOrNull(t.failing_since_ms),
  };
}

const isoOrNull = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** When the previous secret stops verifying, while its grace window is open; else undefined. */
export function graceWindowEnd(t: TargetItem, nowMs: number): number | undefined {
  const end = t.previous_secret_expires_ms;
  return t.previous_secret_sealed && end !== undefined && end > nowMs ? end : undefined;
}

/** Until when the receiver asked for no requests, while that pause lasts; else undefined. */
export function pausedUntil(t: TargetItem, nowMs: number): number | undefined {
  return t.paused_until_ms !== undefined && t.paused_until_ms > nowMs ? t.paused_until_ms : undefined;
}

/** Why the plan refuses a provider / deployment mode, or undefined when it allows both. */
export function planRefusal(plan: string, provider: ProviderKey, mode: DeploymentMode): string | undefined {
  const p = planOf(plan);
  if (!p.providers.includes(provider)) return `The account's plan does not allow the provider ${provider}.`;
  if (!p.deploymentModes.includes(mode))
    return `The account's plan does not allow the deployment mode ${mode}.`;
  return undefined;
}

export interface TargetWithSecret {
  target: TargetItem;
  /** In clear text: the answer carries it, its stored copy is sealed (docs/platform.md). */
  signingSecret: string;
}

/** Another account's target is indistinguishable from a missing one (404). */
export async function getOwnedTarget(
  db: Db,
  accountId: string,
  targetId: string,
  consistent = false,
): Promise<TargetItem> {
  const target = isId('target', targetId) ? await getTarget(db, targetId, consistent) : undefined;
  if (!target || target.account_id !== accountId) throw new NotFoundError('Target not found.');
  return target;
}

export async function listOwnedTargets(
  db: Db,
  accountId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: TargetView[]; next_cursor: string | null }> {
  return toPage(await listTargets(db, accountId, page), toTargetView);
}

/** Why a target refuses a change, from the target as it is (undefined: it does not refuse). */
function targetRefusal(
  target: { account_id?: unknown; status?: unknown } | undefined,
  accountId: string,
): Error | undefined {
  if (!target || target.account_id !== accountId) return new NotFoundError('Target not found.');
  if (target.status !== 'active') return new ConflictError('The target is disabled.', 'TARGET_NOT_ACTIVE');
  return undefined;
}

/**
 * New secret. For `graceSeconds` the previous one keeps verifying too: deliveries carry both
 * Standard Webhooks signatures, and X-WebRiskOps-Signature is made with the secret the receiver
 * accepts (docs/ticket-exports.md, "Rotation"). With 0 the previous secret ends at once.
 */
export async function planRotateSecret(
  deps: TargetDeps,
  accountId: string,
  targetId: string,
  graceSeconds: number = DEFAULT_ROTATION_GRACE_SECONDS,
): Promise<WritePlan<TargetWithSecret>> {
  const current = await getOwnedTarget(deps.db, accountId, targetId, true);
  const refusal = targetRefusal(current, accountId);
  if (refusal) throw refusal;
  const signingSecret = generateSigningSecret();
  const key = await loadSecretKey(deps.config, deps.secrets);
  const at = new Date().toISOString();
  const sealed = seal(key, signingSecret, current.id);
  const version = current.secret_version + 1;
  const previous =
    graceSeconds > 0
      ? { sealed: current.secret_sealed, expiresMs: Date.parse(at) + graceSeconds * 1000 }
      : undefined;
  return {
    writes: [
      rotateSecretWrite(deps.db, {
        targetId: current.id,
        accountId,
        expectedVersion: current.secret_version,
        sealed,
        at,
        previous,
      }),
    ],
    result: {
      target: {
        ...withoutGraceWindow(current),
        secret_sealed: sealed,
        secret_version: version,
        secret_rotated_at: at,
        updated_at: at,
        ...(previous
          ? { previous_secret_sealed: previous.sealed, previous_secret_expires_ms: previous.expiresMs }
          : {}),
      },
      signingSecret,
    },
    onConditionFailed: ({ item }) => {
      throw (
        targetRefusal(item, accountId) ??
        new ConflictError('The signing secret was rotated concurrently; read the target and retry.')
      );
    },
  };
}

/** Disables an account's target; disabling twice keeps the first time and reason. */
export async function planDisableTarget(
  db: Db,
  accountId: string,
  targetId: string,
): Promise<WritePlan<TargetItem>> {
  const current = await getOwnedTarget(db, accountId, targetId, true);
  const at = new Date().toISOString();
  return {
    writes: [
      disableTargetWrite(db, {
        targetId: current.id,
        accountId,
        seenUpdatedAt: current.updated_at,
        reason: 'disabled_by_user',
        at,
      }),
    ],
    result: {
      ...current,
      status: 'disabled',
      disabled_at: current.disabled_at ?? at,
      disabled_reason: current.disabled_reason ?? 'disabled_by_user',
      updated_at: at,
    },
    onConditionFailed: ({ item }) => {
      if (!item || item.account_id !== accountId) throw new NotFoundError('Target not found.');
      throw new ConflictError('The target changed while it was being disabled; retry.');
    },
  };
}

function withoutGraceWindow(t: TargetItem): TargetItem {
  const { previous_secret_sealed: _s, previous_secret_expires_ms: _e, receiver_secret: _r, ...rest } = t;
  return rest;
}

/** The secrets a delivery is signed with now: the current one, and the previous one inside its grace window. */
export async function openSigningSecrets(
  deps: Pick<TargetDeps, 'config' | 'secrets'>,
  target: TargetItem,
  nowMs: number,
): Promise<{ current: string; previous?: string }> {
  const key = await loadSecretKey(deps.config, deps.secrets);
  // Opened once per sealed value, not at every delivery (keyed by the ciphertext: a rotation is never stale).
  const current = openMemoized(key, target.secret_sealed, target.id);
  return graceWindowEnd(target, nowMs) !== undefined
    ? { current, previous: openMemoized(key, target.previous_secret_sealed as string, target.id) }
    : { current };
}
