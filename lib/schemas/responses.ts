import {
  ATTEMPT_ERROR_CLASSES,
  ATTEMPT_OUTCOMES,
  BLOCKED_REASONS,
  EXPORT_STATUSES,
  FAILURE_REASONS,
} from '../domain/delivery-vocabulary.ts';
import { FINDING_STATES, TRIAGE_REASONS } from '../domain/findings-lifecycle.ts';
import { DEPLOYMENT_MODES, PROVIDERS } from '../domain/plans.ts';
import { idPattern } from '../ids.ts';
import { described, integer } from './common.ts';
import { REPORT_STATUSES } from './scan-report.ts';
import { SCAN_RUN_STATUSES } from './scan-runs.ts';
import { ISSUE_CATEGORIES, PAGE_TYPES, SEVERITIES } from './scan-vocabulary.ts';
import { TARGET_DISABLED_REASONS, TARGET_EVENTS, TARGET_STATUSES } from './targets.ts';
import * as z from './zod.ts';

/**
 * What the API answers: one schema per answer, for the OpenAPI document (lib/openapi.ts) and the view
 * types the domain builds (`ProjectView`, …). Route table entries name their answers here
 * (`schema: 'Project'`), so no function bundle builds these schemas: they document, they never run.
 */

/** A count or number in an answer: never negative. */
const count = () => integer().check(z.minimum(0), z.maximum(Number.MAX_SAFE_INTEGER));
/** A scan run id: a positive integer. */
const runId = () => integer().check(z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER));
/** An instant, as ISO 8601 in UTC (`toISOString`). */
const timestamp = () => z.iso.datetime();
const idOf = (kind: Parameters<typeof idPattern>[0]) => z.string().check(z.regex(idPattern(kind)));

// Errors and lists

export const ErrorEnvelopeSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      error: z.object({
        code: z.string().register(z.globalRegistry, { example: 'VALIDATION_FAILED' }),
        message: z.string(),
        request_id: z.string(),
        details: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
      }),
    })
    .register(z.globalRegistry, { id: 'ErrorEnvelope' }),
);

/** A list page: its items and the cursor of the next page (null on the last). */
export const listOf = <T extends z.ZodMiniType>(item: T, id: string) =>
  z.object({ items: z.array(item), next_cursor: z.nullable(z.string()) }).register(z.globalRegistry, { id });

// Projects

export const ProjectSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      id: idOf('project').register(z.globalRegistry, { example: 'prj_0123456789abcdef01234567' }),
      name: z.string(),
      base_url: z.string(),
      created_at: timestamp(),
    })
    .register(z.globalRegistry, { id: 'Project' }),
);

export type ProjectView = z.output<typeof ProjectSchema>;

export const ProjectListSchema = /* @__PURE__ */ z.built(() => listOf(ProjectSchema, 'ProjectList'));

// Scan runs

export const ScanRunCountersSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      pages_scanned: count(),
      issues_count: count(),
      critical_count: count(),
      high_count: count(),
      medium_count: count(),
      low_count: count(),
      info_count: count(),
      risk_score: z.number().check(z.minimum(0), z.maximum(100)),
      source: z.enum(['scanner', 'derived']),
    })
    .register(z.globalRegistry, { id: 'ScanRunCounters' }),
);

export const FindingsDeltaSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      new: count(),
      fixed: count(),
      reopened: count(),
      unchanged: count(),
      not_rechecked: described(
        count(),
        'Open findings the run could not recheck (page not scanned, or an error)',
      ),
    })
    .register(z.globalRegistry, { id: 'FindingsDelta' }),
);

export const ScanRunSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      scan_run_id: runId().register(z.globalRegistry, { example: 123 }),
      project_id: idOf('project'),
      status: z.enum(SCAN_RUN_STATUSES),
      counters: z.nullable(ScanRunCountersSchema),
      error: z.nullable(
        z.object({
          code: z.string(),
          message: z.string(),
          url: z.optional(z.string()),
          timeout_ms: z.optional(count()),
        }),
      ),
      report_status: described(
        z.enum(REPORT_STATUSES),
        'The scan report: not_started (queued), pending (completed, being built), ready, failed (see report_error), unavailable (the run failed: no report)',
      ),
      report_error: described(
        z.nullable(z.object({ code: z.string(), message: z.string() })),
        'Why the report could not be built (null unless report_status is failed)',
      ),
      created_at: timestamp(),
      updated_at: timestamp(),
      completed_at: z.nullable(timestamp()),
      findings_status: described(
        z.nullable(z.enum(['pending', 'applied', 'superseded'])),
        "Whether the run has been applied to its project's findings (null while queued, when failed, or when it completed before findings were tracked)",
      ),
      findings_delta: described(
        z.nullable(FindingsDeltaSchema),
        "What the run changed in its project's findings (null until applied)",
      ),
    })
    .register(z.globalRegistry, { id: 'ScanRun' }),
);

