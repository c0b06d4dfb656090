import { randomUUID } from 'node:crypto';
import type { SecretReader } from '../aws/secret-reader.ts';
import type { Config } from '../config.ts';
import type { AccountItem } from '../db/accounts-store.ts';
import type { Db } from '../db/client.ts';
import {
  type AttemptInputsReader,
  type AttemptLogItem,
  type AttemptOutcomeWriter,
  type AttemptWants,
  completeAttempt,
  type DeliveryPayload,
  type DeliveryRef,
  type DeliveryState,
  deferUnderLease,
  EARLY_TOLERANCE_MS,
  type NextState,
  NO_DELIVERY_OUTCOME,
  readAttemptInputs,
  takeLease,
} from '../db/deliveries-store.ts';
import type { TransactItem } from '../db/dynamo.ts';
import { eventRef } from '../db/events-store.ts';
import {
  disableTargetTransactItem,
  type TargetAfterAttempt,
  type TargetItem,
  targetAfterAttemptTransactItem,
} from '../db/targets-store.ts';
import { exportRef } from '../db/ticket-exports-store.ts';
import { logger } from '../logger.ts';
import { type PinnedResponse, pinnedPostToAny } from '../net/pinned-request.ts';
import type { Resolver } from '../net/target-url.ts';
import type { DeliveryMessage } from '../queue/definitions.ts';
import type { Runtime } from '../runtime.ts';
import { signWebhook } from '../webhooks/signing.ts';
import {
  type AttemptErrorClass,
  type Classification,
  classifyNetworkError,
  classifyStatus,
} from './delivery-outcome.ts';
import type { BlockedReason } from './delivery-vocabulary.ts';
import { redactResponseBody } from './response-body.ts';
import { nextRetryDelaySeconds, parseRetryAfter } from './retry-policy.ts';
import { type AttemptResult, targetHealthChange } from './target-health.ts';
import { judgeTargetUrl } from './target-url-check.ts';
import { openSigningSecrets, pausedUntil, planRefusal } from './targets.ts';
import { parseTicketRef } from './ticket-ref.ts';

/**
 * Sends one webhook delivery (a ticket export or an event) for one SQS message:
 * lease (with the payload, target and account read beside it) → re-check the target → sign → POST to
 * the checked address → record attempt and next state: two DynamoDB round trips; the lease is the
 * message's own request, the read and the outcome transaction are shared by its batch (`deps.reader`,
 * `deps.outcomes`), so a batch of N messages costs N + 2 requests when its outcomes touch distinct
 * items (docs/ticket-exports.md, "What one attempt costs"). What to do with the message is returned
 * to the worker (lib/queue/delivery-batch.ts).
 */
export interface DeliveryDeps {
  db: Db;
  config: Config;
  /** Secrets Manager, for the target-secrets key on AWS (WRO_TARGET_SECRETS_KEY_ARN). */
  secrets?: SecretReader;
  now?: () => number;
  /** DNS for the send-time target re-check (default: the system's). */
  resolve?: Resolver;
  /** Runs after the send and before its outcome is written (tests crash a worker there). */
  afterSend?: Runtime['afterSend'];
  /**
   * Where the first read of an attempt goes: the batch's shared read (lib/queue/delivery-batch.ts), or
   * by default a read of this delivery's own.
   */
  reader?: AttemptInputsReader;
  /**
   * Where the attempt's outcome is written: the transaction its batch shares
   * (lib/db/attempt-outcome-batch.ts), or by default one of this delivery's own.
   */
  outcomes?: AttemptOutcomeWriter;
}

export interface MessageContext {
  messageId: string;
  /** ApproximateReceiveCount (diagnostics and the poison rule only; attempts are counted in DynamoDB). */
  receiveCount: number;
}

export type MessageDecision =
  /** Done with this message (delivered, final, or a duplicate): delete it. */
  | { action: 'ack'; reason: string }
  /** Keep the message and make it visible again after the delay (a retry or a deferral). */
  | { action: 'retry_later'; delaySeconds: number; reason: string }
  /** Poison: release it at once so the queue's redrive policy moves it to the DLQ. */
  | { action: 'dead_letter'; reason: string };

interface DeliveryKind {
  type: DeliveryMessage['type'];
  ref(id: string): DeliveryRef;
  successStatus: 'exported' | 'delivered';
  eventName(record: DeliveryState & { event_type?: string }): string;
  /** Whether a receiver's 2xx answer may name the ticket it created (docs/ticket-exports.md). */
  recordsTicket: boolean;
}

