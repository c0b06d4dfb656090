import type { Resolver } from '../net/target-url.ts';

/**
 * Process-local test seams of the targets and delivery code. Production never sets them; tests that run
 * the local stack in their own process do:
 *  - `resolve` replaces system DNS in target URL checks (tests need no network beyond loopback);
 *  - `afterSend` runs after a webhook was sent and before its outcome is written, so a test can
 *    simulate a crash in exactly that window.
 */
export const deliverySeams: {
  resolve?: Resolver;
  afterSend?: (ctx: {
    kind: 'ticket_export' | 'event';
    id: string;
    deliveryId: string;
  }) => void | Promise<void>;
} = {};
