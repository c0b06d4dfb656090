import type { ScanRunItem } from '../db/scan-runs-store.ts';
import type { TicketPayload } from '../schemas/responses.ts';

/**
 * Builds the webhook body of a ticket export from stored issues. Only an allow-list of issue fields is
 * copied, so nothing private rides along: no artifact paths (screenshotPath, htmlSnapshotPath — storage
 * keys of private artifacts), no page response headers, no internal keys. Field names are snake_case
 * like the rest of the customer API. The result is serialized once and sent byte for byte.
 */

/** [payload field, names the stored issue may use for it]. */
const ISSUE_FIELDS: [string, string[]][] = [
  ['fingerprint', ['fingerprint']],
  ['category', ['category']],
  ['severity', ['severity']],
  ['type', ['type']],
  ['title', ['title']],
  ['description', ['description']],
  ['confidence', ['confidence']],
  ['evidence', ['evidence']],
  ['business_impact', ['business_impact', 'businessImpact']],
  ['suggested_remediation', ['suggested_remediation', 'suggestedRemediation']],
  ['reproduction_steps', ['reproduction_steps', 'reproductionSteps']],
  ['page_url', ['page_url', 'pageUrl', 'url']],
];

/** Keys that name private artifacts or raw HTTP headers, removed wherever they appear inside evidence. */
const PRIVATE_KEY =
  /(^|_)(screenshot|html_?snapshot|snapshot|artifact)s?(_?path|_?key|_?url)?$|^artifacts$|(^|_)(response_?)?headers$/i;

function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Deep copy without private keys (artifact paths, headers). */
export function withoutPrivateKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrivateKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (PRIVATE_KEY.test(snake(k))) continue;
      out[k] = withoutPrivateKeys(v);
    }
    return out;
  }
  return value;
}

export function toTicketIssue(issue: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, names] of ISSUE_FIELDS) {
    const name = names.find((n) => issue[n] !== undefined && issue[n] !== null);
    if (name !== undefined) out[field] = withoutPrivateKeys(issue[name]);
  }
  return out;
}

export function defaultTitle(run: ScanRunItem, issueCount: number): string {
  return `WebRiskOps: ${issueCount} issue${issueCount === 1 ? '' : 's'} from scan run ${run.id}`;
}

export function buildTicketPayload(input: {
  exportId: string;
  title: string;
  run: ScanRunItem;
  issues: Record<string, unknown>[];
  createdAt: string;
}): TicketPayload {
  return {
    type: 'ticket_export',
    export_id: input.exportId,
    title: input.title,
    scan_run: {
      scan_run_id: input.run.id,
      project_id: input.run.project_id,
      completed_at: input.run.completed_at ?? null,
    },
    issues: input.issues.map(toTicketIssue),
    created_at: input.createdAt,
  };
}
