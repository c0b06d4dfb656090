import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config.ts';
import type { Db } from '../../../lib/db/client.ts';
import { applyPlan } from '../../../lib/db/commit.ts';
import { readFindingTickets, recordFindingTicket } from '../../../lib/db/finding-tickets-store.ts';
import { keys } from '../../../lib/db/keys.ts';
import type { ScanRunItem } from '../../../lib/db/scan-runs-store.ts';
import { getExport } from '../../../lib/db/ticket-exports-store.ts';
import { exportTicketed } from '../../../lib/dispatch/reactions/export-ticketed.ts';
import { createAccount } from '../../../lib/domain/accounts.ts';
import { processDelivery } from '../../../lib/domain/delivery.ts';
import { eventDeliveryId, notifyEvent } from '../../../lib/domain/event-deliveries.ts';
import { planPrepareExport } from '../../../lib/domain/ticket-export-prepare.ts';
import { planApprove, toExportView } from '../../../lib/domain/ticket-exports.ts';
import { type ReferenceReceiver, startReferenceReceiver } from '../../../lib/webhooks/reference-receiver.ts';
import { createTestTable } from '../../support/local-stack.ts';
import { createTarget } from '../../support/plans.ts';

/**
 * Ticket references (docs/ticket-exports.md): the receiver's answer names its ticket, the export keeps
 * it, its findings record it (dispatcher reaction), and a later export of one of them is flagged.
 */
let db: Db;
let receiver: ReferenceReceiver;
let account: { accountId: string; plan: string };
let targetId: string;
const config = parseConfig({
  WRO_TABLE_NAME: 'set-below',
  WRO_TARGET_SECRETS_KEY: randomBytes(32).toString('base64'),
  WRO_ALLOW_PRIVATE_TARGETS: '1',
});
const PROJECT = 'prj_0123456789abcdef01234567';
const issues = new Map(
  ['fp-missing-csp-1', 'fp-open-redirect-2', 'fp-weak-tls-0003'].map((fp) => [
    fp,
    { fingerprint: fp, severity: 'high', title: `Issue ${fp}`, category: 'security', type: 'x' },
  ]),
);
let runId = 0;

async function completedRun(): Promise<ScanRunItem> {
  const now = new Date().toISOString();
  const run: ScanRunItem = {
    id: 900_000 + ++runId,
    account_id: account.accountId,
    project_id: PROJECT,
    status: 'completed',
    credit_reserved: false,
    counters: null,
    error: null,
    report_status: 'not_started',
    temp_prefix: 'tmp/x',
    ingest_id: 'ing',
    created_at: now,
    updated_at: now,
    completed_at: now,
  } as ScanRunItem;
  await db.doc.send(new PutCommand({ TableName: db.table, Item: { ...keys.scanRun(run.id), ...run } }));
  return run;
}

const prepare = async (run: ScanRunItem, fingerprints: string[]) =>
  applyPlan(
    db,
    await planPrepareExport(
      { db, readIssues: async (_db, _run, fps) => new Map(fps.map((fp) => [fp, issues.get(fp)!])) },
      account,
      { scan_run_id: run.id, issue_fingerprints: fingerprints },
    ),
  );

async function deliver(exportId: string) {
  await applyPlan(db, await planApprove(db, account, exportId, targetId));
  const decision = await processDelivery(
    { db, config },
    { type: 'ticket_export', export_id: exportId },
    { messageId: `m-${exportId}`, receiveCount: 1 },
  );
  expect(decision).toMatchObject({ action: 'ack', reason: 'delivered' });
  const stored = (await getExport(db, exportId, true))!;
  // What the dispatcher hands the reaction: the committed change of the export's state item.
  const change = {
    eventName: 'MODIFY' as const,
    keys: keys.ticketExport(exportId),
    oldImage: { ...stored, status: 'delivering' },
    newImage: { ...stored },
  };
  return { stored, change };
}

beforeAll(async () => {
  db = await createTestTable();
  config.tableName = db.table;
  receiver = await startReferenceReceiver({ secrets: [], print: () => {} });
  account = { accountId: (await createAccount(db, { name: 'Acme', plan: 'team' })).id, plan: 'team' };
  const created = await createTarget({ db, config }, account, {
    provider_key: 'generic_webhook',
    base_url: `${receiver.url}/hooks`,
    deployment_mode: 'cloud',
    name: 'Tracker',
    events: ['ticket_export', 'scan_run.failed'],
  });
  targetId = created.target.id;
  receiver.setSecrets([created.signingSecret]);
});
afterAll(async () => {
  await receiver?.close();
});

