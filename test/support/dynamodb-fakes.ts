import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { TargetItem } from '../../lib/db/targets-store.ts';
import type { ExportItem } from '../../lib/db/ticket-exports-store.ts';

/** What DynamoDB throws for a failed condition; `item` is the ALL_OLD image it carries, if any. */
export const conditionFailed = (item?: Record<string, unknown>) =>
  Object.assign(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }), {
    Item: item ? marshall(item) : undefined,
  });

/** A cancelled transaction with one reason per entry (`Item`: the ALL_OLD image of a failed one). */
export const transactionCancelled = (reasons: { Code?: string; Item?: Record<string, unknown> }[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((r) => ({ Code: r.Code, Item: r.Item ? marshall(r.Item) : undefined })),
  });

/** A prepared (pending_approval) export as stored. */
export const sampleExport = (): ExportItem => ({
  id: 'exp_0123456789abcdef01234567',
  account_id: 'acc_1',
  status: 'pending_approval',
  target_id: null,
  delivery_id: 'dlv_0123456789abcdef01234567',
  body: '{}',
  round: 0,
  attempts: 0,
  log_seq: 0,
  retry_after_seconds: null,
  next_attempt_at: null,
  last_error_class: null,
  last_status_code: null,
  failure_reason: null,
  blocked_reason: null,
  delivered_at: null,
  scan_run_id: 7,
  issue_fingerprints: ['fp-1'],
  title: 'T',
  preview_safe: true,
  preview_findings: [],
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
  approved_at: null,
});

/** An active target subscribed to ticket exports, as stored. */
export const sampleTarget = (): TargetItem => ({
  id: 'tgt_0123456789abcdef01234567',
  account_id: 'acc_1',
  status: 'active',
  provider_key: 'generic_webhook',
  base_url: 'https://hooks.example.com/x',
  deployment_mode: 'cloud',
  name: 'T',
  events: ['ticket_export'],
  secret_sealed: 'v1.x',
  secret_version: 1,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
});