export const DELIVERY_KINDS: Record<DeliveryMessage['type'], DeliveryKind> = {
  ticket_export: {
    type: 'ticket_export',
    ref: exportRef,
    successStatus: 'exported',
    eventName: () => 'ticket_export',
    recordsTicket: true,
  },
  event: {
    type: 'event',
    ref: eventRef,
    successStatus: 'delivered',
    eventName: (r) => r.event_type ?? 'event',
    recordsTicket: false,
  },
};

export const USER_AGENT = 'WebRiskOps-Webhooks/1.0';

export function messageTarget(message: DeliveryMessage): { kind: DeliveryKind; id: string } {
  return message.type === 'ticket_export'
    ? { kind: DELIVERY_KINDS.ticket_export, id: message.export_id }
    : { kind: DELIVERY_KINDS.event, id: message.event_id };
}

/** What a message's attempt reads beside its lease: the payload, and the target and account it names. */
export function attemptReads(message: DeliveryMessage): { ref: DeliveryRef; want: AttemptWants } {
  const { kind, id } = messageTarget(message);
  return {
    ref: kind.ref(id),
    want: { payload: true, targetId: message.target_id, accountId: message.account_id },
  };
}

type Decision = { take: true } | { take: false; decision: MessageDecision };

/** How soon a delivery the receiver refused for the previous secret is tried with the current one. */
export const ROTATION_RETRY_SECONDS = 2;

/** What a message should do given the record's current state (before any write). */
export function decide(
  record: DeliveryState,
  kind: DeliveryKind,
  ctx: MessageContext,
  nowMs: number,
): Decision {
  switch (record.status) {
    case 'queued':
      return { take: true };
    case 'retry_scheduled': {
      const due = record.next_attempt_ms ?? 0;
      if (due > nowMs + EARLY_TOLERANCE_MS) {
        return {
          take: false,
          decision: {
            action: 'retry_later',
            delaySeconds: Math.ceil((due - nowMs) / 1000),
            reason: 'not_due',
          },
        };
      }
      return { take: true };
    }
    case 'delivering': {
      const leaseUntil = record.lease_expires_at ?? 0;
      if (leaseUntil >= nowMs && record.lease_holder !== ctx.messageId) {
        // Another message holds a live lease. This one comes back once the lease has expired rather
        // than being dropped: the holder's message may be gone (a local SQS that lost its messages in a
        // crash, re-driven from DynamoDB), and then this message is what carries the delivery on. If the
        // holder finished, this one then finds the delivery done (or not due) and goes.
        return {
          take: false,
          decision: {
            action: 'retry_later',
            delaySeconds: Math.max(1, Math.ceil((leaseUntil - nowMs) / 1000) + 1),
            reason: 'lease_held',
          },
        };
      }
      return { take: true };
    }
    case 'failed':
      // A delivery failed by the poison rule keeps sending its message to the DLQ.
      return record.failure_reason === 'processing_error'
        ? { take: false, decision: { action: 'dead_letter', reason: 'processing_error' } }
        : { take: false, decision: { action: 'ack', reason: 'final' } };
    case kind.successStatus:
    case 'blocked':
      return { take: false, decision: { action: 'ack', reason: 'final' } };
    default:
      // pending_approval, or a status of the other kind: nothing to send for this message.
      return { take: false, decision: { action: 'ack', reason: 'not_deliverable' } };
  }
}

/**
 * Processes one message. Throws only for unexpected failures (DynamoDB errors, a secret that does not
 * decrypt…), which the worker handles with its poison rule.
 */
