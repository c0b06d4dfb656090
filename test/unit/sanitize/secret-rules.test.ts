import { describe, expect, it } from 'vitest';
import { redactDeep, redactHeaders, redactSecrets, redactText } from '../../../lib/sanitize/redact.ts';
import { SECRET_RULES } from '../../../lib/sanitize/secret-rules.ts';

/*
 * Fake secrets are assembled at test time from pieces (and a seeded generator), so this file itself
 * never contains a string that looks like a leaked credential.
 */
let seed = 42;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function rnd(n: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out += alphabet[seed % alphabet.length];
  }
  return out;
}
const HEX = '0123456789abcdef';
const j = (...parts: string[]) => parts.join('');
const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** For every rule: texts that must be redacted to its marker, and look-alikes that must stay. */
const CASES: Record<string, { positive: () => string[]; negative: () => string[] }> = {
  private_key: {
    positive: () => [
      j('-----BEGIN ', 'RSA PRIVATE KEY-----\n', rnd(64), '\n', rnd(64), '\n-----END RSA PRIVATE KEY-----'),
      j('key: -----BEGIN ', 'PRIVATE KEY-----\n', rnd(64), '\n-----END PRIVATE KEY----- trailing'),
    ],
    negative: () => [j('-----BEGIN ', 'PUBLIC KEY-----\n', rnd(64), '\n-----END PUBLIC KEY-----')],
  },
  aws_access_key_id: {
    positive: () => [
      j('AK', 'IA', rnd(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')),
      j('id=AS', 'IA', rnd(16, 'ABCDEFGHJKLMNPQRSTUVWXYZ')),
    ],
    negative: () => [j('x', 'AK', 'IA', rnd(16, 'ABCDEFGHJKLMNPQRSTUVWXYZ'), 'x'), j('AK', 'IA', 'short')],
  },
  aws_secret_access_key: {
    positive: () => [j('aws_secret_access_key = ', 'wJalr', rnd(30), '/K7Md')],
    negative: () => [
      j('aws_secret_access_key = ', 'a'.repeat(40)),
      j('some_other_key = ', 'wJalr', rnd(30), '/K7Md'),
    ],
  },
  github_token: {
    positive: () => [j('gh', 'p_', rnd(36))],
    negative: () => [j('gh', 'p_', rnd(12)), j('sighp_', rnd(36))],
  },
  github_fine_grained_token: {
    positive: () => [j('github', '_pat_', rnd(22), '_', rnd(59))],
    negative: () => [j('github', '_pat_', 'short')],
  },
  github_oauth_token: { positive: () => [j('gh', 'o_', rnd(36))], negative: () => [j('gh', 'o_', rnd(20))] },
  github_app_token: {
    positive: () => [j('gh', 'u_', rnd(36)), j('gh', 's_', rnd(36))],
    negative: () => [j('gh', 'x_', rnd(36))],
  },
  github_refresh_token: {
    positive: () => [j('gh', 'r_', rnd(76))],
    negative: () => [j('gh', 'r_', rnd(10))],
  },
  gitlab_token: { positive: () => [j('gl', 'pat-', rnd(20))], negative: () => [j('gl', 'pat-', 'short')] },
  slack_webhook: {
    positive: () => [
      j(
        'https://hooks.',
        'slack.com/services/',
        'T',
        rnd(8, 'ABCDEFGH0123'),
        '/B',
        rnd(8, 'ABCDEFGH0123'),
        '/',
        rnd(24),
      ),
    ],
    negative: () => ['https://hooks.slack.com/help/articles'],
  },
  slack_token: {
    positive: () => [
      j('xo', 'xb-', rnd(11, '0123456789'), '-', rnd(24)),
      j('xa', 'pp-1-', rnd(11), '-', rnd(30)),
    ],
    negative: () => ['xoxo-hugs-and-kisses', 'xoxb-short'],
  },
  stripe_key: {
    positive: () => [j('sk', '_live_', rnd(24)), j('rk', '_test_', rnd(24))],
    negative: () => [j('sk', '_live_', 'abc'), j('task', '_live_', rnd(24))],
  },
  webhook_signing_secret: {
    positive: () => [j('wh', 'sec_', b64(rnd(32)))],
    negative: () => [j('wh', 'sec_', 'short')],
  },
  google_api_key: {
    positive: () => [j('AI', 'za', rnd(35, `${ALNUM}_-`))],
    negative: () => [j('AI', 'za', rnd(20))],
  },
  sendgrid_api_key: {
    positive: () => [j('SG', '.', rnd(22), '.', rnd(43))],
    negative: () => [j('SG', '.', 'short.value')],
  },
  npm_token: {
    positive: () => [j('np', 'm_', rnd(36))],
    negative: () => ['npm_install_package', j('np', 'm_', rnd(20))],
  },
  shopify_token: {
    positive: () => [j('shp', 'at_', rnd(32, HEX)), j('shp', 'ss_', rnd(32, HEX))],
    negative: () => [j('shp', 'at_', 'xyz')],
  },
  mailgun_api_key: {
    positive: () => [j('ke', 'y-', rnd(32))],
    negative: () => ['key-value pairs', j('monke', 'y-', rnd(32))],
  },
  twilio_api_key: {
    positive: () => [j('S', 'K', rnd(32, HEX))],
    negative: () => [j('S', 'K', rnd(31, HEX))],
  },
  twilio_account_sid: {
    positive: () => [j('A', 'C', rnd(32, HEX))],
    negative: () => [j('A', 'C', rnd(32, 'ghijklmnopqrstuvwxyz'))],
  },
  jwt: {
    positive: () => [
      j(b64url({ alg: 'HS256', typ: 'JWT' }), '.', b64url({ sub: '1234567890', name: 'x' }), '.', rnd(43)),
    ],
    negative: () => [j('eyJ', rnd(12), '.eyJ', rnd(12), '.', rnd(10))],
  },
  url_credentials: {
    positive: () => [j('postgres://admin:', 'S3cr', rnd(10), '@db.example.test:5432/app')],
    negative: () => ['https://user:${DB_PASSWORD}@db.example.test/', 'https://example.test/path@handle'],
  },
  bearer_token: {
    positive: () => [j('Authorization: Bearer ', rnd(40))],
    negative: () => ['Bearer <your-token>', 'Bearer token'],
  },
  basic_auth: {
    positive: () => [j('Authorization: Basic ', b64(j('admin:', 'Sup3r', rnd(8))))],
    negative: () => [j('Basic ', b64('nocolonhere12')), 'Basic principles of design'],
  },
  generic_secret: {
    positive: () => [
      j('password="p@ss:', 'w0rd!#%', rnd(4), '"'),
      j('DB_PASSWORD=Xy7$', 'kLm9!q'),
      j("api_key: '", rnd(24), "'"),
      j('client_secret=', rnd(20)),
    ],
    negative: () => [
      'password=${DB_PASSWORD}',
      'password=changeme',
      'password=****',
      'api_key={{api_key}}',
      'token: <your-token>',
    ],
  },
  card_number: {
    positive: () => [j('4111', ' 1111'.repeat(3)), j('5555', '-5555-5555-', '4444')],
    negative: () => [j('4111', ' 1111'.repeat(2), ' 1112'), '1700000000000', '1700000000'],
  },
};

describe('secret rule table', () => {
  it('has at least 25 formats and a positive and a negative case for every rule', () => {
    expect(SECRET_RULES.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(CASES).sort()).toEqual(SECRET_RULES.map((r) => r.type).sort());
    for (const c of Object.values(CASES)) {
      expect(c.positive().length).toBeGreaterThan(0);
      expect(c.negative().length).toBeGreaterThan(0);
    }
  });

  for (const rule of SECRET_RULES) {
    describe(rule.type, () => {
      it('redacts real-format values with its typed marker', () => {
        for (const text of CASES[rule.type]!.positive()) {
          const { text: out, redactions } = redactSecrets(`evidence: ${text} (end)`);
          expect(out, text).toContain(`[REDACTED:${rule.type}]`);
          expect(redactions.map((r) => r.type)).toContain(rule.type);
          expect(out.startsWith('evidence: ')).toBe(true);
          expect(out.endsWith(' (end)') || rule.type === 'private_key').toBe(true);
        }
      });
      it('leaves look-alikes alone', () => {
        for (const text of CASES[rule.type]!.negative()) {
          expect(redactText(text), text).not.toContain(`[REDACTED:${rule.type}]`);
        }
      });
    });
  }
});

describe('look-alikes that must never be redacted', () => {
  const keep = () => [
    'request 550e8400-e29b-41d4-a716-446655440000 failed',
    j('commit ', rnd(40, HEX)),
    j('data:image/png;base64,', b64(rnd(300))),
    'password=${DB_PASSWORD} and api_key={{API_KEY}} and token=<token>',
    'password=xxxxxxxx secret=******** passwd=changeme',
    'order 4111 1111 1111 1112 (invalid checksum)',
    'timestamps 1700000000 and 1700000000123',
    'the word tokenization and secretary and passwords in prose',
    'already [REDACTED:github_token] here',
  ];
  it.each(keep())('%s', (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe('redaction', () => {
  it('replaces every secret in a mixed evidence paragraph and keeps the surrounding text', () => {
    const ghp = j('gh', 'p_', rnd(36));
    const akid = j('AK', 'IA', rnd(16, 'ABCDEFGHJKLMNPQRSTUVWXYZ'));
    const text = `Found ${ghp} in app.js; AWS id ${akid}; login with password="Tr0ub4dor&3x" at https://bob:${j('hunter', '2X9q')}@intranet.example.test/.`;
    const out = redactText(text);
    expect(out).not.toContain(ghp);
    expect(out).not.toContain(akid);
    expect(out).not.toContain('Tr0ub4dor');
    expect(out).not.toContain('hunter2X9q');
    expect(out).toBe(
      'Found [REDACTED:github_token] in app.js; AWS id [REDACTED:aws_access_key_id]; login with password=[REDACTED:generic_secret] at https://bob:[REDACTED:url_credentials]@intranet.example.test/.',
    );
  });

  it('is idempotent', () => {
    const text = `a ${j('sk', '_live_', rnd(24))} b ${j('xo', 'xb-', rnd(30))} password=${rnd(12)}`;
    const once = redactText(text);
    expect(redactText(once)).toBe(once);
  });

  it('redacts sensitive headers by name and secrets inside other header values', () => {
    const out = redactHeaders({
      'Set-Cookie': 'session=abc123; HttpOnly',
      Cookie: 'a=b',
      Authorization: 'Bearer whatever',
      'Proxy-Authorization': 'Basic x',
      'X-Api-Key': 'k',
      'X-Session-Id': 's',
      'Content-Type': 'text/html',
      Link: j('<https://user:', 'S3cret', rnd(8), '@cdn.example.test/a>'),
    });
    expect(out).toEqual({
      'Set-Cookie': '[REDACTED:set_cookie]',
      Cookie: '[REDACTED:cookie]',
      Authorization: '[REDACTED:authorization]',
      'Proxy-Authorization': '[REDACTED:proxy_authorization]',
      'X-Api-Key': '[REDACTED:x_api_key]',
      'X-Session-Id': '[REDACTED:x_session_id]',
      'Content-Type': 'text/html',
      Link: '<https://user:[REDACTED:url_credentials]@cdn.example.test/a>',
    });
  });

  it('redacts every string inside a JSON value', () => {
    const ghp = j('gh', 'p_', rnd(36));
    expect(redactDeep({ a: [ghp, 1, null, { b: `x ${ghp}` }], n: 2 })).toEqual({
      a: ['[REDACTED:github_token]', 1, null, { b: 'x [REDACTED:github_token]' }],
      n: 2,
    });
  });

  it('finishes on megabyte-sized hostile input (no catastrophic backtracking)', () => {
    const hostile = [
      'a'.repeat(1_000_000),
      '-----BEGIN PRIVATE KEY-----'.repeat(40_000),
      'password='.repeat(100_000),
      '1 '.repeat(500_000),
      'https://u:'.repeat(100_000),
      `eyJ${'a'.repeat(500_000)}.eyJ`,
      'Bearer '.repeat(100_000),
    ];
    for (const text of hostile) expect(typeof redactText(text)).toBe('string');
  });
});
