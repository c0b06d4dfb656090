import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config.ts';
import { seal, secretKeyFromString } from '../../../lib/crypto/secret-box.ts';
import type { Db } from '../../../lib/db/client.ts';
import { keys } from '../../../lib/db/keys.ts';
import type { TargetItem } from '../../../lib/db/targets-store.ts';
import { authenticateTargetCallback, triageReasonOf } from '../../../lib/domain/target-callbacks.ts';
import { type AppError, ValidationError } from '../../../lib/errors.ts';
import { parseOrThrow } from '../../../lib/schemas/parse.ts';
import { TicketCallbackSchema } from '../../../lib/schemas/target-callbacks.ts';
import type { SignatureHeaders } from '../../../lib/webhooks/callback-signature.ts';
import { computeStandardWebhooksSignature, generateSigningSecret } from '../../../lib/webhooks/signing.ts';
import { sampleTarget } from '../../support/dynamodb-fakes.ts';

/**
 * Which requests authenticate as a target (lib/domain/target-callbacks.ts): signed with the target's
 * current secret, or with the previous one while its rotation grace window is open; everything else is
 * the same 401 SIGNATURE_INVALID, whether or not the target exists. DynamoDB is mocked; the secrets are
 * sealed with the real secret box.
 */
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const ddbMock = mockClient(doc);
const db: Db = { doc, table: 't' };
const config = parseConfig({
  WRO_TABLE_NAME: 'table',
  WRO_TARGET_SECRETS_KEY: Buffer.alloc(32, 9).toString('base64'),
});
const key = secretKeyFromString(config.targetSecretsKey as string);

const NOW_MS = 1_767_225_600_000;
const NOW = NOW_MS / 1000;
const CURRENT = generateSigningSecret();
const PREVIOUS = generateSigningSecret();
const FOREIGN = generateSigningSecret(); // another account's target's secret
const BODY = Buffer.from('{"type":"risk.accepted","project_id":"prj_0123456789abcdef01234567"}');

const base = sampleTarget();
const target = (over: Partial<TargetItem> = {}): TargetItem => ({
  ...base,
  secret_sealed: seal(key, CURRENT, base.id),
  ...over,
});
const withPrevious = (expiresMs: number) =>
  target({ previous_secret_sealed: seal(key, PREVIOUS, base.id), previous_secret_expires_ms: expiresMs });

/** The table holds this target (or none) and its account (unless `account: false`). */
function stored(t: TargetItem | undefined, opts: { account?: boolean } = {}) {
  ddbMock.on(GetCommand).resolves({});
  if (t)
    ddbMock.on(GetCommand, { Key: keys.target(t.id) }).resolves({ Item: { ...keys.target(t.id), ...t } });
  if (opts.account !== false)
    ddbMock
      .on(GetCommand, { Key: keys.account(base.account_id) })
      .resolves({ Item: { ...keys.account(base.account_id), id: base.account_id, plan: 'team' } });
}

const signed = (secret: string, timestamp = NOW, id = 'msg_1'): SignatureHeaders => ({
  id,
  timestamp: String(timestamp),
  signature: computeStandardWebhooksSignature(secret, id, timestamp, BODY),
});

async function outcome(headers: SignatureHeaders, targetId: string = base.id, body: Buffer = BODY) {
  try {
    const principal = await authenticateTargetCallback(
      { db, config },
      { targetId, headers, rawBody: body },
      NOW_MS,
    );
    expect(principal).toEqual({
      kind: 'target',
      targetId: base.id,
      accountId: base.account_id,
      plan: 'team',
    });
    return 'ok';
  } catch (err) {
    const e = err as AppError;
    if (e.code === 'SIGNATURE_INVALID') expect(e.message).toBe('The request signature is not valid.');
    return `${e.status} ${e.code}`;
  }
}

beforeEach(() => ddbMock.reset());

