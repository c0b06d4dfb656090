import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The zod every schema of this code base is written with: Zod Mini, with the English messages the
 * API's validation errors carry. Mini's checks are functions (`z.string().check(z.maxLength(9))`,
 * `z.optional(…)`), so a bundle keeps only the ones its schemas use; classic zod attaches every method
 * to every schema and puts ~100 KB in each function (docs/deploy.md, "Bundles").
 *
 * The locale is set here, once, by the module every schema file imports, so no parse can run before it.
 */
config(en());

export * from 'zod/mini';