describe('ticket references', () => {
  it('keeps the ticket on the export, records it per finding, and flags a second export', async () => {
    const run = await completedRun();
    const first = await prepare(run, ['fp-missing-csp-1', 'fp-open-redirect-2']);
    expect(toExportView(first, config)).toMatchObject({ ticketed_findings: [], ticket: null });

    const { stored, change } = await deliver(first.id);
    const made = receiver.tickets.get(first.delivery_id)!;
    expect(made.id).toMatch(/^REF-\d+$/);
    expect(stored.ticket).toEqual(made);
    expect(toExportView(stored, config).ticket).toEqual(made);

    expect(exportTicketed.matches(change)).toBe(true);
    await exportTicketed.run(change, { db } as never);
    await exportTicketed.run(change, { db } as never); // a replayed stream record: same items
    const recorded = await readFindingTickets(db, PROJECT, [
      'fp-missing-csp-1',
      'fp-open-redirect-2',
      'fp-weak-tls-0003',
    ]);
    expect([...recorded.keys()].sort()).toEqual(['fp-missing-csp-1', 'fp-open-redirect-2']);
    expect(recorded.get('fp-open-redirect-2')).toMatchObject({
      ticket: made,
      export_id: first.id,
      target_id: targetId,
    });

    // A later export of the same project with one ticketed finding: flagged, still approvable.
    const second = await prepare(await completedRun(), ['fp-open-redirect-2', 'fp-weak-tls-0003']);
    expect(toExportView(second, config).ticketed_findings).toEqual([
      { fingerprint: 'fp-open-redirect-2', ticket: made, export_id: first.id },
    ]);
    expect((await getExport(db, second.id, true))!.ticketed_findings).toHaveLength(1);
    await deliver(second.id);
  });

  it('refuses (422) an export whose body and ticket references together would not fit one item', async () => {
    const fps = Array.from({ length: 100 }, (_, i) => `fp-big-${String(i).padStart(4, '0')}`);
    const big = new Map(
      fps.map((fp) => [fp, { fingerprint: fp, severity: 'low', title: 'Big', evidence: 'e'.repeat(2_300) }]),
    );
    const run = await completedRun();
    const plan = () =>
      planPrepareExport(
        { db, readIssues: async (_db, _run, want) => new Map(want.map((fp) => [fp, big.get(fp)!])) },
        account,
        { scan_run_id: run.id, issue_fingerprints: fps },
      );
    // Without references the body alone fits (it is under 256 KB).
    expect(Buffer.byteLength((await plan()).result.body)).toBeLessThan(256 * 1024);
    for (const fp of fps) {
      await recordFindingTicket(db, {
        project_id: PROJECT,
        fingerprint: fp,
        ticket: { id: `T-${fp}`, url: `https://tracker.example.com/${'u'.repeat(2_000)}` },
        export_id: 'exp_x',
        target_id: targetId,
        ticketed_at: new Date().toISOString(),
      });
    }
    await expect(plan()).rejects.toMatchObject({
      status: 422,
      details: [{ field: 'issue_fingerprints', message: expect.stringContaining('ticket references') }],
    });
  });

  it('an older ticket never replaces a newer one (replays out of order)', async () => {
    const base = {
      project_id: PROJECT,
      fingerprint: 'fp-order-test-1',
      export_id: 'exp_x',
      target_id: targetId,
    };
    expect(
      await recordFindingTicket(db, {
        ...base,
        ticket: { id: 'NEW', url: null },
        ticketed_at: '2026-02-02T00:00:00.000Z',
      }),
    ).toBe(true);
    expect(
      await recordFindingTicket(db, {
        ...base,
        ticket: { id: 'OLD', url: null },
        ticketed_at: '2026-01-01T00:00:00.000Z',
      }),
    ).toBe(false);
    expect(
      (await readFindingTickets(db, PROJECT, ['fp-order-test-1'])).get('fp-order-test-1')?.ticket.id,
    ).toBe('NEW');
  });

  it('reads the ticket from a long answer (the whole issue the receiver created, beyond 2 KB)', async () => {
    const exp = await prepare(await completedRun(), ['fp-missing-csp-1']);
    const long = JSON.stringify({
      issue: { description: 'd'.repeat(20_000) },
      ticket: { id: 'LONG-1', url: null },
    });
    receiver.setScript([{ status: 201, body: long }]);
    const { stored } = await deliver(exp.id);
    expect(stored.ticket).toEqual({ id: 'LONG-1', url: null });
  });

  it('an answer without a ticket records none, and the reaction does not run', async () => {
    const run = await completedRun();
    const exp = await prepare(run, ['fp-weak-tls-0003']);
    receiver.setScript([{ status: 202, body: '{"queued":true}' }]);
    const { stored, change } = await deliver(exp.id);
    expect(stored).not.toHaveProperty('ticket');
    expect(exportTicketed.matches(change)).toBe(false);
  });

  it('an event delivery records no ticket, whatever the receiver answers', async () => {
    await notifyEvent(db, {
      type: 'scan_run.failed',
      subject: 'ticket-test',
      accountId: account.accountId,
      body: (eventId) => ({ type: 'scan_run.failed', event_id: eventId }),
    });
    const id = eventDeliveryId('scan_run.failed', 'ticket-test', targetId);
    receiver.setScript([{ status: 200, body: '{"ticket":{"id":"EVT-1"}}' }]);
    const decision = await processDelivery(
      { db, config },
      { type: 'event', event_id: id },
      { messageId: 'm-event', receiveCount: 1 },
    );
    expect(decision).toMatchObject({ reason: 'delivered' });
    const { Item } = await db.doc.send(new GetCommand({ TableName: db.table, Key: keys.eventDelivery(id) }));
    expect(Item).toMatchObject({ status: 'delivered' });
    expect(Item).not.toHaveProperty('ticket');
  });
});
