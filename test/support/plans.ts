import type { Db } from '../../lib/db/client.ts';
import { applyPlan } from '../../lib/db/commit.ts';
import { planCreateTarget } from '../../lib/domain/target-url-writes.ts';
import { planRotateSecret, type TargetDeps } from '../../lib/domain/targets.ts';

/** Test setup through the same plans the routes commit (no HTTP, no idempotency record). */
export async function createTarget(...args: Parameters<typeof planCreateTarget>) {
  return applyPlan(args[0].db, await planCreateTarget(...args));
}

export async function rotateSecret(
  deps: TargetDeps,
  accountId: string,
  targetId: string,
  graceSeconds?: number,
) {
  return applyPlan(deps.db, await planRotateSecret(deps, accountId, targetId, graceSeconds));
}

export type { Db };