export async function processDelivery(
  deps: DeliveryDeps,
  message: DeliveryMessage,
  ctx: MessageContext,
): Promise<MessageDecision> {
  const { kind, id } = messageTarget(message);
  const ref = kind.ref(id);
  const now = deps.now ?? Date.now;
  const lease = () =>
    takeLease(deps.db, ref, {
      holder: ctx.messageId,
      leaseId: randomUUID(),
      nowMs: now(),
      leaseMs: deps.config.delivery.leaseSeconds * 1000,
    });
  // Round trip 1: the lease, and beside it everything the attempt reads (a refused lease wastes the
  // read, which is rarer and cheaper than a round trip on every attempt).
  let [outcome, inputs] = await Promise.all([
    lease(),
    deps.reader
      ? deps.reader.read(ref, attemptReads(message).want)
      : readAttemptInputs(deps.db, ref, attemptReads(message).want),
  ]);
  for (let pass = 1; outcome.kind === 'refused'; pass++) {
    if (!outcome.current) return { action: 'dead_letter', reason: 'unknown_delivery' };
    const decision = decide(outcome.current, kind, ctx, now());
    if (!decision.take) return decision.decision;
    // Takeable by the time it was judged (the state moved on between the write and now): once more.
    if (pass >= 3) return { action: 'ack', reason: 'contended' };
    outcome = await lease();
  }
  const record = outcome.record;
  // The message's ids were stale or missing (an older message, a retry to another target): read the
  // delivery's own target and account now, a second round trip only then.
  const targetId = record.target_id ?? undefined;
  const staleTarget = targetId !== undefined && inputs.target?.id !== targetId;
  const staleAccount = inputs.account?.id !== record.account_id;
  if (staleTarget || staleAccount) {
    inputs = {
      ...inputs,
      ...(await readAttemptInputs(deps.db, ref, {
        payload: false,
        targetId: staleTarget ? targetId : undefined,
        accountId: staleAccount ? record.account_id : undefined,
      })),
    };
  }
  // Items written before payloads had their own item carry the body inline (docs/deploy.md, "Upgrades: delivery payloads").
  const payload = inputs.payload ?? inlinePayload(record);
  if (!payload) throw new Error(`delivery ${ref.key.pk} has no payload`);
  return attemptUnderLease(deps, kind, id, ref, record, {
    payload,
    target: targetId === undefined ? undefined : inputs.target,
    account: inputs.account,
  });
}

function inlinePayload(record: DeliveryState): DeliveryPayload | undefined {
  const body = (record as Partial<DeliveryPayload>).body;
  return typeof body === 'string' ? { body } : undefined;
}

/** What one attempt works with besides its leased state. */
interface SendInputs {
  payload: DeliveryPayload;
  target?: TargetItem;
  account?: AccountItem;
}

function blockedReasonFor(
  record: DeliveryState,
  target: TargetItem | undefined,
  account: AccountItem | undefined,
): BlockedReason | undefined {
  if (!target || target.account_id !== record.account_id) return 'target_missing';
  if (target.status !== 'active') return 'target_disabled';
  if (!account || planRefusal(account.plan, target.provider_key, target.deployment_mode)) {
    return 'target_not_allowed';
  }
  return undefined;
}

const BLOCKED_ERROR_CLASS: Record<BlockedReason, AttemptErrorClass> = {
  target_disabled: 'target_disabled',
  target_not_allowed: 'target_not_allowed',
  target_url_unsafe: 'target_url_unsafe',
  target_missing: 'target_missing',
};

