/**
 * GENERATED FILE, do not edit: `npm run client:generate` (scripts/generate-client.ts) writes it with
 * openapi-typescript from the OpenAPI document `buildOpenApiDocument()` builds (lib/openapi.ts, the one
 * served at GET /api/openapi.json). test/unit/client/client-current.test.ts fails when it is stale.
 */
export interface paths {
  '/api/projects': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the account's projects (cursor-paginated, newest first) */
    get: operations['projectsList'];
    put?: never;
    /** Create a project */
    post: operations['projectsCreate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/projects/{projectId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a project */
    get: operations['projectsGet'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/projects/{projectId}/scan-runs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a project's scan runs (cursor-paginated, newest first, filter by status) */
    get: operations['scanRunsList'];
    put?: never;
    /** Create a scan run (reserves one scan credit) */
    post: operations['scanRunsCreate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/scan-runs/{scanRunId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a scan run: status, counters, error, report status */
    get: operations['scanRunsGet'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/scan-runs/{scanRunId}/pages': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a scan run's pages (cursor-paginated; filter by their issues' severity and category, and their findings' state and triage) */
    get: operations['scanRunsPages'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/scan-runs/{scanRunId}/issues': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a scan run's issues (cursor-paginated; filter by severity, category, and their findings' state and triage) */
    get: operations['scanRunsIssues'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/scan-runs/{scanRunId}/report': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a completed scan run's report: JSON summary or SARIF (docs/scanner-results.md) */
    get: operations['scanRunsReport'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/projects/{projectId}/findings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a project's findings across its scan runs (cursor-paginated; filter by state, severity, category, triage) */
    get: operations['findingsList'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/projects/{projectId}/findings/{fingerprint}/triage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Dismiss a finding with a reason (idempotent; kept across later scan runs) */
    put: operations['findingsDismiss'];
    post?: never;
    /** Take a finding's dismissal back (idempotent) */
    delete: operations['findingsUndismiss'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/scanner/results': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Scanner postback: completed or failed scan results */
    post: operations['scannerResultsStore'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-export-targets': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the account's ticket export targets */
    get: operations['targetsList'];
    put?: never;
    /** Create a ticket export target (returns its signing secret once) */
    post: operations['targetsCreate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-export-targets/{targetId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a ticket export target */
    get: operations['targetsGet'];
    put?: never;
    post?: never;
    /** Disable a ticket export target */
    delete: operations['targetsDisable'];
    options?: never;
    head?: never;
    /** Change a target's name, URL (checked again) or subscriptions */
    patch: operations['targetsUpdate'];
    trace?: never;
  };
  '/api/ticket-export-targets/{targetId}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a target's deliveries (exports and events) with their outcome */
    get: operations['targetsDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-export-targets/{targetId}/recover': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Recover a target's failed and blocked exports since a time */
    post: operations['targetsRecover'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-export-targets/{targetId}/rotate-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Rotate a target's signing secret */
    post: operations['targetsRotateSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-export-targets/{targetId}/enable': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Re-enable a disabled target (plan and URL checked again) */
    post: operations['targetsEnable'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-export-targets/{targetId}/callbacks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A ticket system reports a ticket's outcome, signed with the target's signing secret (Standard Webhooks); sets the finding's triage */
    post: operations['targetsCallback'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-exports': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List the account's ticket exports (cursor-paginated, newest first, filter by status, target, scan run) */
    get: operations['exportsList'];
    put?: never;
    /** Prepare a ticket export from stored issues */
    post: operations['exportsCreate'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-exports/{exportId}/approve': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Approve a prepared export for delivery to a target */
    post: operations['exportsApprove'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-exports/{exportId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Read a ticket export status */
    get: operations['exportsGet'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-exports/{exportId}/attempts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Delivery attempt log of a ticket export */
    get: operations['exportsAttempts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/ticket-exports/{exportId}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Re-queue a failed or blocked ticket export, optionally to another target */
    post: operations['exportsRetry'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/event-deliveries/{eventId}/attempts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Delivery attempt log of an event delivery */
    get: operations['eventsAttempts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** OpenAPI 3.1 document */
    get: operations['openapi'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    CreateProjectRequest: {
      name: string;
      /** @description An absolute http(s) URL, as the WHATWG URL Standard parses it */
      base_url: string;
    };
    TriageFindingRequest: {
      /** @constant */
      status: 'dismissed';
      /** @enum {string} */
      reason: 'false_positive' | 'accepted_risk' | 'wont_fix';
      comment?: string | null;
    };
    ScannerResult:
      | ({
          scanRunId: number;
          /** @constant */
          status: 'completed';
          page?: {
            /** @description An absolute http(s) URL, as the WHATWG URL Standard parses it */
            url: string;
            /** @description An absolute http(s) URL, as the WHATWG URL Standard parses it */
            normalizedUrl: string;
            statusCode: number;
            /** @enum {string} */
            pageType:
              | 'home'
              | 'landing'
              | 'product'
              | 'category'
              | 'article'
              | 'search'
              | 'login'
              | 'signup'
              | 'account'
              | 'cart'
              | 'checkout'
              | 'contact'
              | 'legal'
              | 'blog'
              | 'docs'
              | 'error'
              | 'other';
            /** @description Names and values at most 65536 bytes (UTF-8) in all */
            responseHeaders: {
              [key: string]: string;
            };
            consoleErrorsCount?: number;
            networkErrorsCount?: number;
          };
          artifacts?: {
            screenshotPath: string;
            htmlSnapshotPath?: string;
          };
          issues?: {
            /** @enum {string} */
            category:
              | 'security'
              | 'privacy'
              | 'compliance'
              | 'performance'
              | 'accessibility'
              | 'seo'
              | 'availability'
              | 'content'
              | 'best_practices'
              | 'other';
            type: string;
            /** @enum {string} */
            severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
            title: string;
            description: string;
            fingerprint: string;
            confidence: number;
            evidence: string;
            businessImpact?: string;
            suggestedRemediation?: string;
            reproductionSteps?: string | string[];
            screenshotPath?: string;
          }[];
          pages?: {
            page: {
              /** @description An absolute http(s) URL, as the WHATWG URL Standard parses it */
              url: string;
              /** @description An absolute http(s) URL, as the WHATWG URL Standard parses it */
              normalizedUrl: string;
              statusCode: number;
              /** @enum {string} */
              pageType:
                | 'home'
                | 'landing'
                | 'product'
                | 'category'
                | 'article'
                | 'search'
                | 'login'
                | 'signup'
                | 'account'
                | 'cart'
                | 'checkout'
                | 'contact'
                | 'legal'
                | 'blog'
                | 'docs'
                | 'error'
                | 'other';
              /** @description Names and values at most 65536 bytes (UTF-8) in all */
              responseHeaders: {
                [key: string]: string;
              };
              consoleErrorsCount?: number;
              networkErrorsCount?: number;
            };
            artifacts: {
              screenshotPath: string;
              htmlSnapshotPath?: string;
            };
            issues?: {
              /** @enum {string} */
              category:
                | 'security'
                | 'privacy'
                | 'compliance'
                | 'performance'
                | 'accessibility'
                | 'seo'
                | 'availability'
                | 'content'
                | 'best_practices'
                | 'other';
              type: string;
              /** @enum {string} */
              severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
              title: string;
              description: string;
              fingerprint: string;
              confidence: number;
              evidence: string;
              businessImpact?: string;
              suggestedRemediation?: string;
              reproductionSteps?: string | string[];
              screenshotPath?: string;
            }[];
          }[];
          counters?: {
            pagesScanned?: number;
            issuesCount?: number;
            criticalCount?: number;
            highCount?: number;
            mediumCount?: number;
            lowCount?: number;
            infoCount?: number;
            riskScore?: number;
          };
        } & (
          | {
              page: unknown;
              artifacts: unknown;
              pages?: never;
            }
          | {
              pages: unknown;
              page?: never;
              artifacts?: never;
              issues?: never;
            }
        ))
      | {
          scanRunId: number;
          /** @constant */
          status: 'failed';
          error: {
            code: string;
            message: string;
            /** @description An absolute http(s) URL, as the WHATWG URL Standard parses it */
            url?: string;
            timeoutMs?: number;
          };
        };
    CreateTicketExportTargetRequest: {
      /**
       * @example generic_webhook
       * @enum {string}
       */
      provider_key: 'generic_webhook';
      /**
       * @description https URL of a public host (plain http only for local receivers in development)
       * @example https://hooks.example.test/webriskops
       */
      base_url: string;
      /**
       * @example webhook-only
       * @enum {string}
       */
      deployment_mode: 'cloud' | 'self-hosted' | 'webhook-only';
      /** @example Example webhook target */
      name: string;
      /** @description Subscriptions; default: ["ticket_export", "scan_run.failed"] */
      events?: ('ticket_export' | 'scan_run.failed' | 'target.disabled' | 'export.failed')[];
    };
    UpdateTicketExportTargetRequest:
      | {
          /** @description https URL of a public host (plain http only for local receivers in development) */
          base_url?: string;
          name?: string;
          events?: ('ticket_export' | 'scan_run.failed' | 'target.disabled' | 'export.failed')[];
        }
      | {
          base_url: unknown;
        }
      | {
          name: unknown;
        }
      | {
          events: unknown;
        };
    RecoverTicketExportTargetRequest: {
      /**
       * Format: date-time
       * @example 2026-11-30T00:00:00Z
       */
      since: string;
    };
    RotateTicketExportTargetSecretRequest: {
      grace_period_seconds?: number;
    };
    TicketCallbackRequest: {
      /**
       * @description risk.accepted: dismiss the finding as accepted_risk; ticket.closed: see resolution
       * @enum {string}
       */
      type: 'ticket.closed' | 'risk.accepted';
      project_id: string;
      fingerprint: string;
      /**
       * @description Only with ticket.closed. wont_fix, false_positive: dismiss with that reason; fixed (or none): no triage change, a rescan shows the fix
       * @enum {string}
       */
      resolution?: 'fixed' | 'wont_fix' | 'false_positive';
      /** @description The dismissal's comment */
      comment?: string;
      /** @description The ticket this is about, recorded with the dismissal */
      ticket?: {
        id: string | number;
        url?: string | null;
      };
    };
    CreateTicketExportRequest: {
      /** @example 123 */
      scan_run_id: number;
      /**
       * @example [
       *       "fp-missing-csp-home"
       *     ]
       */
      issue_fingerprints: string[];
      title?: string;
    };
    ApproveTicketExportRequest: {
      /** @example tgt_0123456789abcdef01234567 */
      target_id: string;
    };
    RetryTicketExportRequest: {
      target_id?: string;
    };
    Project: {
      /** @example prj_0123456789abcdef01234567 */
      id: string;
      name: string;
      base_url: string;
      /** Format: date-time */
      created_at: string;
    };
    ProjectList: {
      items: components['schemas']['Project'][];
      next_cursor: string | null;
    };
    CreateScanRunResponse: {
      scan_run_id: number;
      /** @constant */
      status: 'queued';
      project_id: string;
    };
    ScanRunList: {
      items: components['schemas']['ScanRun'][];
      next_cursor: string | null;
    };
    ScanRun: {
      /** @example 123 */
      scan_run_id: number;
      project_id: string;
      /** @enum {string} */
      status: 'queued' | 'completed' | 'failed';
      counters: components['schemas']['ScanRunCounters'] | null;
      error: {
        code: string;
        message: string;
        url?: string;
        timeout_ms?: number;
      } | null;
      /**
       * @description The scan report: not_started (queued), pending (completed, being built), ready, failed (see report_error), unavailable (the run failed: no report)
       * @enum {string}
       */
      report_status: 'not_started' | 'pending' | 'ready' | 'failed' | 'unavailable';
      /** @description Why the report could not be built (null unless report_status is failed) */
      report_error: {
        code: string;
        message: string;
      } | null;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
      completed_at: string | null;
      /** @description Whether the run has been applied to its project's findings (null while queued, when failed, or when it completed before findings were tracked) */
      findings_status: ('pending' | 'applied' | 'superseded') | null;
      /** @description What the run changed in its project's findings (null until applied) */
      findings_delta: components['schemas']['FindingsDelta'] | null;
    };
    ScanRunCounters: {
      pages_scanned: number;
      issues_count: number;
      critical_count: number;
      high_count: number;
      medium_count: number;
      low_count: number;
      info_count: number;
      risk_score: number;
      /** @enum {string} */
      source: 'scanner' | 'derived';
    };
    FindingsDelta: {
      new: number;
      fixed: number;
      reopened: number;
      unchanged: number;
      /** @description Open findings the run could not recheck (page not scanned, or an error) */
      not_rechecked: number;
    };
    ScanPageList: {
      items: components['schemas']['ScanPage'][];
      next_cursor: string | null;
    };
    ScanPage: {
      index: number;
      url: string;
      normalized_url: string;
      status_code: number;
      /** @enum {string} */
      page_type:
        | 'home'
        | 'landing'
        | 'product'
        | 'category'
        | 'article'
        | 'search'
        | 'login'
        | 'signup'
        | 'account'
        | 'cart'
        | 'checkout'
        | 'contact'
        | 'legal'
        | 'blog'
        | 'docs'
        | 'error'
        | 'other';
      /** @description credential headers redacted */
      response_headers: {
        [key: string]: string;
      };
      console_errors_count: number | null;
      network_errors_count: number | null;
      artifacts: {
        screenshot_path: string;
        html_snapshot_path: string | null;
      };
      issues_count: number;
    };
    ScanIssueList: {
      items: components['schemas']['ScanIssue'][];
      next_cursor: string | null;
    };
    ScanIssue: {
      fingerprint: string;
      /** @enum {string} */
      category:
        | 'security'
        | 'privacy'
        | 'compliance'
        | 'performance'
        | 'accessibility'
        | 'seo'
        | 'availability'
        | 'content'
        | 'best_practices'
        | 'other';
      type: string;
      /** @enum {string} */
      severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
      title: string;
      description: string;
      confidence: number;
      evidence: string;
      business_impact: string | null;
      suggested_remediation: string | null;
      reproduction_steps: (string | string[]) | null;
      screenshot_path: string | null;
      page_url: string;
      page_index: number;
    };
    ScanReport: {
      report_version: number;
      scan_run_id: number;
      project_id: string;
      /** @constant */
      status: 'completed';
      completed_at: string | null;
      counters: components['schemas']['ScanRunCounters'] | null;
      /** @description What the run changed in its project's findings (null when not applied before the report was built) */
      findings_delta: components['schemas']['FindingsDelta'] | null;
      /** @description The run's stored issues by severity */
      findings_by_severity: {
        critical: number;
        high: number;
        medium: number;
        low: number;
        info: number;
      };
      issues_count: number;
      pages_count: number;
      pages: {
        index: number;
        url: string;
        normalized_url: string;
        status_code: number;
        /** @enum {string} */
        page_type:
          | 'home'
          | 'landing'
          | 'product'
          | 'category'
          | 'article'
          | 'search'
          | 'login'
          | 'signup'
          | 'account'
          | 'cart'
          | 'checkout'
          | 'contact'
          | 'legal'
          | 'blog'
          | 'docs'
          | 'error'
          | 'other';
        issues_count: number;
        issues_by_severity: {
          critical: number;
          high: number;
          medium: number;
          low: number;
          info: number;
        };
      }[];
      links: {
        sarif: string;
        issues: string;
        pages: string;
      };
    };
    /** @description SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/): one run, a rule per issue type, a result per issue (docs/scanner-results.md, "The scan report") */
    SarifLog: {
      $schema: string;
      /** @constant */
      version: '2.1.0';
      runs: {
        [key: string]: unknown;
      }[];
    } & {
      [key: string]: unknown;
    };
    FindingList: {
      items: components['schemas']['Finding'][];
      next_cursor: string | null;
    };
    Finding: {
      fingerprint: string;
      /** @enum {string} */
      state: 'open' | 'fixed' | 'reopened';
      /** @description What the project's latest applied run found on the finding's page (null when fixed) */
      recheck: ('seen' | 'absent' | 'page_error' | 'page_not_scanned') | null;
      triage: {
        /** @constant */
        status: 'dismissed';
        /** @enum {string} */
        reason: 'false_positive' | 'accepted_risk' | 'wont_fix';
        comment: string | null;
        /** Format: date-time */
        dismissed_at: string;
        /** @description Who dismissed it: `token:<token id>` (the API) or `target:<target id>` (a ticket system's signed callback); null for dismissals older than this field */
        by: string | null;
        /** @description The ticket a ticket system callback named when it dismissed the finding */
        ticket: {
          id: string;
          url: string | null;
        } | null;
      } | null;
      type: string;
      category: string;
      /** @enum {string} */
      severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
      title: string;
      /** @description The page it was last seen on */
      page_url: string;
      first_scan_run_id: number;
      last_seen_scan_run_id: number;
      fixed_scan_run_id: number | null;
      /** @description The last run that scanned its page with an error status since it was last seen */
      page_error: {
        scan_run_id: number;
        status_code: number;
      } | null;
      /** @description The issue record of the last run that saw it */
      latest_issue: {
        scan_run_id: number;
        url: string;
      };
      /** @description The ticket a delivered export created for it */
      ticket: {
        id: string;
        url: string | null;
        export_id: string;
      } | null;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
    };
    ScannerResultAccepted: {
      scan_run_id: number;
      /** @enum {string} */
      status: 'completed' | 'failed';
      /** @description true when the run was already terminal: nothing was written */
      duplicate: boolean;
    };
    TicketExportTargetWithSecret: {
      /** @example tgt_0123456789abcdef01234567 */
      id: string;
      /** @enum {string} */
      status: 'active' | 'disabled';
      /** @enum {string} */
      provider_key: 'generic_webhook';
      base_url: string;
      /** @enum {string} */
      deployment_mode: 'cloud' | 'self-hosted' | 'webhook-only';
      name: string;
      events: ('ticket_export' | 'scan_run.failed' | 'target.disabled' | 'export.failed')[];
      secret_version: number;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
      secret_rotated_at: string | null;
      disabled_at: string | null;
      disabled_reason: ('disabled_by_user' | 'receiver_gone' | 'receiver_failing') | null;
      /** @description After a rotation: until then deliveries verify with the previous signing secret too */
      secret_grace_until: string | null;
      /** @description Set while the receiver asked for a pause (429 or 503 with Retry-After): deliveries wait until then */
      paused_until: string | null;
      /** @description The first failed attempt since the last success; after WRO_TARGET_DISABLE_AFTER_FAILING_SECONDS the target is disabled (receiver_failing) */
      failing_since: string | null;
      /**
       * @description Shown once
       * @example whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=
       */
      signing_secret: string;
    };
    TicketExportTargetList: {
      items: components['schemas']['TicketExportTarget'][];
      next_cursor: string | null;
    };
    TicketExportTarget: {
      /** @example tgt_0123456789abcdef01234567 */
      id: string;
      /** @enum {string} */
      status: 'active' | 'disabled';
      /** @enum {string} */
      provider_key: 'generic_webhook';
      base_url: string;
      /** @enum {string} */
      deployment_mode: 'cloud' | 'self-hosted' | 'webhook-only';
      name: string;
      events: ('ticket_export' | 'scan_run.failed' | 'target.disabled' | 'export.failed')[];
      secret_version: number;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
      secret_rotated_at: string | null;
      disabled_at: string | null;
      disabled_reason: ('disabled_by_user' | 'receiver_gone' | 'receiver_failing') | null;
      /** @description After a rotation: until then deliveries verify with the previous signing secret too */
      secret_grace_until: string | null;
      /** @description Set while the receiver asked for a pause (429 or 503 with Retry-After): deliveries wait until then */
      paused_until: string | null;
      /** @description The first failed attempt since the last success; after WRO_TARGET_DISABLE_AFTER_FAILING_SECONDS the target is disabled (receiver_failing) */
      failing_since: string | null;
    };
    TargetDeliveryList: {
      items: components['schemas']['TargetDelivery'][];
      next_cursor: string | null;
    };
    TargetDelivery: {
      /** @enum {string} */
      kind: 'ticket_export' | 'event';
      /** @description The export id (exp_…) or event delivery id (evt_…) */
      id: string;
      /** @description X-WebRiskOps-Event of the delivery */
      event_type: string;
      delivery_id: string;
      status: string;
      round: number;
      /** @description Attempts in the current round */
      attempts: number;
      last_error_class:
        | (
            | 'timeout'
            | 'connection_error'
            | 'dns_error'
            | 'http_request_timeout'
            | 'http_too_early'
            | 'http_rate_limited'
            | 'http_server_error'
            | 'http_gone'
            | 'http_client_error'
            | 'http_redirect'
            | 'http_invalid_status'
            | 'target_disabled'
            | 'target_not_allowed'
            | 'target_url_unsafe'
            | 'target_missing'
            | 'processing_error'
          )
        | null;
      last_status_code: number | null;
      /** @description Set while retry_scheduled */
      next_attempt_at: string | null;
      failure_reason:
        | ('receiver_rejected' | 'receiver_gone' | 'attempts_exhausted' | 'processing_error')
        | null;
      blocked_reason:
        | ('target_disabled' | 'target_not_allowed' | 'target_url_unsafe' | 'target_missing')
        | null;
      delivered_at: string | null;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
      /** @description The delivery's attempt log: /api/ticket-exports/{exportId}/attempts or /api/event-deliveries/{eventId}/attempts */
      attempts_url: string | null;
    };
    TargetRecovery: {
      target_id: string;
      since: string;
      /** @description The exports queued again, each in a new round with its delivery id */
      recovered: string[];
      /** @description More failed or blocked exports remain: send the request again */
      more: boolean;
    };
    TicketExport: {
      /** @example exp_0123456789abcdef01234567 */
      id: string;
      /** @enum {string} */
      status:
        | 'pending_approval'
        | 'queued'
        | 'delivering'
        | 'retry_scheduled'
        | 'exported'
        | 'failed'
        | 'blocked';
      scan_run_id: number;
      issue_fingerprints: string[];
      title: string;
      preview: components['schemas']['TicketExportPayload'];
      preview_safe: boolean;
      preview_findings: string[];
      /** @description Findings an earlier export already turned into tickets (at preparation time) */
      ticketed_findings: {
        fingerprint: string;
        ticket: components['schemas']['TicketReference'];
        export_id: string;
      }[];
      /** @description The ticket the receiver named in its 2xx answer ({"ticket": {"id", "url"}}), once exported */
      ticket: components['schemas']['TicketReference'] | null;
      target_id: string | null;
      /** @description X-WebRiskOps-Delivery-Id / Idempotency-Key / webhook-id */
      delivery_id: string;
      attempts: number;
      max_attempts: number;
      last_error_class:
        | (
            | 'timeout'
            | 'connection_error'
            | 'dns_error'
            | 'http_request_timeout'
            | 'http_too_early'
            | 'http_rate_limited'
            | 'http_server_error'
            | 'http_gone'
            | 'http_client_error'
            | 'http_redirect'
            | 'http_invalid_status'
            | 'target_disabled'
            | 'target_not_allowed'
            | 'target_url_unsafe'
            | 'target_missing'
            | 'processing_error'
          )
        | null;
      last_status_code: number | null;
      /** @description Set while retry_scheduled */
      retry_after_seconds: number | null;
      /** @description Set while retry_scheduled */
      next_attempt_at: string | null;
      failure_reason:
        | ('receiver_rejected' | 'receiver_gone' | 'attempts_exhausted' | 'processing_error')
        | null;
      blocked_reason:
        | ('target_disabled' | 'target_not_allowed' | 'target_url_unsafe' | 'target_missing')
        | null;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
      approved_at: string | null;
      exported_at: string | null;
    };
    TicketExportPayload: {
      /** @constant */
      type: 'ticket_export';
      export_id: string;
      title: string;
      scan_run: {
        scan_run_id: number;
        project_id: string;
        completed_at: string | null;
      };
      issues: {
        [key: string]: unknown;
      }[];
      /** Format: date-time */
      created_at: string;
    };
    TicketReference: {
      id: string;
      /** @description http(s) only; null when the receiver sent none */
      url: string | null;
    };
    TicketExportList: {
      items: components['schemas']['TicketExportSummary'][];
      next_cursor: string | null;
    };
    TicketExportSummary: {
      id: string;
      /** @enum {string} */
      status:
        | 'pending_approval'
        | 'queued'
        | 'delivering'
        | 'retry_scheduled'
        | 'exported'
        | 'failed'
        | 'blocked';
      scan_run_id: number;
      /** @description The scan run's project (null on exports prepared before it was recorded) */
      project_id: string | null;
      title: string;
      preview_safe: boolean;
      ticket: components['schemas']['TicketReference'] | null;
      target_id: string | null;
      /** @description X-WebRiskOps-Delivery-Id / Idempotency-Key / webhook-id */
      delivery_id: string;
      attempts: number;
      max_attempts: number;
      last_error_class:
        | (
            | 'timeout'
            | 'connection_error'
            | 'dns_error'
            | 'http_request_timeout'
            | 'http_too_early'
            | 'http_rate_limited'
            | 'http_server_error'
            | 'http_gone'
            | 'http_client_error'
            | 'http_redirect'
            | 'http_invalid_status'
            | 'target_disabled'
            | 'target_not_allowed'
            | 'target_url_unsafe'
            | 'target_missing'
            | 'processing_error'
          )
        | null;
      last_status_code: number | null;
      /** @description Set while retry_scheduled */
      retry_after_seconds: number | null;
      /** @description Set while retry_scheduled */
      next_attempt_at: string | null;
      failure_reason:
        | ('receiver_rejected' | 'receiver_gone' | 'attempts_exhausted' | 'processing_error')
        | null;
      blocked_reason:
        | ('target_disabled' | 'target_not_allowed' | 'target_url_unsafe' | 'target_missing')
        | null;
      /** Format: date-time */
      created_at: string;
      /** Format: date-time */
      updated_at: string;
      approved_at: string | null;
      exported_at: string | null;
      /** @description The whole export (preview, fingerprints): GET it */
      url: string;
    };
    DeliveryAttemptList: {
      export_id: string;
      items: components['schemas']['DeliveryAttempt'][];
      next_cursor: string | null;
    };
    DeliveryAttempt: {
      /** @description 1-based within one approval or retry round */
      attempt: number;
      /** @description 1 for the approval, +1 for each POST …/retry */
      round: number;
      at: string;
      /** @enum {string} */
      outcome: 'delivered' | 'retry_scheduled' | 'failed' | 'blocked';
      status_code: number | null;
      duration_ms: number | null;
      error_class:
        | (
            | 'timeout'
            | 'connection_error'
            | 'dns_error'
            | 'http_request_timeout'
            | 'http_too_early'
            | 'http_rate_limited'
            | 'http_server_error'
            | 'http_gone'
            | 'http_client_error'
            | 'http_redirect'
            | 'http_invalid_status'
            | 'target_disabled'
            | 'target_not_allowed'
            | 'target_url_unsafe'
            | 'target_missing'
            | 'processing_error'
          )
        | null;
      retry_after_seconds: number | null;
      /** @description First 1024 characters, secrets redacted */
      response_body: string | null;
    };
    EventDeliveryAttemptList: {
      event_id: string;
      /** @description X-WebRiskOps-Event of the delivery */
      event_type: string;
      /** @description The target it is delivered to */
      target_id: string | null;
      items: components['schemas']['DeliveryAttempt'][];
      next_cursor: string | null;
    };
    ErrorEnvelope: {
      error: {
        /** @example VALIDATION_FAILED */
        code: string;
        message: string;
        request_id: string;
        details?: {
          field: string;
          message: string;
        }[];
      };
    };
  };
  responses: {
    /** @description `IDEMPOTENCY_KEY_REQUIRED`: a state-changing POST without Idempotency-Key */
    IdempotencyKeyRequired: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'IDEMPOTENCY_KEY_REQUIRED';
          };
        };
      };
    };
    /** @description `UNAUTHORIZED`: missing, invalid or revoked token; missing or wrong X-Scanner-Secret */
    Unauthorized: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        'WWW-Authenticate': components['headers']['BearerChallenge'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'UNAUTHORIZED';
          };
        };
      };
    };
    /** @description `FORBIDDEN`: the token lacks the scope, or the plan does not allow the provider or deployment mode */
    ForbiddenReplayable: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'FORBIDDEN';
          };
        };
      };
    };
    /** @description `IDEMPOTENCY_REQUEST_IN_PROGRESS`: the first request with this key is still running; retry after Retry-After */
    IdempotencyRequestInProgressReplayable: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
        'Retry-After': components['headers']['RetryAfterInProgress'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
          };
        };
      };
    };
    /** @description `PAYLOAD_TOO_LARGE`: the body is over 6 MB */
    PayloadTooLarge: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'PAYLOAD_TOO_LARGE';
          };
        };
      };
    };
    /** @description `UNSUPPORTED_MEDIA_TYPE`: the body is not application/json */
    UnsupportedMediaType: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'UNSUPPORTED_MEDIA_TYPE';
          };
        };
      };
    };
    /** @description `VALIDATION_FAILED`: the body, a parameter or Idempotency-Key is not valid; details names every field; `IDEMPOTENCY_KEY_REUSED`: the key was used with a different request */
    ValidationFailedOrIdempotencyKeyReused: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'VALIDATION_FAILED' | 'IDEMPOTENCY_KEY_REUSED';
          };
        };
      };
    };
    /** @description `RATE_LIMITED`: over the plan's limit; Retry-After, RateLimit-Policy and RateLimit say when to retry */
    RateLimited: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Retry-After': components['headers']['RetryAfter'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'RATE_LIMITED';
          };
        };
      };
    };
    /** @description `INTERNAL`: unexpected error, no internals in the body: quote request_id */
    Internal: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'INTERNAL';
          };
        };
      };
    };
    /** @description `SERVICE_UNAVAILABLE`: no answer within API Gateway's 30 s; retry with the same Idempotency-Key */
    ServiceUnavailable: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'SERVICE_UNAVAILABLE';
          };
        };
      };
    };
    /** @description `FORBIDDEN`: the token lacks the scope, or the plan does not allow the provider or deployment mode */
    Forbidden: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'FORBIDDEN';
          };
        };
      };
    };
    /** @description `VALIDATION_FAILED`: the body, a parameter or Idempotency-Key is not valid; details names every field */
    ValidationFailed: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'VALIDATION_FAILED';
          };
        };
      };
    };
    /** @description `NOT_FOUND`: no such resource (another account's resources are reported the same way) */
    NotFound: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'NOT_FOUND';
          };
        };
      };
    };
    /** @description `NOT_FOUND`: no such resource (another account's resources are reported the same way) */
    NotFoundReplayable: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'NOT_FOUND';
          };
        };
      };
    };
    /** @description `IDEMPOTENCY_KEY_REQUIRED`: a state-changing POST without Idempotency-Key */
    IdempotencyKeyRequiredScanner: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'IDEMPOTENCY_KEY_REQUIRED';
          };
        };
      };
    };
    /** @description `UNAUTHORIZED`: missing, invalid or revoked token; missing or wrong X-Scanner-Secret */
    UnauthorizedScanner: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'UNAUTHORIZED';
          };
        };
      };
    };
    /** @description `IDEMPOTENCY_REQUEST_IN_PROGRESS`: the first request with this key is still running; retry after Retry-After */
    IdempotencyRequestInProgressScannerReplayable: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
        'Retry-After': components['headers']['RetryAfterInProgress'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
          };
        };
      };
    };
    /** @description `PAYLOAD_TOO_LARGE`: the body is over 6 MB */
    PayloadTooLargeScanner: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'PAYLOAD_TOO_LARGE';
          };
        };
      };
    };
    /** @description `UNSUPPORTED_MEDIA_TYPE`: the body is not application/json */
    UnsupportedMediaTypeScanner: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'UNSUPPORTED_MEDIA_TYPE';
          };
        };
      };
    };
    /** @description `RATE_LIMITED`: over the plan's limit; Retry-After, RateLimit-Policy and RateLimit say when to retry */
    RateLimitedScanner: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        'Retry-After': components['headers']['RetryAfter'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'RATE_LIMITED';
          };
        };
      };
    };
    /** @description `INTERNAL`: unexpected error, no internals in the body: quote request_id */
    InternalScanner: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'INTERNAL';
          };
        };
      };
    };
    /** @description `SERVICE_UNAVAILABLE`: no answer within API Gateway's 30 s; retry with the same Idempotency-Key */
    ServiceUnavailableScanner: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        RateLimit: components['headers']['RateLimit'];
        'RateLimit-Policy': components['headers']['RateLimitPolicy'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'SERVICE_UNAVAILABLE';
          };
        };
      };
    };
    /** @description `SIGNATURE_INVALID`: a request signature did not verify */
    SignatureInvalid: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        'Cache-Control': components['headers']['NoStore'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'SIGNATURE_INVALID';
          };
        };
      };
    };
    /** @description `PAYLOAD_TOO_LARGE`: the body is over 6 MB */
    PayloadTooLargePublic: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'PAYLOAD_TOO_LARGE';
          };
        };
      };
    };
    /** @description `UNSUPPORTED_MEDIA_TYPE`: the body is not application/json */
    UnsupportedMediaTypePublic: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'UNSUPPORTED_MEDIA_TYPE';
          };
        };
      };
    };
    /** @description `VALIDATION_FAILED`: the body, a parameter or Idempotency-Key is not valid; details names every field */
    ValidationFailedPublic: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'VALIDATION_FAILED';
          };
        };
      };
    };
    /** @description `INTERNAL`: unexpected error, no internals in the body: quote request_id */
    InternalPublic: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'INTERNAL';
          };
        };
      };
    };
    /** @description `SERVICE_UNAVAILABLE`: no answer within API Gateway's 30 s; retry with the same Idempotency-Key */
    ServiceUnavailablePublic: {
      headers: {
        'X-Request-Id': components['headers']['RequestId'];
        'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
        'Content-Encoding': components['headers']['ContentEncoding'];
        Vary: components['headers']['Vary'];
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorEnvelope'] & {
          error?: {
            /** @enum {string} */
            code?: 'SERVICE_UNAVAILABLE';
          };
        };
      };
    };
  };
  parameters: never;
  requestBodies: never;
  headers: {
    /** @description This request's id (also `request_id` in error bodies); quote it when reporting a problem. */
    RequestId: string;
    ContentTypeOptions: 'nosniff';
    /** @description Authenticated answers are one account's data (some carry a signing secret): never cached. */
    NoStore: 'no-store';
    /** @description Requests left in the window and seconds until it resets (IETF RateLimit header fields). */
    RateLimit: string;
    /** @description The plan's quota and window in seconds. */
    RateLimitPolicy: string;
    /** @description Seconds to wait before retrying. */
    RetryAfter: number;
    /** @description With IDEMPOTENCY_REQUEST_IN_PROGRESS: seconds until the first request's claim expires. */
    RetryAfterInProgress: number;
    /** @description With REPORT_NOT_READY: seconds after which the report is likely built. */
    RetryAfterReport: number;
    /** @description An expiring URL of the stored document (S3 presigned, 5 minutes): follow it without the Authorization header. */
    Location: string;
    /** @description This is the stored answer of an earlier request with the same Idempotency-Key (a signed callback: the same webhook-id). */
    IdempotentReplayed: 'true';
    /** @description RFC 6750 challenge; `error="invalid_token"` when a token was presented and refused. */
    BearerChallenge: string;
    /** @description Bodies of 1 KB or more are compressed when Accept-Encoding allows (br or gzip). */
    ContentEncoding: 'br' | 'gzip';
    /** @description Accept-Encoding, for bodies that may be compressed. */
    Vary: string;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  projectsList: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The account's projects, newest first */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ProjectList'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  projectsCreate: {
    parameters: {
      query?: never;
      header: {
        'Content-Encoding'?: 'gzip' | 'identity';
        /** @description Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency"). */
        'Idempotency-Key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateProjectRequest'];
      };
    };
    responses: {
      /** @description Project created */
      201: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Project'];
        };
      };
      400: components['responses']['IdempotencyKeyRequired'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['ForbiddenReplayable'];
      409: components['responses']['IdempotencyRequestInProgressReplayable'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrIdempotencyKeyReused'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  projectsGet: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        projectId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The project */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Project'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  scanRunsList: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        status?: 'queued' | 'completed' | 'failed';
      };
      header?: never;
      path: {
        projectId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The project's scan runs, newest first */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScanRunList'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  scanRunsCreate: {
    parameters: {
      query?: never;
      header: {
        /** @description Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency"). */
        'Idempotency-Key': string;
      };
      path: {
        projectId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Scan run queued; one scan credit reserved */
      201: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreateScanRunResponse'];
        };
      };
      400: components['responses']['IdempotencyKeyRequired'];
      401: components['responses']['Unauthorized'];
      /** @description `SCAN_CREDITS_EXHAUSTED`: no scan credits left */
      402: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'SCAN_CREDITS_EXHAUSTED';
            };
          };
        };
      };
      403: components['responses']['ForbiddenReplayable'];
      404: components['responses']['NotFoundReplayable'];
      409: components['responses']['IdempotencyRequestInProgressReplayable'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrIdempotencyKeyReused'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  scanRunsGet: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        scanRunId: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The scan run */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScanRun'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  scanRunsPages: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        severity?: 'critical' | 'high' | 'medium' | 'low' | 'info';
        category?:
          | 'security'
          | 'privacy'
          | 'compliance'
          | 'performance'
          | 'accessibility'
          | 'seo'
          | 'availability'
          | 'content'
          | 'best_practices'
          | 'other';
        state?: 'open' | 'fixed' | 'reopened';
        triage?: 'dismissed' | 'none';
      };
      header?: never;
      path: {
        scanRunId: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of pages */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScanPageList'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  scanRunsIssues: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        severity?: 'critical' | 'high' | 'medium' | 'low' | 'info';
        category?:
          | 'security'
          | 'privacy'
          | 'compliance'
          | 'performance'
          | 'accessibility'
          | 'seo'
          | 'availability'
          | 'content'
          | 'best_practices'
          | 'other';
        state?: 'open' | 'fixed' | 'reopened';
        triage?: 'dismissed' | 'none';
        fingerprint?: string;
      };
      header?: never;
      path: {
        scanRunId: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of issues */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScanIssueList'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  scanRunsReport: {
    parameters: {
      query?: {
        format?: 'json' | 'sarif';
      };
      header?: never;
      path: {
        scanRunId: number;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The report: the JSON summary (format=json) or the SARIF 2.1.0 log (format=sarif, application/sarif+json) */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScanReport'];
          'application/sarif+json': components['schemas']['SarifLog'];
        };
      };
      /** @description A report over 2 MiB: Location is an expiring URL of the stored document (5 minutes); follow it without credentials */
      303: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          Location: components['headers']['Location'];
          [name: string]: unknown;
        };
        content?: never;
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description `SCAN_RUN_NOT_COMPLETED`: the scan run has not completed (it is queued, or it failed and has no report); `REPORT_NOT_READY`: the scan run's report is still being built; retry after Retry-After; `REPORT_FAILED`: the scan run's report could not be built; the message says why */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Retry-After': components['headers']['RetryAfterReport'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'SCAN_RUN_NOT_COMPLETED' | 'REPORT_NOT_READY' | 'REPORT_FAILED';
            };
          };
        };
      };
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  findingsList: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        state?: 'open' | 'fixed' | 'reopened';
        severity?: 'critical' | 'high' | 'medium' | 'low' | 'info';
        category?:
          | 'security'
          | 'privacy'
          | 'compliance'
          | 'performance'
          | 'accessibility'
          | 'seo'
          | 'availability'
          | 'content'
          | 'best_practices'
          | 'other';
        triage?: 'dismissed' | 'none';
      };
      header?: never;
      path: {
        projectId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The project's findings, in fingerprint order */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FindingList'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  findingsDismiss: {
    parameters: {
      query?: never;
      header?: {
        'Content-Encoding'?: 'gzip' | 'identity';
      };
      path: {
        projectId: string;
        fingerprint: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TriageFindingRequest'];
      };
    };
    responses: {
      /** @description The finding, dismissed */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Finding'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  findingsUndismiss: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        projectId: string;
        fingerprint: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The finding, no longer dismissed */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Finding'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  scannerResultsStore: {
    parameters: {
      query?: never;
      header: {
        'Content-Encoding'?: 'gzip' | 'identity';
        /** @description Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency"). */
        'Idempotency-Key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ScannerResult'];
      };
    };
    responses: {
      /** @description Accepted (duplicate: true when the run was already terminal) */
      202: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ScannerResultAccepted'];
        };
      };
      400: components['responses']['IdempotencyKeyRequiredScanner'];
      401: components['responses']['UnauthorizedScanner'];
      409: components['responses']['IdempotencyRequestInProgressScannerReplayable'];
      413: components['responses']['PayloadTooLargeScanner'];
      415: components['responses']['UnsupportedMediaTypeScanner'];
      /** @description `SCAN_RUN_NOT_FOUND`: the scan run id is well-formed but names no scan run; `VALIDATION_FAILED`: the body, a parameter or Idempotency-Key is not valid; details names every field; `IDEMPOTENCY_KEY_REUSED`: the key was used with a different request */
      422: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'SCAN_RUN_NOT_FOUND' | 'VALIDATION_FAILED' | 'IDEMPOTENCY_KEY_REUSED';
            };
          };
        };
      };
      429: components['responses']['RateLimitedScanner'];
      500: components['responses']['InternalScanner'];
      503: components['responses']['ServiceUnavailableScanner'];
    };
  };
  targetsList: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The account's targets (no secrets) */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExportTargetList'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  targetsCreate: {
    parameters: {
      query?: never;
      header: {
        'Content-Encoding'?: 'gzip' | 'identity';
        /** @description Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency"). */
        'Idempotency-Key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTicketExportTargetRequest'];
      };
    };
    responses: {
      /** @description Target created; signing_secret is shown here (and in replays of this request) */
      201: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExportTargetWithSecret'];
        };
      };
      400: components['responses']['IdempotencyKeyRequired'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['ForbiddenReplayable'];
      409: components['responses']['IdempotencyRequestInProgressReplayable'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description `TARGET_URL_UNSAFE`: the webhook target URL is not a public https URL; `VALIDATION_FAILED`: the body, a parameter or Idempotency-Key is not valid; details names every field; `IDEMPOTENCY_KEY_REUSED`: the key was used with a different request */
      422: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'TARGET_URL_UNSAFE' | 'VALIDATION_FAILED' | 'IDEMPOTENCY_KEY_REUSED';
            };
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  targetsGet: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        targetId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The target (no secret) */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExportTarget'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  targetsDisable: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        targetId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The target, now disabled */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExportTarget'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description `CONFLICT`: the resource changed while this request ran; read it and retry */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'CONFLICT';
            };
          };
        };
      };
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  targetsUpdate: {
    parameters: {
      query?: never;
      header?: {
        'Content-Encoding'?: 'gzip' | 'identity';
      };
      path: {
        targetId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['UpdateTicketExportTargetRequest'];
      };
    };
    responses: {
      /** @description The target, changed */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExportTarget'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description `CONFLICT`: the resource changed while this request ran; read it and retry */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'CONFLICT';
            };
          };
        };
      };
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description `TARGET_URL_UNSAFE`: the webhook target URL is not a public https URL; `VALIDATION_FAILED`: the body, a parameter or Idempotency-Key is not valid; details names every field */
      422: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'TARGET_URL_UNSAFE' | 'VALIDATION_FAILED';
            };
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  targetsDeliveries: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path: {
        targetId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The target's deliveries, exports and events, newest first */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TargetDeliveryList'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  targetsRecover: {
    parameters: {
      query?: never;
      header: {
        'Content-Encoding'?: 'gzip' | 'identity';
        /** @description Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency"). */
        'Idempotency-Key': string;
      };
      path: {
        targetId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RecoverTicketExportTargetRequest'];
      };
    };
    responses: {
      /** @description Failed or blocked exports of the target since `since`, queued again (same delivery ids) */
      202: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TargetRecovery'];
        };
      };
      400: components['responses']['IdempotencyKeyRequired'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['ForbiddenReplayable'];
      404: components['responses']['NotFoundReplayable'];
      /** @description `TARGET_NOT_ACTIVE`: the target is disabled; `TARGET_NOT_SUBSCRIBED`: the target is not subscribed to ticket exports; `CONFLICT`: the resource changed while this request ran; read it and retry; `IDEMPOTENCY_REQUEST_IN_PROGRESS`: the first request with this key is still running; retry after Retry-After */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          'Retry-After': components['headers']['RetryAfterInProgress'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?:
                | 'TARGET_NOT_ACTIVE'
                | 'TARGET_NOT_SUBSCRIBED'
                | 'CONFLICT'
                | 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
            };
          };
        };
      };
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrIdempotencyKeyReused'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  targetsRotateSecret: {
    parameters: {
      query?: never;
      header: {
        /** @description Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency"). */
        'Idempotency-Key': string;
      };
      path: {
        targetId: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['RotateTicketExportTargetSecretRequest'];
      };
    };
    responses: {
      /** @description New signing secret; the previous one keeps verifying until secret_grace_until (grace_period_seconds, default 24 h) */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExportTargetWithSecret'];
        };
      };
      400: components['responses']['IdempotencyKeyRequired'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['ForbiddenReplayable'];
      404: components['responses']['NotFoundReplayable'];
      /** @description `TARGET_NOT_ACTIVE`: the target is disabled; `CONFLICT`: the resource changed while this request ran; read it and retry; `IDEMPOTENCY_REQUEST_IN_PROGRESS`: the first request with this key is still running; retry after Retry-After */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          'Retry-After': components['headers']['RetryAfterInProgress'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'TARGET_NOT_ACTIVE' | 'CONFLICT' | 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
            };
          };
        };
      };
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrIdempotencyKeyReused'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  targetsEnable: {
    parameters: {
      query?: never;
      header: {
        /** @description Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency"). */
        'Idempotency-Key': string;
      };
      path: {
        targetId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The target, active again */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExportTarget'];
        };
      };
      400: components['responses']['IdempotencyKeyRequired'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['ForbiddenReplayable'];
      404: components['responses']['NotFoundReplayable'];
      /** @description `CONFLICT`: the resource changed while this request ran; read it and retry; `IDEMPOTENCY_REQUEST_IN_PROGRESS`: the first request with this key is still running; retry after Retry-After */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          'Retry-After': components['headers']['RetryAfterInProgress'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'CONFLICT' | 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
            };
          };
        };
      };
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description `TARGET_URL_UNSAFE`: the webhook target URL is not a public https URL; `VALIDATION_FAILED`: the body, a parameter or Idempotency-Key is not valid; details names every field; `IDEMPOTENCY_KEY_REUSED`: the key was used with a different request */
      422: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'TARGET_URL_UNSAFE' | 'VALIDATION_FAILED' | 'IDEMPOTENCY_KEY_REUSED';
            };
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  targetsCallback: {
    parameters: {
      query?: never;
      header: {
        'Content-Encoding'?: 'gzip' | 'identity';
        /** @description The message id, 1-255 printable ASCII characters without spaces, the same across retries: a callback is applied once per target and webhook-id, and a repeat answers the first answer. */
        'webhook-id': string;
        /** @description Unix seconds at signing; at most 5 minutes from the server's clock either way. */
        'webhook-timestamp': string;
        /** @description `v1,<base64 HMAC-SHA256>` with the target's signing secret, space-separated when signed with several secrets (one must verify). */
        'webhook-signature': string;
      };
      path: {
        targetId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TicketCallbackRequest'];
      };
    };
    responses: {
      /** @description The finding as the callback left it: dismissed, or unchanged for a ticket closed as fixed (a rescan shows the fix) */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Finding'];
        };
      };
      401: components['responses']['SignatureInvalid'];
      404: components['responses']['NotFoundReplayable'];
      /** @description `TARGET_NOT_ACTIVE`: the target is disabled; `IDEMPOTENCY_REQUEST_IN_PROGRESS`: the first request with this key is still running; retry after Retry-After */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          'Retry-After': components['headers']['RetryAfterInProgress'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'TARGET_NOT_ACTIVE' | 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
            };
          };
        };
      };
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrIdempotencyKeyReused'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  exportsList: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        status?:
          | 'pending_approval'
          | 'queued'
          | 'delivering'
          | 'retry_scheduled'
          | 'exported'
          | 'failed'
          | 'blocked';
        target_id?: string;
        scan_run_id?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The account's exports, newest first (each without its preview: GET its url) */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExportList'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  exportsCreate: {
    parameters: {
      query?: never;
      header: {
        'Content-Encoding'?: 'gzip' | 'identity';
        /** @description Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency"). */
        'Idempotency-Key': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CreateTicketExportRequest'];
      };
    };
    responses: {
      /** @description Prepared export (pending_approval) with the exact webhook body as preview */
      201: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExport'];
        };
      };
      400: components['responses']['IdempotencyKeyRequired'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['ForbiddenReplayable'];
      /** @description `SCAN_RUN_NOT_COMPLETED`: the scan run has not completed (it is queued, or it failed and has no report); `IDEMPOTENCY_REQUEST_IN_PROGRESS`: the first request with this key is still running; retry after Retry-After */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          'Retry-After': components['headers']['RetryAfterInProgress'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'SCAN_RUN_NOT_COMPLETED' | 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
            };
          };
        };
      };
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      /** @description `SCAN_RUN_NOT_FOUND`: the scan run id is well-formed but names no scan run; `VALIDATION_FAILED`: the body, a parameter or Idempotency-Key is not valid; details names every field; `IDEMPOTENCY_KEY_REUSED`: the key was used with a different request */
      422: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?: 'SCAN_RUN_NOT_FOUND' | 'VALIDATION_FAILED' | 'IDEMPOTENCY_KEY_REUSED';
            };
          };
        };
      };
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  exportsApprove: {
    parameters: {
      query?: never;
      header: {
        'Content-Encoding'?: 'gzip' | 'identity';
        /** @description Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency"). */
        'Idempotency-Key': string;
      };
      path: {
        exportId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ApproveTicketExportRequest'];
      };
    };
    responses: {
      /** @description Approved and queued for delivery to target_id */
      202: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExport'];
        };
      };
      400: components['responses']['IdempotencyKeyRequired'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['ForbiddenReplayable'];
      404: components['responses']['NotFoundReplayable'];
      /** @description `EXPORT_NOT_PENDING`: the export is not pending approval; `PREVIEW_NOT_SAFE`: the preview may hold a secret; it cannot be approved; `TARGET_NOT_FOUND`: target_id does not reference a target of this account; `TARGET_NOT_ACTIVE`: the target is disabled; `TARGET_NOT_SUBSCRIBED`: the target is not subscribed to ticket exports; `CONFLICT`: the resource changed while this request ran; read it and retry; `IDEMPOTENCY_REQUEST_IN_PROGRESS`: the first request with this key is still running; retry after Retry-After */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          'Retry-After': components['headers']['RetryAfterInProgress'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?:
                | 'EXPORT_NOT_PENDING'
                | 'PREVIEW_NOT_SAFE'
                | 'TARGET_NOT_FOUND'
                | 'TARGET_NOT_ACTIVE'
                | 'TARGET_NOT_SUBSCRIBED'
                | 'CONFLICT'
                | 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
            };
          };
        };
      };
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrIdempotencyKeyReused'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  exportsGet: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        exportId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Export status (retry_after_seconds while retry_scheduled) */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExport'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  exportsAttempts: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path: {
        exportId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Delivery attempt log, oldest first */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeliveryAttemptList'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  exportsRetry: {
    parameters: {
      query?: never;
      header: {
        /** @description Makes the request safe to retry: 1-255 printable ASCII characters without spaces, unique per request (a UUID). The same key with the same request replays the first answer (docs/platform.md, "Idempotency"). */
        'Idempotency-Key': string;
      };
      path: {
        exportId: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['RetryTicketExportRequest'];
      };
    };
    responses: {
      /** @description A failed or blocked export, or one left delivering by a worker whose lease expired, queued again (to target_id if given; same delivery id) */
      202: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TicketExport'];
        };
      };
      400: components['responses']['IdempotencyKeyRequired'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['ForbiddenReplayable'];
      404: components['responses']['NotFoundReplayable'];
      /** @description `EXPORT_NOT_RETRYABLE`: the export is neither failed nor blocked, nor delivering under an expired lease; `TARGET_NOT_FOUND`: target_id does not reference a target of this account; `TARGET_NOT_ACTIVE`: the target is disabled; `TARGET_NOT_SUBSCRIBED`: the target is not subscribed to ticket exports; `CONFLICT`: the resource changed while this request ran; read it and retry; `IDEMPOTENCY_REQUEST_IN_PROGRESS`: the first request with this key is still running; retry after Retry-After */
      409: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          'Idempotent-Replayed': components['headers']['IdempotentReplayed'];
          'Retry-After': components['headers']['RetryAfterInProgress'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorEnvelope'] & {
            error?: {
              /** @enum {string} */
              code?:
                | 'EXPORT_NOT_RETRYABLE'
                | 'TARGET_NOT_FOUND'
                | 'TARGET_NOT_ACTIVE'
                | 'TARGET_NOT_SUBSCRIBED'
                | 'CONFLICT'
                | 'IDEMPOTENCY_REQUEST_IN_PROGRESS';
            };
          };
        };
      };
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailedOrIdempotencyKeyReused'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  eventsAttempts: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path: {
        eventId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Delivery attempt log, oldest first */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          'Cache-Control': components['headers']['NoStore'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimitPolicy'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventDeliveryAttemptList'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      413: components['responses']['PayloadTooLarge'];
      415: components['responses']['UnsupportedMediaType'];
      422: components['responses']['ValidationFailed'];
      429: components['responses']['RateLimited'];
      500: components['responses']['Internal'];
      503: components['responses']['ServiceUnavailable'];
    };
  };
  openapi: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description This document */
      200: {
        headers: {
          'X-Request-Id': components['headers']['RequestId'];
          'X-Content-Type-Options': components['headers']['ContentTypeOptions'];
          'Content-Encoding': components['headers']['ContentEncoding'];
          Vary: components['headers']['Vary'];
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      413: components['responses']['PayloadTooLargePublic'];
      415: components['responses']['UnsupportedMediaTypePublic'];
      422: components['responses']['ValidationFailedPublic'];
      500: components['responses']['InternalPublic'];
      503: components['responses']['ServiceUnavailablePublic'];
    };
  };
}

