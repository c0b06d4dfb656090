import { systemResolver } from '../../lib/domain/target-url-check.ts';
import type { Runtime } from '../../lib/runtime.ts';

export type Hooks = Pick<Runtime, 'resolve' | 'afterSend'>;

/**
 * Hooks a test can change between cases: `set` is what the test assigns (a fake DNS, a crash after a
 * send), `hooks` is what the handlers are built with (it delegates to `set`, falling back to the
 * system's resolver and to no hook).
 */
export function switchableHooks() {
  const set: Hooks = {};
  const hooks: Required<Hooks> = {
    resolve: (host) => (set.resolve ?? systemResolver)(host),
    afterSend: (ctx) => set.afterSend?.(ctx),
  };
  return { set, hooks };
}