async function attemptUnderLease(
  deps: DeliveryDeps,
  kind: DeliveryKind,
  id: string,
  ref: DeliveryRef,
  record: DeliveryState & { event_type?: string },
  { payload, target, account }: SendInputs,
): Promise<MessageDecision> {
  const now = deps.now ?? Date.now;
  const leaseId = record.lease_id as string;
  const cfg = deps.config.delivery;
  const attempt = record.attempts + 1;
  const seq = (record.log_seq ?? 0) + 1;
  const startedAt = new Date(now()).toISOString();
  const base = {
    round: record.round,
    attempt,
    at: startedAt,
    status_code: null,
    duration_ms: null,
    retry_after_seconds: null,
    response_body: null,
  };
  const idle: Omit<NextState, 'status'> = {
    attempts: attempt,
    ...NO_DELIVERY_OUTCOME,
  };

  /**
   * The target's writes of this attempt: the disable when it has been failing too long, or one
   * update with what the attempt learnt and the failing streak (docs/ticket-exports.md, "Disable").
   */
  const targetWrites = (
    result: AttemptResult | 'neutral',
    learnt: TargetAfterAttempt = {},
  ): TransactItem[] => {
    if (!target) return [];
    const at = new Date(now()).toISOString();
    const health =
      result === 'neutral'
        ? ({ kind: 'none' } as const)
        : targetHealthChange(target, result, now(), {
            disableAfterSeconds: cfg.disableAfterFailingSeconds,
            maxGapMs: 2 * cfg.maxDelaySeconds * 1000,
          });
    if (health.kind === 'disable') {
      return [disableTargetTransactItem(deps.db, target.id, at, 'receiver_failing')];
    }
    const update = targetAfterAttemptTransactItem(deps.db, target.id, {
      ...learnt,
      ...(health.kind === 'failing_since' ? { failingSinceMs: health.atMs } : {}),
      ...(health.kind === 'still_failing' ? { failingLastMs: health.atMs } : {}),
      ...(health.kind === 'recovered' ? { recovered: true } : {}),
    });
    return update ? [update] : [];
  };

  const finish = async (
    log: AttemptLogItem,
    next: NextState,
    decision: MessageDecision,
    extra: TransactItem[] = [],
  ) => {
    const outcome = { leaseId, seq, log, next, at: new Date(now()).toISOString(), extra };
    const written = await (deps.outcomes
      ? deps.outcomes.complete(ref, outcome)
      : completeAttempt(deps.db, ref, outcome));
    if (!written) {
      // The lease expired and another worker took over; it owns the delivery now.
      logger.warn('delivery lease lost before the outcome was written', { kind: kind.type, id });
      return { action: 'ack', reason: 'lease_lost' } as MessageDecision;
    }
    logger.info('delivery attempt', {
      kind: kind.type,
      id,
      attempt,
      outcome: log.outcome,
      status_code: log.status_code,
      error_class: log.error_class,
    });
    return decision;
  };

  const scheduleRetry = async (
    errorClass: AttemptErrorClass,
    response?: PinnedResponse,
    durationMs?: number,
    /** The receiver rejected the previous secret: retry within seconds with the current one. */
    soon?: { delaySeconds: number },
  ) => {
    const logFields = {
      ...base,
      status_code: response?.status ?? null,
      duration_ms: durationMs ?? null,
      error_class: errorClass,
      response_body: response ? redactResponseBody(response.body) : null,
    };
    // A 429 or 503 with Retry-After pauses the whole target: its other deliveries wait it out too.
    const pauseSeconds =
      response && (response.status === 429 || response.status === 503)
        ? parseRetryAfter(response.headers['retry-after'], now())
        : undefined;
    // An answer to the previous secret during a rotation is not a failure of the receiver.
    const writes = targetWrites(soon ? 'neutral' : 'failure', {
      ...(pauseSeconds !== undefined ? { pausedUntilMs: now() + pauseSeconds * 1000 } : {}),
      ...(soon ? { receiverUsesCurrentSecret: true } : {}),
    });
    if (attempt >= cfg.maxAttempts) {
      return finish(
        { ...logFields, outcome: 'failed' },
        {
          ...idle,
          status: 'failed',
          last_error_class: errorClass,
          last_status_code: response?.status ?? null,
          failure_reason: 'attempts_exhausted',
        },
        { action: 'ack', reason: 'attempts_exhausted' },
        writes,
      );
    }
    const { delaySeconds } =
      soon ?? nextRetryDelaySeconds(attempt, cfg, response?.headers['retry-after'], { nowMs: now() });
    const nextMs = now() + delaySeconds * 1000;
    return finish(
      { ...logFields, outcome: 'retry_scheduled', retry_after_seconds: delaySeconds },
      {
        ...idle,
        status: 'retry_scheduled',
        retry_after_seconds: delaySeconds,
        next_attempt_at: new Date(nextMs).toISOString(),
        next_attempt_ms: nextMs,
        last_error_class: errorClass,
        last_status_code: response?.status ?? null,
      },
      { action: 'retry_later', delaySeconds, reason: errorClass },
      writes,
    );
  };

  /** The target is paused: give the delivery back until the pause ends, without an attempt. */
  const defer = async (untilMs: number): Promise<MessageDecision> => {
    const at = new Date(now()).toISOString();
    if (!(await deferUnderLease(deps.db, ref, { leaseId, nextMs: untilMs, at }))) {
      return { action: 'ack', reason: 'lease_lost' };
    }
    logger.info('delivery deferred while its target is paused', {
      kind: kind.type,
      id,
      attempts: record.attempts,
    });
    return {
      action: 'retry_later',
      delaySeconds: Math.max(1, Math.ceil((untilMs - now()) / 1000)),
      reason: 'target_paused',
    };
  };

  const block = (reason: BlockedReason) =>
    finish(
      { ...base, outcome: 'blocked', error_class: BLOCKED_ERROR_CLASS[reason] },
      { ...idle, status: 'blocked', blocked_reason: reason, last_error_class: BLOCKED_ERROR_CLASS[reason] },
      { action: 'ack', reason },
    );

  // Re-check the target at send time: still there, active, allowed by the plan, URL still safe (it
  // and the account were read consistently beside the lease).
  const blocked = blockedReasonFor(record, target, account);
  if (blocked || !target) return block(blocked ?? 'target_missing');
  const pausedTill = pausedUntil(target, now());
  if (pausedTill !== undefined) return defer(pausedTill);
  const verdict = await judgeTargetUrl(target.base_url, deps.config.allowPrivateTargets, deps.resolve);
  if (verdict.kind === 'unsafe') return block('target_url_unsafe');
  // A name that does not resolve right now is a transient failure (DNS), not an unsafe target.
  if (verdict.kind === 'unresolved') return scheduleRetry('dns_error');

  // Inside a rotation's grace window both secrets sign webhook-signature, and X-WebRiskOps-Signature
  // (one value, compared whole by the documented PHP snippet) uses the one the receiver accepts: the
  // previous secret until the receiver rejects it (docs/ticket-exports.md, "Rotation").
  const secrets = await openSigningSecrets(deps, target, now());
  const signWith =
    secrets.previous && target.receiver_secret !== 'current' ? secrets.previous : secrets.current;
  const other = [secrets.current, secrets.previous].filter(
    (s): s is string => s !== undefined && s !== signWith,
  );
  const headers = {
    ...signWebhook({
      secret: signWith,
      alsoSignStandardWith: other,
      body: payload.body,
      deliveryId: record.delivery_id,
    }),
    'X-WebRiskOps-Event': kind.eventName(record),
    'User-Agent': USER_AGENT,
    Accept: 'application/json',
  };
  const started = performance.now();
  let response: PinnedResponse | undefined;
  let classification: Classification;
  try {
    response = await pinnedPostToAny(verdict.target.url, verdict.target.addresses, {
      headers,
      body: payload.body,
      timeoutMs: cfg.timeoutMs,
    });
    classification = classifyStatus(response.status);
  } catch (err) {
    const network = classifyNetworkError(err);
    if (!network) throw err;
    classification = network;
  }
  const durationMs = response?.durationMs ?? Math.round(performance.now() - started);
  await deps.afterSend?.({ kind: kind.type, id, deliveryId: record.delivery_id });

  const logged = {
    ...base,
    status_code: response?.status ?? null,
    duration_ms: durationMs,
    response_body: response ? redactResponseBody(response.body) : null,
  };
  // The receiver rejected the previous secret inside the grace window: it has switched. The next
  // attempt, within seconds, signs with the current one, and so do the target's later deliveries.
  const rejectedPrevious =
    signWith === secrets.previous &&
    (response?.status === 401 || response?.status === 403) &&
    attempt < cfg.maxAttempts;
  if (rejectedPrevious) {
    return scheduleRetry('http_client_error', response, durationMs, {
      delaySeconds: ROTATION_RETRY_SECONDS,
    });
  }
  switch (classification.kind) {
    case 'success': {
      const ticket = kind.recordsTicket && response ? parseTicketRef(response.body) : undefined;
      return finish(
        { ...logged, outcome: 'delivered', error_class: null },
        {
          ...idle,
          status: kind.successStatus,
          last_status_code: response?.status ?? null,
          delivered_at: new Date(now()).toISOString(),
          ...(ticket ? { ticket } : {}),
        },
        { action: 'ack', reason: 'delivered' },
        targetWrites('success'),
      );
    }
    case 'retry':
      return scheduleRetry(classification.errorClass, response, durationMs);
    case 'gone':
      return finish(
        { ...logged, outcome: 'failed', error_class: 'http_gone' },
        {
          ...idle,
          status: 'failed',
          failure_reason: 'receiver_gone',
          last_error_class: 'http_gone',
          last_status_code: response?.status ?? null,
        },
        { action: 'ack', reason: 'receiver_gone' },
        [disableTargetTransactItem(deps.db, target.id, new Date(now()).toISOString(), 'receiver_gone')],
      );
    case 'permanent':
      return finish(
        { ...logged, outcome: 'failed', error_class: classification.errorClass },
        {
          ...idle,
          status: 'failed',
          failure_reason: 'receiver_rejected',
          last_error_class: classification.errorClass,
          last_status_code: response?.status ?? null,
        },
        { action: 'ack', reason: 'receiver_rejected' },
        // The receiver is up and answered: a rejection is about this delivery, not a failing target.
        targetWrites('neutral'),
      );
  }
}
