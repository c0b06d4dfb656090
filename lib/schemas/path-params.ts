import { idPattern } from '../ids.ts';
import * as z from './zod.ts';

/**
 * Path parameters' schemas (lib/http/routes/route.ts, PATH_PARAMS), each built on first use: every
 * function knows all of them, and validates one or two.
 */
export const ProjectIdParam = /* @__PURE__ */ z.onFirstUse(() =>
  z.string().check(z.regex(idPattern('project'))),
);

/** Path parameter: a strict positive integer, else the run does not exist (404). */
export const ScanRunIdParam = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .pipe(
      z.string().check(z.regex(/^[1-9]\d{0,15}$/)),
      z.transform((v: string) => Number(v)),
    )
    // Documented as what it names: scan_run_id, the integer the answers carry.
    .register(z.globalRegistry, {
      override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
        delete jsonSchema.pattern;
        Object.assign(jsonSchema, { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
      },
    }),
);

export const TargetIdParam = /* @__PURE__ */ z.onFirstUse(() =>
  z.string().check(z.regex(idPattern('target'))),
);

export const ExportIdParam = /* @__PURE__ */ z.onFirstUse(() =>
  z.string().check(z.regex(idPattern('export'))),
);

export const EventIdParam = /* @__PURE__ */ z.onFirstUse(() => z.string().check(z.regex(idPattern('event'))));

/** A finding's fingerprint (docs/scanner-results.md): what the scanner sent, 8-128 of A-Z a-z 0-9 . _ : - */
export const FingerprintParam = /* @__PURE__ */ z.onFirstUse(() =>
  z.string().check(z.regex(/^[A-Za-z0-9._:-]{8,128}$/)),
);