export type ScanRunView = z.output<typeof ScanRunSchema>;

export const ScanRunListSchema = /* @__PURE__ */ z.built(() => listOf(ScanRunSchema, 'ScanRunList'));

const severityCounts = () =>
  z.object({ critical: count(), high: count(), medium: count(), low: count(), info: count() });

/** The JSON scan report (lib/domain/scan-report.ts builds it). */
export const ScanReportSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      report_version: count(),
      scan_run_id: runId(),
      project_id: idOf('project'),
      status: z.literal('completed'),
      completed_at: z.nullable(timestamp()),
      counters: z.nullable(ScanRunCountersSchema),
      findings_delta: described(
        z.nullable(FindingsDeltaSchema),
        "What the run changed in its project's findings (null when not applied before the report was built)",
      ),
      findings_by_severity: described(severityCounts(), "The run's stored issues by severity"),
      issues_count: count(),
      pages_count: count(),
      pages: z.array(
        z.object({
          index: count(),
          url: z.string(),
          normalized_url: z.string(),
          status_code: count(),
          page_type: z.enum(PAGE_TYPES),
          issues_count: count(),
          issues_by_severity: severityCounts(),
        }),
      ),
      links: z.object({ sarif: z.string(), issues: z.string(), pages: z.string() }),
    })
    .register(z.globalRegistry, { id: 'ScanReport' }),
);

/** The SARIF report: a SARIF 2.1.0 log (its schema is SARIF's own; this names its top level). */
export const SarifLogSchema = /* @__PURE__ */ z.built(() =>
  z
    .looseObject({
      $schema: z.string(),
      version: z.literal('2.1.0'),
      runs: z.array(z.record(z.string(), z.unknown())),
    })
    .register(z.globalRegistry, {
      id: 'SarifLog',
      description:
        'SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one run, a rule per issue type, a result per issue (docs/scanner-results.md, "The scan report")',
    }),
);

// Findings

export const FindingSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      fingerprint: z.string(),
      state: z.enum(FINDING_STATES),
      recheck: described(
        z.nullable(z.enum(['seen', 'absent', 'page_error', 'page_not_scanned'])),
        "What the project's latest applied run found on the finding's page (null when fixed)",
      ),
      triage: z.nullable(
        z.object({
          status: z.literal('dismissed'),
          reason: z.enum(TRIAGE_REASONS),
          comment: z.nullable(z.string()),
          dismissed_at: timestamp(),
          by: described(
            z.nullable(z.string()),
            "Who dismissed it: `token:<token id>` (the API) or `target:<target id>` (a ticket system's signed callback); null for dismissals older than this field",
          ),
          ticket: described(
            z.nullable(z.object({ id: z.string(), url: z.nullable(z.string()) })),
            'The ticket a ticket system callback named when it dismissed the finding',
          ),
        }),
      ),
      type: z.string(),
      category: z.string(),
      severity: z.enum(SEVERITIES),
      title: z.string(),
      page_url: described(z.string(), 'The page it was last seen on'),
      first_scan_run_id: runId(),
      last_seen_scan_run_id: runId(),
      fixed_scan_run_id: z.nullable(runId()),
      page_error: described(
        z.nullable(z.object({ scan_run_id: runId(), status_code: count() })),
        'The last run that scanned its page with an error status since it was last seen',
      ),
      latest_issue: described(
        z.object({ scan_run_id: runId(), url: z.string() }),
        'The issue record of the last run that saw it',
      ),
      ticket: described(
        z.nullable(z.object({ id: z.string(), url: z.nullable(z.string()), export_id: idOf('export') })),
        'The ticket a delivered export created for it',
      ),
      created_at: timestamp(),
      updated_at: timestamp(),
    })
    .register(z.globalRegistry, { id: 'Finding' }),
);

export type FindingView = z.output<typeof FindingSchema>;

