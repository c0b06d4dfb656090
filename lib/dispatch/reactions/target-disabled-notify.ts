import type { TargetItem } from '../../db/targets-store.ts';
import { notifyTargetDisabled } from '../../domain/event-deliveries.ts';
import type { TargetDisabledReason } from '../../schemas/targets.ts';
import { type Reaction, reaction } from '../reaction.ts';

/** Disables the platform made on its own; a customer's DELETE is not announced back to them. */
const ANNOUNCED: readonly TargetDisabledReason[] = ['receiver_gone', 'receiver_failing'];

/**
 * A target was disabled by a delivery (410 Gone, or failing for too long) → one `target.disabled`
 * event delivery to each other active target of the account subscribed to it. Ids are deterministic
 * (target and disable time), so a replayed record creates nothing new.
 */
export const targetDisabledNotify: Reaction = reaction({
  name: 'target-disabled-notify',
  on: { sk: 'TARGET', statusChangedTo: 'disabled', newImage: { disabled_reason: ANNOUNCED } },
  run: async (change, rt) => {
    await notifyTargetDisabled(rt.db, change.newImage as unknown as TargetItem);
  },
});
