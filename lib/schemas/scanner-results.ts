import * as z from 'zod';
import { HttpUrl } from './common.ts';

/**
 * POST /api/scanner/results, as docs/scanner-results.md describes it (camelCase).
 * Unknown fields are stripped by zod, so they are never stored.
 */
export const PAGE_TYPES = [
  'home',
  'landing',
  'product',
  'category',
  'article',
  'search',
  'login',
  'signup',
  'account',
  'cart',
  'checkout',
  'contact',
  'legal',
  'blog',
  'docs',
  'error',
  'other',
] as const;
export const ISSUE_CATEGORIES = [
  'security',
  'privacy',
  'compliance',
  'performance',
  'accessibility',
  'seo',
  'availability',
  'content',
  'best_practices',
  'other',
] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const LIMITS = { pages: 5000, issuesPerPage: 1000, headers: 200 } as const;

/**
 * An artifact path is a storage key: relative, no scheme or `data:` URI, no `..` segment, no leading
 * `/` or backslash, a safe character set, bounded length and an expected extension. Inline screenshots
 * or HTML never fit.
 */
function storageKey(extensions: readonly string[]) {
  const ext = new RegExp(`\\.(?:${extensions.join('|')})$`, 'i');
  return z
    .string()
    .min(1)
    .max(512)
    .superRefine((v, ctx) => {
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
    });
}
export const ScreenshotPath = storageKey(['png', 'jpg', 'jpeg', 'webp']);
export const HtmlSnapshotPath = storageKey(['html', 'htm', 'mhtml']);

const count = z.number().int().min(0).max(1_000_000_000);

export const PageSchema = z.object({
  url: HttpUrl,
  normalizedUrl: HttpUrl,
  statusCode: z.number().int().min(100).max(599),
  pageType: z.enum(PAGE_TYPES),
  responseHeaders: z
    .record(z.string().min(1).max(256), z.string().max(8192))
    .refine((h) => Object.keys(h).length <= LIMITS.headers, `at most ${LIMITS.headers} headers`),
  consoleErrorsCount: count.optional(),
  networkErrorsCount: count.optional(),
});

export const ArtifactsSchema = z.object({
  screenshotPath: ScreenshotPath,
  htmlSnapshotPath: HtmlSnapshotPath.optional(),
});

export const IssueSchema = z.object({
  category: z.enum(ISSUE_CATEGORIES),
  type: z.string().min(1).max(100),
  severity: z.enum(SEVERITIES),
  title: z.string().min(1).max(300),
  description: z.string().min(1).max(10_000),
  fingerprint: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 characters of A-Z a-z 0-9 . _ : -'),
  confidence: z.number().min(0).max(100),
  evidence: z.string().max(20_000),
  businessImpact: z.string().max(5000).optional(),
  suggestedRemediation: z.string().max(10_000).optional(),
  reproductionSteps: z.union([z.string().max(10_000), z.array(z.string().max(2000)).max(50)]).optional(),
  screenshotPath: ScreenshotPath.optional(),
});
export type ScannerIssue = z.output<typeof IssueSchema>;

const Issues = z.array(IssueSchema).max(LIMITS.issuesPerPage);

export const PageEntrySchema = z.object({
  page: PageSchema,
  artifacts: ArtifactsSchema,
  // Optional rather than .default([]): zod 4 does not apply a default inside this discriminated union.
  issues: Issues.optional(),
});
export type PageEntry = z.output<typeof PageEntrySchema>;

export const CountersSchema = z.object({
  pagesScanned: count.optional(),
  issuesCount: count.optional(),
  criticalCount: count.optional(),
  highCount: count.optional(),
  mediumCount: count.optional(),
  lowCount: count.optional(),
  infoCount: count.optional(),
  riskScore: z.number().min(0).max(100).optional(),
});
export type ScannerCounters = z.output<typeof CountersSchema>;

/** Strict integer ≥ 1: "123", 1.5, 0 and true are all refused. */
const ScanRunId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

const Completed = z
  .object({
    scanRunId: ScanRunId,
    status: z.literal('completed'),
    page: PageSchema.optional(),
    artifacts: ArtifactsSchema.optional(),
    issues: Issues.optional(),
    pages: z.array(PageEntrySchema).min(1).max(LIMITS.pages).optional(),
    counters: CountersSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.page && v.pages) {
      ctx.addIssue({ code: 'custom', path: ['pages'], message: 'send either page or pages[], not both' });
    } else if (!v.page && !v.pages) {
      ctx.addIssue({ code: 'custom', path: ['page'], message: 'a completed scan needs page (or pages[])' });
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
  });

const Failed = z.object({
  scanRunId: ScanRunId,
  status: z.literal('failed'),
  error: z.object({
    code: z.string().min(1).max(100),
    message: z.string().min(1).max(5000),
    url: HttpUrl.optional(),
    timeoutMs: count.optional(),
  }),
});

export const ScannerResultSchema = z
  .discriminatedUnion('status', [Completed, Failed], { error: 'must be completed or failed' })
  .meta({ id: 'ScannerResult' });
export type ScannerResult = z.output<typeof ScannerResultSchema>;

export const ScannerResultAcceptedSchema = z
  .object({
    scan_run_id: z.number().int(),
    status: z.enum(['completed', 'failed']),
    duplicate: z
      .boolean()
      .meta({ description: 'true when the run was already terminal: nothing was written' }),
  })
  .meta({ id: 'ScannerResultAccepted' });
