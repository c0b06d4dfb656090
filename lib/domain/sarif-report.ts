import { createHash } from 'node:crypto';
import type { IssueRecord } from '../db/scan-results-store.ts';
import { SEVERITIES, type Severity } from '../schemas/scan-vocabulary.ts';
import type { ReportInput } from './scan-report.ts';

/**
 * The SARIF 2.1.0 log of a completed run's issues (docs/scanner-results.md, "The scan report"), in the
 * subset GitHub code scanning takes on upload: one rule per issue type, one result per stored issue,
 * `partialFingerprints` from the issue fingerprint, the severity as `level` (and, for security and
 * privacy rules, `security-severity`), the page as the location. Text only: issue fields were redacted
 * at ingest; here control and bidirectional-override characters are dropped and SARIF's embedded-link
 * syntax is escaped, no Markdown is emitted, and no artifact path (screenshot, HTML snapshot) appears.
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
export const TOOL_NAME = 'WebRiskOps';
/** The report generator's version: bumped when rules, the level mapping or the result shape change. */
export const TOOL_VERSION = '1.0.0';
/**
 * `tool.driver.informationUri` must be an absolute URI; this repository names no public page for the
 * product, so it is a URN naming this report format (docs/scanner-results.md, "The scan report").
 */
export const TOOL_INFORMATION_URI = 'urn:webriskops:scan-report';
/** The partialFingerprints key: the scanner's fingerprint, stable across runs (GitHub matches alerts by it). */
export const FINGERPRINT_KEY = 'webriskopsFingerprint/v1';

export type SarifLevel = 'error' | 'warning' | 'note';

/** Severity → SARIF `level` (§3.27.10): what GitHub shows as Error / Warning / Note. */
export const SEVERITY_LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/**
 * Severity → `security-severity` (0.0–10.0, GitHub: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
 * 0.1–3.9 low). Info has none: it is no security severity, and such a rule is shown by its level.
 */
export const SECURITY_SEVERITY: Record<Severity, string | null> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
  info: null,
};

/** Categories whose rules are security rules (tag `security`, with `security-severity`). */
export const SECURITY_CATEGORIES: readonly string[] = ['security', 'privacy'];

const SEVERITY_RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i])) as Record<Severity, number>;

// C0/C1 controls except tab and newline, and the bidirectional embeddings, overrides and isolates
// (CVE-2021-42574, "Trojan Source"): they can make a message read as something else.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it removes
const UNSAFE_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as it may appear in the log: no control or bidi characters, no lone surrogates, CRLF as LF. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE_CHARS, '').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * A message's text (§3.11): cleaned, with `\`, `[` and `]` escaped, so scanner text can never form an
 * embedded link (`[text](uri)`, §3.11.6) that a viewer would render. Empty text becomes a placeholder
 * (SARIF requires a non-empty message).
 */
export function messageText(text: string): string {
  const clean = cleanText(text).trim();
  return (clean || '(no text)').replace(/[\\[\]]/g, (c) => `\\${c}`);
}

const hash8 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 8);

const RULE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/**
 * A rule id for an issue type: stable across runs (the same type always gives the same id) and
 * sanitized. A type that already is a plain lowercase identifier (`missing_header`) is its own id;
 * any other is slugged (lowercase ASCII letters, digits, `.`, `_`, `-`, at most 48 characters) and
 * suffixed with the first 8 hex digits of its SHA-256, so two types never share an id.
 */
export function ruleIdFor(type: string): string {
  if (RULE_ID.test(type)) return type;
  const slug = type
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
    .slice(0, 48)
    .replace(/[-._]+$/g, '');
  return `${slug || 'type'}-${hash8(type)}`;
}

/** A rule's `name` (§3.49.7): the id in PascalCase (it must differ from the id). */
export function ruleNameFor(ruleId: string): string {
  const name = ruleId
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
  return /^[A-Z]/.test(name) ? name : `Rule${name}`;
}

/** `missing_header` → `Missing header`: the type as a short description. */
function humanize(type: string): string {
  const words = cleanText(type).replace(/[_-]+/g, ' ').replace(/\s+/g, ' ').trim();
  return words ? words[0]?.toUpperCase() + words.slice(1) : 'Issue';
}

/**
 * The page URL as an artifact location. GitHub code scanning refuses a whole upload whose locations are
 * absolute URIs of any scheme but `file` ("SARIF URI scheme "https" did not match the checkout URI scheme
 * "file""), so the location is the URL made a relative reference: host (a port as `_<port>`), then the
 * path, without query or fragment (`https://shop.test:8443/cart?x=1` → `shop.test_8443/cart`). The full
 * URL is the result's `properties.page_url`.
 */
