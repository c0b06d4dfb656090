import { FingerprintSchema, HttpUrl, integer } from './common.ts';
import { ISSUE_CATEGORIES, PAGE_TYPES, SEVERITIES } from './scan-vocabulary.ts';
import * as z from './zod.ts';

/**
 * POST /api/scanner/results, as docs/scanner-results.md describes it (camelCase).
 * Unknown fields are stripped by zod, so they are never stored.
 */
export const LIMITS = {
  pages: 5000,
  issuesPerPage: 1000,
  headers: 200,
  headerName: 256,
  headerValue: 8192,
  /** Names and values together, UTF-8: the page's item must fit DynamoDB's 400 KB whatever they hold. */
  headerBytes: 64 * 1024,
  /** One reproduction step when they come as a list (50 at most): an issue's item fits 400 KB. */
  reproductionStep: 500,
} as const;

/**
 * A page's response headers: an object of string values, taken as sent — a header named
 * `constructor` or `__proto__` is a header like any other (zod's record rebuilds the object by
 * assignment, which drops `__proto__`, so this checks the object itself and keeps it).
 */
const ResponseHeaders = /* @__PURE__ */ z.built(() =>
  z
    .custom<Record<string, string>>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        [Object.prototype, null].includes(Object.getPrototypeOf(v)),
      { error: 'must be an object whose values are strings' },
    )
    .check(
      z.superRefine((headers: Record<string, string>, ctx) => {
        const names = Object.keys(headers);
        if (names.length > LIMITS.headers)
          ctx.addIssue({ code: 'custom', message: `at most ${LIMITS.headers} headers` });
        let bytes = 0;
        // Lengths in characters (code points), as zod and JSON Schema count them.
        const length = (s: string) => [...s].length;
        for (const name of names) {
          const value: unknown = headers[name];
          if (length(name) < 1 || length(name) > LIMITS.headerName)
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: `names are 1-${LIMITS.headerName} characters`,
            });
          if (typeof value !== 'string') {
            ctx.addIssue({ code: 'custom', path: [name], message: 'must be a string' });
            continue;
          }
          if (length(value) > LIMITS.headerValue)
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: `at most ${LIMITS.headerValue} characters`,
            });
          bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
        }
        if (bytes > LIMITS.headerBytes)
          ctx.addIssue({
            code: 'custom',
            message: `names and values at most ${LIMITS.headerBytes} bytes (UTF-8) in all`,
          });
      }),
    )
    .register(z.globalRegistry, {
      override: {
        type: 'object',
        maxProperties: LIMITS.headers,
        propertyNames: { minLength: 1, maxLength: LIMITS.headerName },
        additionalProperties: { type: 'string', maxLength: LIMITS.headerValue },
        description: `Names and values at most ${LIMITS.headerBytes} bytes (UTF-8) in all`,
      },
    }),
);

/**
 * The rule below as one regular expression, for the OpenAPI document: `/`-separated segments of
 * `A-Z a-z 0-9 . _ -`, none empty, `.` or `..`, the last ending in one of the extensions (any case).
 */
export function storageKeyPattern(extensions: readonly string[]): string {
  const anyCase = (e: string) => [...e].map((c) => `[${c.toUpperCase()}${c.toLowerCase()}]`).join('');
  return `^(?:(?!\\.\\.?/)[A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*\\.(?:${extensions.map(anyCase).join('|')})$`;
}

/**
 * An artifact path is a storage key: relative, no scheme or `data:` URI, no `..` segment, no leading
 * `/` or backslash, a safe character set, bounded length and an expected extension. Inline screenshots
 * or HTML never fit.
 */
function storageKey(extensions: readonly string[]) {
  const ext = new RegExp(`\\.(?:${extensions.join('|')})$`, 'i');
  return z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(512),
      z.superRefine((v: string, ctx) => {
        const problem = /^[a-z][a-z0-9+.-]*:/i.test(v)
          ? 'must be a storage key, not a URL or data: URI'
          : v.startsWith('/') || v.startsWith('\\')
            ? 'must be relative (no leading /)'
            : v.split('/').some((seg) => seg === '..' || seg === '.' || seg === '')
              ? 'must not contain empty, . or .. segments'
              : !/^[A-Za-z0-9._\-/]+$/.test(v)
                ? 'may only contain letters, digits, . _ - and /'
                : !ext.test(v)
                  ? `must end in .${extensions.join(', .')}`
                  : undefined;
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    )
    .register(z.globalRegistry, { pattern: storageKeyPattern(extensions) });
}
export const ScreenshotPath = /* @__PURE__ */ z.built(() => storageKey(['png', 'jpg', 'jpeg', 'webp']));
export const HtmlSnapshotPath = /* @__PURE__ */ z.built(() => storageKey(['html', 'htm', 'mhtml']));

const count = /* @__PURE__ */ z.built(() => integer().check(z.minimum(0), z.maximum(1_000_000_000)));
const bounded = (max: number) => z.string().check(z.maxLength(max));
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

export const PageSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    url: HttpUrl(),
    normalizedUrl: HttpUrl(),
    statusCode: integer().check(z.minimum(100), z.maximum(599)),
    pageType: z.enum(PAGE_TYPES),
    responseHeaders: ResponseHeaders,
    consoleErrorsCount: z.optional(count),
    networkErrorsCount: z.optional(count),
  }),
);

