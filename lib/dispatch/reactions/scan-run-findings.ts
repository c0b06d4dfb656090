import type { ScanRunItem } from '../../db/scan-runs-store.ts';
import { applyRunToFindings } from '../../domain/findings.ts';
import { logger } from '../../logger.ts';
import { type Reaction, reaction } from '../reaction.ts';

/**
 * A scan run committed as completed → apply it to its project's findings (docs/scanner-results.md,
 * "Findings across scan runs"). Idempotent: a replayed record of an applied run changes nothing; a
 * run cut off by the deadline throws, and its retry goes on where it stopped.
 */
export const scanRunFindings: Reaction = reaction({
  name: 'scan-run-findings',
  on: { sk: 'SCANRUN', statusChangedTo: 'completed' },
  async run(change, rt, deadline) {
    const run = change.newImage as unknown as ScanRunItem;
    const outcome = await applyRunToFindings(rt.db, run, undefined, undefined, deadline);
    logger.info('scan run applied to findings', {
      scan_run_id: run.id,
      outcome: outcome.kind,
      ...(outcome.kind === 'applied' ? { delta: outcome.delta, writes: outcome.writes } : {}),
    });
  },
});