export const FindingListSchema = /* @__PURE__ */ z.built(() => listOf(FindingSchema, 'FindingList'));

export const CreateScanRunResponseSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({ scan_run_id: runId(), status: z.literal('queued'), project_id: idOf('project') })
    .register(z.globalRegistry, { id: 'CreateScanRunResponse' }),
);

// Pages and issues of a run

/** Customer API views of stored pages and issues (snake_case), and their list queries. */
export const ScanPageSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      index: count(),
      url: z.string(),
      normalized_url: z.string(),
      status_code: count(),
      page_type: z.enum(PAGE_TYPES),
      response_headers: described(z.record(z.string(), z.string()), 'credential headers redacted'),
      console_errors_count: z.nullable(count()),
      network_errors_count: z.nullable(count()),
      artifacts: z.object({ screenshot_path: z.string(), html_snapshot_path: z.nullable(z.string()) }),
      issues_count: count(),
    })
    .register(z.globalRegistry, { id: 'ScanPage' }),
);

export const ScanIssueSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      fingerprint: z.string(),
      category: z.enum(ISSUE_CATEGORIES),
      type: z.string(),
      severity: z.enum(SEVERITIES),
      title: z.string(),
      description: z.string(),
      confidence: z.number().check(z.minimum(0), z.maximum(100)),
      evidence: z.string(),
      business_impact: z.nullable(z.string()),
      suggested_remediation: z.nullable(z.string()),
      reproduction_steps: z.nullable(z.union([z.string(), z.array(z.string())])),
      screenshot_path: z.nullable(z.string()),
      page_url: z.string(),
      page_index: count(),
    })
    .register(z.globalRegistry, { id: 'ScanIssue' }),
);

export const ScanPageListSchema = /* @__PURE__ */ z.built(() => listOf(ScanPageSchema, 'ScanPageList'));

export const ScanIssueListSchema = /* @__PURE__ */ z.built(() => listOf(ScanIssueSchema, 'ScanIssueList'));

// The scanner postback

export const ScannerResultAcceptedSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      scan_run_id: runId(),
      status: z.enum(['completed', 'failed']),
      duplicate: described(z.boolean(), 'true when the run was already terminal: nothing was written'),
    })
    .register(z.globalRegistry, { id: 'ScannerResultAccepted' }),
);

// Ticket export targets

export const TargetSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      id: idOf('target').register(z.globalRegistry, { example: 'tgt_0123456789abcdef01234567' }),
      status: z.enum(TARGET_STATUSES),
      provider_key: z.enum(PROVIDERS),
      base_url: z.string(),
      deployment_mode: z.enum(DEPLOYMENT_MODES),
      name: z.string(),
      events: z.array(z.enum(TARGET_EVENTS)),
      /** Increases by one with every rotation; the webhook headers do not carry it. */
      secret_version: count(),
      created_at: timestamp(),
      updated_at: timestamp(),
      secret_rotated_at: z.nullable(timestamp()),
      disabled_at: z.nullable(timestamp()),
      disabled_reason: z.nullable(z.enum(TARGET_DISABLED_REASONS)),
      secret_grace_until: described(
        z.nullable(z.string()),
        'After a rotation: until then deliveries verify with the previous signing secret too',
      ),
      paused_until: described(
        z.nullable(z.string()),
        'Set while the receiver asked for a pause (429 or 503 with Retry-After): deliveries wait until then',
      ),
      failing_since: described(
        z.nullable(z.string()),
        'The first failed attempt since the last success; after WRO_TARGET_DISABLE_AFTER_FAILING_SECONDS the target is disabled (receiver_failing)',
      ),
    })
    .register(z.globalRegistry, { id: 'TicketExportTarget' }),
);

export type TargetView = z.output<typeof TargetSchema>;

/** Creation and rotation answers: the target plus its signing secret, shown this once. */
export const TargetWithSecretSchema = /* @__PURE__ */ z.built(() =>
  z
    .extend(TargetSchema, {
      signing_secret: z.string().register(z.globalRegistry, {
        example: 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
        description: 'Shown once',
      }),
    })
    .register(z.globalRegistry, { id: 'TicketExportTargetWithSecret' }),
);

export const TargetListSchema = /* @__PURE__ */ z.built(() => listOf(TargetSchema, 'TicketExportTargetList'));

