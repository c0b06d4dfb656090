import { artifactStoreFor } from '../../artifacts/artifact-store.ts';
import { logger } from '../../logger.ts';
import { type Reaction, reaction } from '../reaction.ts';

/** A scan run committed as failed → delete its temporary artifacts (idempotent: deleting twice deletes nothing). */
export const scanRunFailedCleanup: Reaction = reaction({
  name: 'scan-run-failed-cleanup',
  on: { sk: 'SCANRUN', statusChangedTo: 'failed' },
  async run(change, rt) {
    const prefix = change.newImage?.temp_prefix;
    if (typeof prefix !== 'string') return;
    const deleted = await artifactStoreFor(rt).deletePrefix(prefix);
    logger.info('temporary artifacts deleted', { scan_run_id: change.newImage?.id, deleted });
  },
});