/** The credential each operation takes (its OpenAPI `security`), by `METHOD /path`; `null`: none. */
export const operationSecurity = {
  'POST /api/projects': 'bearerAuth',
  'GET /api/projects': 'bearerAuth',
  'GET /api/projects/{projectId}': 'bearerAuth',
  'POST /api/projects/{projectId}/scan-runs': 'bearerAuth',
  'GET /api/projects/{projectId}/scan-runs': 'bearerAuth',
  'GET /api/scan-runs/{scanRunId}': 'bearerAuth',
  'GET /api/scan-runs/{scanRunId}/pages': 'bearerAuth',
  'GET /api/scan-runs/{scanRunId}/issues': 'bearerAuth',
  'GET /api/scan-runs/{scanRunId}/report': 'bearerAuth',
  'GET /api/projects/{projectId}/findings': 'bearerAuth',
  'PUT /api/projects/{projectId}/findings/{fingerprint}/triage': 'bearerAuth',
  'DELETE /api/projects/{projectId}/findings/{fingerprint}/triage': 'bearerAuth',
  'POST /api/scanner/results': 'scannerSecret',
  'POST /api/ticket-export-targets': 'bearerAuth',
  'GET /api/ticket-export-targets': 'bearerAuth',
  'GET /api/ticket-export-targets/{targetId}': 'bearerAuth',
  'PATCH /api/ticket-export-targets/{targetId}': 'bearerAuth',
  'DELETE /api/ticket-export-targets/{targetId}': 'bearerAuth',
  'GET /api/ticket-export-targets/{targetId}/deliveries': 'bearerAuth',
  'POST /api/ticket-export-targets/{targetId}/recover': 'bearerAuth',
  'POST /api/ticket-export-targets/{targetId}/rotate-secret': 'bearerAuth',
  'POST /api/ticket-export-targets/{targetId}/enable': 'bearerAuth',
  'POST /api/ticket-export-targets/{targetId}/callbacks': 'targetSignature',
  'POST /api/ticket-exports': 'bearerAuth',
  'GET /api/ticket-exports': 'bearerAuth',
  'POST /api/ticket-exports/{exportId}/approve': 'bearerAuth',
  'GET /api/ticket-exports/{exportId}': 'bearerAuth',
  'GET /api/ticket-exports/{exportId}/attempts': 'bearerAuth',
  'POST /api/ticket-exports/{exportId}/retry': 'bearerAuth',
  'GET /api/event-deliveries/{eventId}/attempts': 'bearerAuth',
  'GET /api/openapi.json': null,
} as const satisfies Record<string, 'bearerAuth' | 'scannerSecret' | 'targetSignature' | null>;