export const TargetDeliverySchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      kind: z.enum(['ticket_export', 'event']),
      id: described(z.string(), 'The export id (exp_…) or event delivery id (evt_…)'),
      event_type: described(z.string(), 'X-WebRiskOps-Event of the delivery'),
      delivery_id: z.string(),
      status: z.string(),
      round: count(),
      attempts: described(count(), 'Attempts in the current round'),
      last_error_class: z.nullable(z.enum(ATTEMPT_ERROR_CLASSES)),
      last_status_code: z.nullable(count()),
      next_attempt_at: described(z.nullable(timestamp()), 'Set while retry_scheduled'),
      failure_reason: z.nullable(z.enum(FAILURE_REASONS)),
      blocked_reason: z.nullable(z.enum(BLOCKED_REASONS)),
      delivered_at: z.nullable(timestamp()),
      created_at: timestamp(),
      updated_at: timestamp(),
      attempts_url: described(
        z.nullable(z.string()),
        "The delivery's attempt log: /api/ticket-exports/{exportId}/attempts or /api/event-deliveries/{eventId}/attempts",
      ),
    })
    .register(z.globalRegistry, { id: 'TargetDelivery' }),
);

export type TargetDeliveryView = z.output<typeof TargetDeliverySchema>;

export const TargetDeliveryListSchema = /* @__PURE__ */ z.built(() =>
  listOf(TargetDeliverySchema, 'TargetDeliveryList'),
);

export const TargetRecoverySchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      target_id: idOf('target'),
      since: z.string(),
      recovered: described(
        z.array(z.string()),
        'The exports queued again, each in a new round with its delivery id',
      ),
      more: described(z.boolean(), 'More failed or blocked exports remain: send the request again'),
    })
    .register(z.globalRegistry, { id: 'TargetRecovery' }),
);

export type TargetRecoveryView = z.output<typeof TargetRecoverySchema>;

// Ticket exports

/** The webhook body of a ticket export — the preview is exactly this, serialized once. */
export const TicketPayloadSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      type: z.literal('ticket_export'),
      export_id: idOf('export'),
      title: z.string(),
      scan_run: z.object({
        scan_run_id: runId(),
        project_id: idOf('project'),
        completed_at: z.nullable(timestamp()),
      }),
      issues: z.array(z.record(z.string(), z.unknown())),
      created_at: timestamp(),
    })
    .register(z.globalRegistry, { id: 'TicketExportPayload' }),
);

export type TicketPayload = z.output<typeof TicketPayloadSchema>;

const TicketRefSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      id: z.string(),
      url: described(z.nullable(z.string()), 'http(s) only; null when the receiver sent none'),
    })
    .register(z.globalRegistry, { id: 'TicketReference' }),
);

/** How an export's delivery stands: the same fields in the whole export and in the exports list. */
const EXPORT_DELIVERY_STATE = /* @__PURE__ */ z.built(() => ({
  target_id: z.nullable(idOf('target')),
  delivery_id: described(z.string(), 'X-WebRiskOps-Delivery-Id / Idempotency-Key / webhook-id'),
  attempts: count(),
  max_attempts: count(),
  last_error_class: z.nullable(z.enum(ATTEMPT_ERROR_CLASSES)),
  last_status_code: z.nullable(count()),
  retry_after_seconds: described(z.nullable(count()), 'Set while retry_scheduled'),
  next_attempt_at: described(z.nullable(timestamp()), 'Set while retry_scheduled'),
  failure_reason: z.nullable(z.enum(FAILURE_REASONS)),
  blocked_reason: z.nullable(z.enum(BLOCKED_REASONS)),
  created_at: timestamp(),
  updated_at: timestamp(),
  approved_at: z.nullable(timestamp()),
  exported_at: z.nullable(timestamp()),
}));

export const ExportSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      id: idOf('export').register(z.globalRegistry, { example: 'exp_0123456789abcdef01234567' }),
      status: z.enum(EXPORT_STATUSES),
      scan_run_id: runId(),
      issue_fingerprints: z.array(z.string()),
      title: z.string(),
      preview: TicketPayloadSchema,
      preview_safe: z.boolean(),
      /** What the secret detector still finds in the preview (marker types only, never the values). */
      preview_findings: z.array(z.string()),
      ticketed_findings: described(
        z.array(z.object({ fingerprint: z.string(), ticket: TicketRefSchema, export_id: idOf('export') })),
        'Findings an earlier export already turned into tickets (at preparation time)',
      ),
      ticket: described(
        z.nullable(TicketRefSchema),
        'The ticket the receiver named in its 2xx answer ({"ticket": {"id", "url"}}), once exported',
      ),
      ...EXPORT_DELIVERY_STATE,
    })
    .register(z.globalRegistry, { id: 'TicketExport' }),
);