export function locationUri(pageUrl: string): string {
  const url = URL.parse(pageUrl);
  if (!url) return `page/${encodeURIComponent(pageUrl)}`;
  const host = encodeURIComponent(url.hostname) + (url.port ? `_${url.port}` : '');
  return `${host}${url.pathname || '/'}`;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; precision: string; 'security-severity'?: string; 'problem.severity': string };
}

/** Confidence (0–100) → GitHub's `precision`. */
const precisionOf = (confidence: number) =>
  confidence >= 90 ? 'very-high' : confidence >= 70 ? 'high' : confidence >= 40 ? 'medium' : 'low';

const maxSeverity = (issues: readonly IssueRecord[]): Severity =>
  issues.reduce<Severity>(
    (best, i) => (SEVERITY_RANK[i.severity] < SEVERITY_RANK[best] ? i.severity : best),
    'info',
  );

function ruleFor(id: string, type: string, issues: readonly IssueRecord[]): SarifRule {
  const categories = [...new Set(issues.map((i) => i.category))].sort();
  const security = categories.some((c) => SECURITY_CATEGORIES.includes(c));
  const severity = maxSeverity(issues);
  const securityIssues = issues.filter((i) => SECURITY_CATEGORIES.includes(i.category));
  const securitySeverity = security ? SECURITY_SEVERITY[maxSeverity(securityIssues)] : null;
  const remediation = issues.find((i) => i.suggested_remediation)?.suggested_remediation;
  const title = humanize(type);
  return {
    id,
    name: ruleNameFor(id),
    shortDescription: { text: messageText(title) },
    fullDescription: {
      text: messageText(
        `${title}: issues of type "${cleanText(type)}" found by WebRiskOps scans (${categories.join(', ')}).`,
      ),
    },
    help: {
      text: messageText(
        remediation ??
          'Each result names the page it was found on; its properties carry the evidence, the business impact and the suggested remediation the scanner reported.',
      ),
    },
    defaultConfiguration: { level: SEVERITY_LEVEL[severity] },
    properties: {
      tags: [...new Set([...(security ? ['security'] : []), ...categories, 'webriskops'])].slice(0, 10),
      precision: precisionOf(Math.max(...issues.map((i) => i.confidence))),
      'problem.severity': SEVERITY_LEVEL[severity] === 'note' ? 'recommendation' : SEVERITY_LEVEL[severity],
      ...(securitySeverity ? { 'security-severity': securitySeverity } : {}),
    },
  };
}

const textOrNull = (s: string | null) => (s === null ? null : cleanText(s));

/**
 * The log: one run, its rules in id order, its results by severity (critical first, as GitHub keeps the
 * most severe when it truncates) then fingerprint. `automationDetails.id` is
 * `webriskops/<project>/<run>`, so GitHub files every run of a project under one category.
 */
export function buildSarifLog({ run, issues }: ReportInput) {
  if (run.status !== 'completed') throw new Error(`scan run ${run.id} is ${run.status}: no report`);
  const byType = new Map<string, IssueRecord[]>();
  for (const issue of issues) byType.set(issue.type, [...(byType.get(issue.type) ?? []), issue]);
  const rules = [...byType]
    .map(([type, list]) => ruleFor(ruleIdFor(type), type, list))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const ordered = [...issues].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
  const results = ordered.map((i) => {
    const ruleId = ruleIdFor(i.type);
    const text = i.description ? `${i.title}\n\n${i.description}` : i.title;
    return {
      ruleId,
      ruleIndex: ruleIndex.get(ruleId) as number,
      level: SEVERITY_LEVEL[i.severity],
      message: { text: messageText(text) },
      // GitHub requires `region.startLine`; the scanner reports no line, so the region is line 1 of the
      // page (a page-level finding, as file-level findings are written for code scanning).
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: locationUri(i.page_url) }, region: { startLine: 1 } },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: i.fingerprint },
      properties: {
        severity: i.severity,
        category: i.category,
        confidence: i.confidence,
        page_url: cleanText(i.page_url),
        page_index: i.page_index,
        evidence: cleanText(i.evidence),
        business_impact: textOrNull(i.business_impact),
        suggested_remediation: textOrNull(i.suggested_remediation),
        reproduction_steps:
          i.reproduction_steps === null
            ? null
            : Array.isArray(i.reproduction_steps)
              ? i.reproduction_steps.map(cleanText)
              : cleanText(i.reproduction_steps),
      },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: TOOL_INFORMATION_URI,
            rules,
          },
        },
        automationDetails: { id: `webriskops/${run.project_id}/${run.id}` },
        ...(run.completed_at
          ? { invocations: [{ executionSuccessful: true, endTimeUtc: run.completed_at }] }
          : {}),
        columnKind: 'utf16CodeUnits',
        results,
        properties: { scan_run_id: run.id, project_id: run.project_id },
      },
    ],
  };
}

export type SarifLog = ReturnType<typeof buildSarifLog>;
