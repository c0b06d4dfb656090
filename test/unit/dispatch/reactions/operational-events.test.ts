import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportFailedNotify } from '../../../../lib/dispatch/reactions/export-failed-notify.ts';
import { targetDisabledNotify } from '../../../../lib/dispatch/reactions/target-disabled-notify.ts';
import { eventDeliveryId } from '../../../../lib/domain/event-deliveries.ts';
import { change, ddbMock, resetMocks, rt } from './harness.ts';

beforeEach(resetMocks);

const target = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  account_id: 'acc_1',
  status: 'active',
  name: `Target ${id}`,
  base_url: `https://${id}.example.com/hooks`,
  events: ['ticket_export', 'target.disabled', 'export.failed'],
  secret_sealed: 'v1.sealed',
  ...over,
});

/** The account's targets as listTargets reads them; the puts of the created event deliveries. */
function created() {
  return ddbMock.commandCalls(TransactWriteCommand).map((c) => {
    const [state, payload] = c.args[0].input.TransactItems!;
    return { state: state!.Put!.Item!, body: JSON.parse(payload!.Put!.Item!.body as string) };
  });
}

describe('target.disabled', () => {
  const disabled = target('tgt_gone', {
    status: 'disabled',
    disabled_reason: 'receiver_gone',
    disabled_at: '2026-12-01T00:00:00.000Z',
  });

  it('is announced when a delivery disabled the target, not when the customer did', () => {
    const before = target('tgt_gone');
    expect(targetDisabledNotify.matches(change('TARGET', before, disabled))).toBe(true);
    expect(
      targetDisabledNotify.matches(
        change('TARGET', before, { ...disabled, disabled_reason: 'receiver_failing' }),
      ),
    ).toBe(true);
    expect(
      targetDisabledNotify.matches(
        change('TARGET', before, { ...disabled, disabled_reason: 'disabled_by_user' }),
      ),
    ).toBe(false);
    expect(targetDisabledNotify.matches(change('TARGET', disabled, { ...disabled, name: 'x' }))).toBe(false);
  });

  it('goes to the other active subscribed targets, signed like any delivery, never to the disabled one', async () => {
    ddbMock.on(QueryCommand).resolves({
      Items: [
        disabled,
        target('tgt_ops'),
        target('tgt_unsubscribed', { events: ['ticket_export'] }),
        target('tgt_off', { status: 'disabled' }),
      ],
    });
    ddbMock.on(TransactWriteCommand).resolves({});
    await targetDisabledNotify.run(change('TARGET', target('tgt_gone'), disabled), rt);
    const [only, ...rest] = created();
    expect(rest).toEqual([]);
    expect(only!.state).toMatchObject({
      target_id: 'tgt_ops',
      event_type: 'target.disabled',
      status: 'queued',
      id: eventDeliveryId('target.disabled', 'tgt_gone\n2026-12-01T00:00:00.000Z', 'tgt_ops'),
    });
    expect(only!.body).toEqual({
      type: 'target.disabled',
      event_id: only!.state.id,
      occurred_at: '2026-12-01T00:00:00.000Z',
      target: {
        id: 'tgt_gone',
        name: 'Target tgt_gone',
        disabled_reason: 'receiver_gone',
        disabled_at: '2026-12-01T00:00:00.000Z',
      },
    });
    // Nothing secret leaves with it: no sealed secret, and not the URL (often a secret itself).
    expect(JSON.stringify(only!.body)).not.toContain('sealed');
    expect(JSON.stringify(only!.body)).not.toContain('example.com');
  });
});

describe('export.failed', () => {
  const failed = {
    id: 'exp_1',
    account_id: 'acc_1',
    scan_run_id: 7,
    title: 'Fix it',
    status: 'failed',
    target_id: 'tgt_gone',
    delivery_id: 'dlv_1',
    round: 2,
    attempts: 21,
    failure_reason: 'attempts_exhausted',
    last_error_class: 'http_server_error',
    last_status_code: 503,
    updated_at: '2026-12-01T00:00:00.000Z',
  };

  it('is one event per failed round, to the other subscribed targets', async () => {
    expect(exportFailedNotify.matches(change('EXPORT', { ...failed, status: 'delivering' }, failed))).toBe(
      true,
    );
    expect(exportFailedNotify.matches(change('EXPORT', failed, { ...failed, updated_at: 'later' }))).toBe(
      false,
    );
    ddbMock.on(QueryCommand).resolves({ Items: [target('tgt_gone'), target('tgt_ops')] });
    ddbMock.on(TransactWriteCommand).resolves({});
    await exportFailedNotify.run(change('EXPORT', { ...failed, status: 'delivering' }, failed), rt);
    const [only, ...rest] = created();
    expect(rest).toEqual([]);
    expect(only!.state).toMatchObject({
      target_id: 'tgt_ops',
      event_type: 'export.failed',
      id: eventDeliveryId('export.failed', 'exp_1\n2', 'tgt_ops'),
    });
    expect(only!.body.export).toEqual({
      id: 'exp_1',
      scan_run_id: 7,
      title: 'Fix it',
      target_id: 'tgt_gone',
      delivery_id: 'dlv_1',
      round: 2,
      attempts: 21,
      failure_reason: 'attempts_exhausted',
      last_error_class: 'http_server_error',
      last_status_code: 503,
    });
  });
});