export const ArtifactsSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    screenshotPath: ScreenshotPath,
    htmlSnapshotPath: z.optional(HtmlSnapshotPath),
  }),
);

export const IssueSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    category: z.enum(ISSUE_CATEGORIES),
    type: text(100),
    severity: z.enum(SEVERITIES),
    title: text(300),
    description: text(10_000),
    fingerprint: FingerprintSchema(),
    confidence: z.number().check(z.minimum(0), z.maximum(100)),
    evidence: bounded(20_000),
    businessImpact: z.optional(bounded(5000)),
    suggestedRemediation: z.optional(bounded(10_000)),
    reproductionSteps: z.optional(
      z.union([bounded(10_000), z.array(bounded(LIMITS.reproductionStep)).check(z.maxLength(50))]),
    ),
    screenshotPath: z.optional(ScreenshotPath),
  }),
);
export type ScannerIssue = z.output<typeof IssueSchema>;

const Issues = /* @__PURE__ */ z.built(() => z.array(IssueSchema).check(z.maxLength(LIMITS.issuesPerPage)));

export const PageEntrySchema = /* @__PURE__ */ z.built(() =>
  z.object({
    page: PageSchema,
    artifacts: ArtifactsSchema,
    // Optional rather than .default([]): zod 4 does not apply a default inside this discriminated union.
    issues: z.optional(Issues),
  }),
);
export type PageEntry = z.output<typeof PageEntrySchema>;

export const CountersSchema = /* @__PURE__ */ z.built(() =>
  z.object({
    pagesScanned: z.optional(count),
    issuesCount: z.optional(count),
    criticalCount: z.optional(count),
    highCount: z.optional(count),
    mediumCount: z.optional(count),
    lowCount: z.optional(count),
    infoCount: z.optional(count),
    riskScore: z.optional(z.number().check(z.minimum(0), z.maximum(100))),
  }),
);
export type ScannerCounters = z.output<typeof CountersSchema>;

/** Strict integer ≥ 1: "123", 1.5, 0 and true are all refused. */
const ScanRunId = /* @__PURE__ */ z.built(() =>
  integer().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER)),
);

const Completed = /* @__PURE__ */ z.built(() =>
  z
    .object({
      scanRunId: ScanRunId,
      status: z.literal('completed'),
      page: z.optional(PageSchema),
      artifacts: z.optional(ArtifactsSchema),
      issues: z.optional(Issues),
      pages: z.optional(z.array(PageEntrySchema).check(z.minLength(1), z.maxLength(LIMITS.pages))),
      counters: z.optional(CountersSchema),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.page && v.pages) {
          ctx.addIssue({ code: 'custom', path: ['pages'], message: 'send either page or pages[], not both' });
        } else if (!v.page && !v.pages) {
          ctx.addIssue({
            code: 'custom',
            path: ['page'],
            message: 'a completed scan needs page (or pages[])',
          });
        }
        if (v.page && !v.artifacts) {
          ctx.addIssue({ code: 'custom', path: ['artifacts', 'screenshotPath'], message: 'is required' });
        }
        if (v.pages && !v.page && (v.artifacts || v.issues)) {
          ctx.addIssue({
            code: 'custom',
            path: [v.artifacts ? 'artifacts' : 'issues'],
            message: 'with pages[], artifacts and issues go inside each pages[] entry',
          });
        }
      }),
    )
    // The rule above, for the OpenAPI document: one page with its artifacts, or pages[] alone.
    .register(z.globalRegistry, {
      oneOf: [
        { required: ['page', 'artifacts'], properties: { page: true, artifacts: true, pages: false } },
        { required: ['pages'], properties: { pages: true, page: false, artifacts: false, issues: false } },
      ],
    }),
);

const Failed = /* @__PURE__ */ z.built(() =>
  z.object({
    scanRunId: ScanRunId,
    status: z.literal('failed'),
    error: z.object({
      code: text(100),
      message: text(5000),
      url: z.optional(HttpUrl()),
      timeoutMs: z.optional(count),
    }),
  }),
);

export const ScannerResultSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .discriminatedUnion('status', [Completed, Failed], { error: 'must be completed or failed' })
    .register(z.globalRegistry, { id: 'ScannerResult' }),
);
export type ScannerResult = z.output<ReturnType<typeof ScannerResultSchema>>;
