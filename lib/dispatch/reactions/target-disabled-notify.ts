import type { TargetItem } from '../../db/targets-store.ts';
import { notifyTargetDisabled } from '../../domain/event-deliveries.ts';
import type { TargetDisabledReason } from '../../schemas/targets.ts';
import { changedTo, type Reaction } from '../reaction.ts';

/** Disables the platform made on its own; a customer's DELETE is not announced back to them. */
const ANNOUNCED: readonly TargetDisabledReason[] = ['receiver_gone', 'receiver_failing'];

/**
 * A target was disabled by a delivery (410 Gone, or failing for too long) → one `target.disabled`
 * event delivery to each other active target of the account subscribed to it. Ids are deterministic
 * (target and disable time), so a replayed record creates nothing new.
 */
export const targetDisabledNotify: Reaction = {
  name: 'target-disabled-notify',
  matches: (change) =>
    change.keys.sk === 'TARGET' &&
    changedTo(change, 'status', 'disabled') &&
    ANNOUNCED.includes(change.newImage?.disabled_reason as TargetDisabledReason),
  run: async (change, rt) => {
    await notifyTargetDisabled(rt.db, change.newImage as unknown as TargetItem);
  },
};
