import type { ScanRunItem } from '../../db/scan-runs-store.ts';
import { applyRunToFindings } from '../../domain/findings.ts';
import { logger } from '../../logger.ts';
import { type Reaction, reaction } from '../reaction.ts';

/**
 * A scan run committed as completed → apply it to its project's findings (docs/scanner-results.md,
 * "Findings across scan runs"). Idempotent: a replayed record of an applied run changes nothing.
 */
export const scanRunFindings: Reaction = reaction({
  name: 'scan-run-findings',
  on: { sk: 'SCANRUN', statusChangedTo: 'completed' },
  async run(change, rt) {
    const run = change.newImage as unknown as ScanRunItem;
    const outcome = await applyRunToFindings(rt.db, run);
    logger.info('scan run applied to findings', {
      scan_run_id: run.id,
      outcome: outcome.kind,
      ...(outcome.kind === 'applied' ? { delta: outcome.delta, writes: outcome.writes } : {}),
    });
  },
});