describe('authenticateTargetCallback', () => {
  it.each<[string, () => void, SignatureHeaders, string]>([
    ['the current secret', () => stored(target()), signed(CURRENT), 'ok'],
    ['a wrong secret', () => stored(target()), signed(generateSigningSecret()), '401 SIGNATURE_INVALID'],
    [
      'the previous secret inside its grace window',
      () => stored(withPrevious(NOW_MS + 60_000)),
      signed(PREVIOUS),
      'ok',
    ],
    [
      'the current secret inside the grace window',
      () => stored(withPrevious(NOW_MS + 60_000)),
      signed(CURRENT),
      'ok',
    ],
    [
      'the previous secret after its grace window ended',
      () => stored(withPrevious(NOW_MS - 1)),
      signed(PREVIOUS),
      '401 SIGNATURE_INVALID',
    ],
    [
      'the previous secret after a rotation without grace',
      () => stored(target({ previous_secret_sealed: undefined, previous_secret_expires_ms: undefined })),
      signed(PREVIOUS),
      '401 SIGNATURE_INVALID',
    ],
    [
      "another account's target's secret, for this target's id",
      () => stored(target()),
      signed(FOREIGN),
      '401 SIGNATURE_INVALID',
    ],
    [
      'a timestamp 6 minutes old',
      () => stored(target()),
      signed(CURRENT, NOW - 360),
      '401 SIGNATURE_INVALID',
    ],
    [
      'a timestamp 6 minutes ahead',
      () => stored(target()),
      signed(CURRENT, NOW + 360),
      '401 SIGNATURE_INVALID',
    ],
    ['no headers', () => stored(target()), {}, '401 SIGNATURE_INVALID'],
    ['an unknown target', () => stored(undefined), signed(CURRENT), '401 SIGNATURE_INVALID'],
    [
      'a target whose account is gone',
      () => stored(target(), { account: false }),
      signed(CURRENT),
      '401 SIGNATURE_INVALID',
    ],
    [
      'a disabled target, signed right',
      () => stored(target({ status: 'disabled', disabled_reason: 'disabled_by_user' })),
      signed(CURRENT),
      '409 TARGET_NOT_ACTIVE',
    ],
    [
      'a disabled target, signed wrong',
      () => stored(target({ status: 'disabled', disabled_reason: 'disabled_by_user' })),
      signed(FOREIGN),
      '401 SIGNATURE_INVALID',
    ],
  ])('%s → %s', async (_, given, headers, expected) => {
    given();
    expect(await outcome(headers)).toBe(expected);
  });

  it('refuses a tampered body', async () => {
    stored(target());
    expect(await outcome(signed(CURRENT), base.id, Buffer.from(`${BODY} `))).toBe('401 SIGNATURE_INVALID');
  });

  it('accepts the previous secret inside its grace window from a request signed by the standardwebhooks package', async () => {
    stored(withPrevious(NOW_MS + 60_000));
    const signature = new Webhook(PREVIOUS).sign('msg_sw', new Date(NOW_MS), BODY);
    expect(await outcome({ id: 'msg_sw', timestamp: String(NOW), signature })).toBe('ok');
  });

  it('reads nothing for a malformed target id, a missing header or a stale timestamp', async () => {
    stored(target());
    expect(await outcome(signed(CURRENT), 'tgt_nope')).toBe('401 SIGNATURE_INVALID');
    expect(await outcome(signed(CURRENT), '')).toBe('401 SIGNATURE_INVALID');
    expect(await outcome({ ...signed(CURRENT), signature: undefined })).toBe('401 SIGNATURE_INVALID');
    expect(await outcome(signed(CURRENT, NOW - 3600))).toBe('401 SIGNATURE_INVALID');
    expect(ddbMock.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('reads the target consistently (a rotation that just ended the grace window counts at once)', async () => {
    stored(target());
    await outcome(signed(CURRENT));
    const read = ddbMock.commandCalls(GetCommand, { Key: keys.target(base.id) })[0];
    expect(read?.args[0].input.ConsistentRead).toBe(true);
  });
});

describe('what a callback does to the triage', () => {
  it.each([
    ['risk.accepted', undefined, 'accepted_risk'],
    ['ticket.closed', 'wont_fix', 'wont_fix'],
    ['ticket.closed', 'false_positive', 'false_positive'],
    ['ticket.closed', 'fixed', undefined],
    ['ticket.closed', undefined, undefined],
  ] as const)('%s with resolution %s → %s', (type, resolution, reason) => {
    expect(triageReasonOf(type, resolution)).toBe(reason);
  });
});

describe('the callback body', () => {
  const ok = { type: 'ticket.closed', project_id: 'prj_0123456789abcdef01234567', fingerprint: 'fp-a-0001' };
  const fields = (body: unknown) => {
    try {
      parseOrThrow(TicketCallbackSchema(), body);
      return [];
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).details?.map((d) => d.field);
    }
  };

  it('takes the documented bodies', () => {
    expect(fields(ok)).toEqual([]);
    expect(
      fields({ ...ok, resolution: 'wont_fix', comment: ' Out of scope ', ticket: { id: 'SEC-12' } }),
    ).toEqual([]);
    expect(
      fields({ ...ok, type: 'risk.accepted', ticket: { id: 4711, url: 'https://t.example/4711' } }),
    ).toEqual([]);
    expect(parseOrThrow(TicketCallbackSchema(), { ...ok, comment: ' Out of scope ' }).comment).toBe(
      'Out of scope',
    );
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['an unknown type', { type: 'ticket.reopened' }, ['type']],
    ['a resolution with risk.accepted', { type: 'risk.accepted', resolution: 'fixed' }, ['resolution']],
    ['an unknown resolution', { resolution: 'duplicate' }, ['resolution']],
    ['a malformed project id', { project_id: 'prj_1' }, ['project_id']],
    ['a malformed fingerprint', { fingerprint: 'has space 123' }, ['fingerprint']],
    ['a comment over 1,000 characters', { comment: 'x'.repeat(1001) }, ['comment']],
    ['a blank comment', { comment: '   ' }, ['comment']],
    ['a ticket without id', { ticket: { url: 'https://t.example/1' } }, ['ticket.id']],
    ['a ticket id over 200 characters', { ticket: { id: 'x'.repeat(201) } }, ['ticket.id']],
    ['a ticket id with a control character', { ticket: { id: 'SEC\u0007-1' } }, ['ticket.id']],
    ['a ticket id with a bidi override', { ticket: { id: 'SEC\u202e-1' } }, ['ticket.id']],
    [
      'a ticket URL with credentials',
      { ticket: { id: 'S-1', url: 'https://u:p@t.example/1' } },
      ['ticket.url'],
    ],
    [
      'a ticket URL that is not http(s)',
      { ticket: { id: 'S-1', url: 'javascript:alert(1)' } },
      ['ticket.url'],
    ],
    ['an unknown field', { extra: 1 }, ['']],
  ])('refuses %s, naming the field', (_, change, expected) => {
    expect(fields({ ...ok, ...change })).toEqual(expected);
  });
});