export type ExportView = z.output<typeof ExportSchema>;

/**
 * An export in the exports list: how it stands, without what it sends (`preview`, `issue_fingerprints`
 * and `ticketed_findings` are in `GET /api/ticket-exports/{exportId}`), so a page stays small.
 */
export const ExportSummarySchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      id: idOf('export'),
      status: z.enum(EXPORT_STATUSES),
      scan_run_id: runId(),
      project_id: described(
        z.nullable(idOf('project')),
        "The scan run's project (null on exports prepared before it was recorded)",
      ),
      title: z.string(),
      preview_safe: z.boolean(),
      ticket: z.nullable(TicketRefSchema),
      ...EXPORT_DELIVERY_STATE,
      url: described(z.string(), 'The whole export (preview, fingerprints): GET it'),
    })
    .register(z.globalRegistry, { id: 'TicketExportSummary' }),
);

export type ExportSummaryView = z.output<typeof ExportSummarySchema>;

export const ExportListSchema = /* @__PURE__ */ z.built(() =>
  listOf(ExportSummarySchema, 'TicketExportList'),
);

export const AttemptSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      attempt: described(count(), '1-based within one approval or retry round'),
      round: described(count(), '1 for the approval, +1 for each POST …/retry'),
      at: z.string(),
      outcome: z.enum(ATTEMPT_OUTCOMES),
      status_code: z.nullable(count()),
      duration_ms: z.nullable(count()),
      error_class: z.nullable(z.enum(ATTEMPT_ERROR_CLASSES)),
      retry_after_seconds: z.nullable(count()),
      response_body: described(z.nullable(z.string()), 'First 1024 characters, secrets redacted'),
    })
    .register(z.globalRegistry, { id: 'DeliveryAttempt' }),
);

export type AttemptView = z.output<typeof AttemptSchema>;

export const AttemptListSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({ export_id: idOf('export'), items: z.array(AttemptSchema), next_cursor: z.nullable(z.string()) })
    .register(z.globalRegistry, { id: 'DeliveryAttemptList' }),
);

/** The attempt log of one event delivery (scan_run.failed, target.disabled, export.failed to one target). */
export const EventAttemptListSchema = /* @__PURE__ */ z.built(() =>
  z
    .object({
      event_id: idOf('event'),
      event_type: described(z.string(), 'X-WebRiskOps-Event of the delivery'),
      target_id: described(z.nullable(idOf('target')), 'The target it is delivered to'),
      items: z.array(AttemptSchema),
      next_cursor: z.nullable(z.string()),
    })
    .register(z.globalRegistry, { id: 'EventDeliveryAttemptList' }),
);

/** Every answer by its component name: the route table names its answers with these keys. */
export const RESPONSES = /* @__PURE__ */ z.built(
  () =>
    ({
      Project: ProjectSchema,
      ProjectList: ProjectListSchema,
      ScanRun: ScanRunSchema,
      ScanRunList: ScanRunListSchema,
      ScanReport: ScanReportSchema,
      SarifLog: SarifLogSchema,
      Finding: FindingSchema,
      FindingList: FindingListSchema,
      CreateScanRunResponse: CreateScanRunResponseSchema,
      ScanPageList: ScanPageListSchema,
      ScanIssueList: ScanIssueListSchema,
      ScannerResultAccepted: ScannerResultAcceptedSchema,
      TicketExportTarget: TargetSchema,
      TicketExportTargetWithSecret: TargetWithSecretSchema,
      TicketExportTargetList: TargetListSchema,
      TargetDeliveryList: TargetDeliveryListSchema,
      TargetRecovery: TargetRecoverySchema,
      TicketExport: ExportSchema,
      TicketExportList: ExportListSchema,
      DeliveryAttemptList: AttemptListSchema,
      EventDeliveryAttemptList: EventAttemptListSchema,
      OpenApiDocument: z.record(z.string(), z.unknown()),
    }) as const,
);
export type ResponseName = keyof typeof RESPONSES;
