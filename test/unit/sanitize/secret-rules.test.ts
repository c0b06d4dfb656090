import { describe, expect, it } from 'vitest';
import { redactSecrets, redactText } from '../../../lib/sanitize/redact.ts';
import {
  isPlaceholder,
  luhnValid,
  SECRET_RULES,
  TOKEN_AFTER_ESCAPE,
} from '../../../lib/sanitize/secret-rules.ts';

/*
 * Fake secrets are assembled at test time from pieces and a seeded generator, so this file never
 * contains a string that looks like a leaked credential to a secret scanner.
 */
let seed = 42;
/** mulberry32: a small seeded PRNG (32-bit integer arithmetic, so no float precision loss). */
function next(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
function rnd(n: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += alphabet[Math.floor(next() * alphabet.length)];
  }
  return out;
}
/** Random characters that contain at least one upper, one lower and one digit. */
const mixed = (n: number) => rnd(1, UPPER) + rnd(1, LOWER) + rnd(1, DIGITS) + rnd(n - 3);
const j = (...parts: string[]) => parts.join('');
const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const M = (type: string) => `[REDACTED:${type}]`;

/** Appends the Luhn check digit to a card number prefix. */
function withCheckDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}
const pem = (label: string) =>
  j('-----BEGIN ', label, '-----\n', rnd(64), '\n', rnd(64), '\n', rnd(20), '==\n-----END ', label, '-----');
const PRIV = j('PRIV', 'ATE KEY');

/**
 * For every rule: positive cases (a string that is entirely the secret, or [input, expected output] when
 * context is kept) and negative look-alikes that must come out unchanged.
 */
type Positive = string | [input: string, expected: string];
const CASES: Record<string, { positive: () => Positive[]; negative: () => string[] }> = {
  private_key: {
    positive: () => [
      pem(`RSA ${PRIV}`),
      pem(PRIV),
      pem(`OPENSSH ${PRIV}`),
      pem(`ENCRYPTED ${PRIV}`),
      // As found in a JSON service-account file: literal \n escapes, trailing \n kept.
      [
        j(
          '"private_key": "-----BEGIN ',
          PRIV,
          '-----\\n',
          rnd(64),
          '\\n',
          rnd(40),
          '\\n-----END ',
          PRIV,
          '-----\\n"',
        ),
        `"private_key": "${M('private_key')}\\n"`,
      ],
      // Truncated evidence (no END line): the key material is still removed.
      [j('-----BEGIN ', PRIV, '-----\n', rnd(64), '\n', rnd(30), ' …'), `${M('private_key')}…`],
    ],
    negative: () => [pem('PUBLIC KEY'), j('grep for -----BEGIN RSA ', PRIV, '----- headers in repositories')],
  },
  aws_access_key_id: {
    positive: () => [
      j('AK', 'IA', rnd(16, UPPER + '234567')),
      j('AS', 'IA', rnd(16, UPPER + DIGITS)),
      [j('AWS_ACCESS_KEY_ID=AK', 'IA', 'Q', rnd(15, UPPER)), `AWS_ACCESS_KEY_ID=${M('aws_access_key_id')}`],
    ],
    negative: () => [
      j('x', 'AK', 'IA', rnd(16, UPPER), 'x'),
      j('AK', 'IA', 'SHORT'),
      j('ak', 'ia', rnd(16, LOWER)),
    ],
  },
  aws_secret_access_key: {
    positive: () => {
      const s = j(mixed(18), '/', mixed(10), '+', mixed(10));
      return [
        [`aws_secret_access_key = ${s}`, `aws_secret_access_key = ${M('aws_secret_access_key')}`],
        [`"SecretAccessKey": "${s}"`, `"SecretAccessKey": "${M('aws_secret_access_key')}"`],
        [`AWS secret key: ${s}`, `AWS secret key: ${M('aws_secret_access_key')}`],
        [`{\\"SecretAccessKey\\":\\"${s}\\"}`, `{\\"SecretAccessKey\\":\\"${M('aws_secret_access_key')}\\"}`],
      ];
    },
    negative: () => [
      j('aws_secret_access_key = ', 'a'.repeat(40)),
      j('checksum = ', mixed(18), '/', mixed(10), '+', mixed(10)),
    ],
  },
  github_token: {
    positive: () => [j('gh', 'p_', rnd(36))],
    negative: () => [j('gh', 'p_', rnd(12)), j('sighp_', rnd(36)), j('gh', 'p_', rnd(40))],
  },
  github_fine_grained_token: {
    positive: () => [j('github', '_pat_', rnd(22), '_', rnd(59))],
    negative: () => [j('github', '_pat_', 'short'), j('my_github', '_pat_', rnd(22), '_', rnd(59))],
  },
  github_oauth_token: {
    positive: () => [j('gh', 'o_', rnd(36))],
    negative: () => [j('gh', 'o_', rnd(20))],
  },
  github_app_token: {
    positive: () => [j('gh', 'u_', rnd(36)), j('gh', 's_', rnd(36))],
    negative: () => [j('gh', 'x_', rnd(36)), j('gh', 's_', rnd(30))],
  },
  github_refresh_token: {
    positive: () => [j('gh', 'r_', rnd(36)), j('gh', 'r_', rnd(76))],
    negative: () => [j('gh', 'r_', rnd(10))],
  },
  gitlab_token: {
    positive: () => [j('gl', 'pat-', rnd(20)), j('gl', 'pat-', rnd(10), '_', rnd(10), '-', rnd(5))],
    negative: () => [j('gl', 'pat-', 'short'), j('x', 'gl', 'pat-', rnd(20))],
  },
  slack_webhook: {
    positive: () => [
      j(
        'https://hooks.',
        'slack.com/services/T',
        rnd(8, UPPER + DIGITS),
        '/B',
        rnd(8, UPPER + DIGITS),
        '/',
        rnd(24),
      ),
    ],
    negative: () => ['https://hooks.slack.com/help/articles', 'https://api.slack.com/messaging/webhooks'],
  },
  slack_token: {
    positive: () => [
      j('xo', 'xb-', rnd(11, DIGITS), '-', rnd(13, DIGITS), '-', rnd(24)),
      j('xo', 'xp-', rnd(11, DIGITS), '-', rnd(11, DIGITS), '-', rnd(32, HEX)),
      j('xa', 'pp-1-A', rnd(10, UPPER + DIGITS), '-', rnd(13, DIGITS), '-', rnd(64, HEX)),
    ],
    negative: () => ['xoxo-hugs-and-kisses-everyone', 'xoxb-your-bot-token-here', 'xoxb-short'],
  },
  stripe_key: {
    positive: () => [j('sk', '_live_', rnd(24)), j('rk', '_live_', rnd(24)), j('sk', '_test_', rnd(24))],
    negative: () => [j('sk', '_live_', 'abc'), j('task', '_live_', rnd(24)), j('pk', '_live_', rnd(24))],
  },
  webhook_signing_secret: {
    positive: () => [j('wh', 'sec_', b64(rnd(32)))],
    negative: () => [j('wh', 'sec_', 'short')],
  },
  google_api_key: {
    positive: () => [j('AI', 'za', 'Sy', rnd(33, `${ALNUM}_-`))],
    negative: () => [j('AI', 'za', rnd(20)), j('AI', 'za', rnd(40))],
  },
  google_oauth_client_secret: {
    positive: () => [j('GOC', 'SPX-', rnd(28))],
    negative: () => [j('GOC', 'SPX-', rnd(10))],
  },
  openai_api_key: {
    positive: () => [
      j('sk', '-proj-', rnd(48), '_', rnd(48)),
      j('sk', '-', rnd(20), 'T3Blbk', 'FJ', rnd(20)),
    ],
    negative: () => [j('sk', '-proj-', 'short'), j('sk', '-', rnd(48)), j('task', '-proj-', rnd(60))],
  },
  anthropic_api_key: {
    positive: () => [j('sk', '-ant-', 'api03-', rnd(93), 'AA')],
    negative: () => [j('sk', '-ant-', 'api03-', 'short')],
  },
  sendgrid_api_key: {
    positive: () => [j('SG', '.', rnd(22), '.', rnd(43))],
    negative: () => [j('SG', '.', 'short.value'), 'SG.Smith.Co'],
  },
  npm_token: {
    positive: () => [j('np', 'm_', rnd(36))],
    negative: () => ['npm_install_package', j('np', 'm_', rnd(20))],
  },
  pypi_token: {
    positive: () => [j('py', 'pi-', 'AgEIcHlwaS5vcmc', rnd(60, `${ALNUM}_-`))],
    negative: () => ['pypi-simple-index', j('py', 'pi-', 'AgEI', rnd(20))],
  },
  shopify_token: {
    positive: () => [
      j('shp', 'at_', rnd(32, HEX)),
      j('shp', 'ss_', rnd(32, HEX)),
      j('shp', 'ca_', rnd(32, HEX)),
    ],
    negative: () => [j('shp', 'at_', 'xyz'), j('shp', 'at_', rnd(32, 'ghijklmnop'))],
  },
  digitalocean_token: {
    positive: () => [j('do', 'p_v1_', rnd(64, HEX))],
    negative: () => [j('do', 'p_v1_', rnd(20, HEX))],
  },
  mailgun_api_key: {
    positive: () => [j('ke', 'y-', rnd(30, LOWER + DIGITS), 'a1')],
    negative: () => ['key-value pairs', j('monke', 'y-', rnd(30, HEX), 'a1'), j('ke', 'y-', rnd(32, LOWER))],
  },
  twilio_api_key: {
    positive: () => [j('S', 'K', rnd(30, HEX), 'a1')],
    negative: () => [j('S', 'K', rnd(31, HEX)), j('DIS', 'K', rnd(30, HEX), 'a1')],
  },
  twilio_account_sid: {
    positive: () => [j('A', 'C', rnd(30, HEX), 'b2')],
    negative: () => [j('A', 'C', rnd(32, 'ghijklmnopqrstuvwxyz')), j('A', 'C', rnd(32, DIGITS))],
  },
  azure_storage_key: {
    positive: () => {
      const key = j(rnd(86, `${ALNUM}+/`), '==');
      return [
        [
          `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${key};EndpointSuffix=core.windows.net`,
          `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${M('azure_storage_key')};EndpointSuffix=core.windows.net`,
        ],
      ];
    },
    negative: () => ['AccountKey=short==', `AccountKey=\${AZURE_STORAGE_KEY}`],
  },
  jwt: {
    positive: () => [
      j(b64url({ alg: 'HS256', typ: 'JWT' }), '.', b64url({ sub: '1234567890', name: 'x' }), '.', rnd(43)),
      j(b64url({ alg: 'none' }), '.', b64url({ sub: 'u' }), '.'),
      [j('token=', b64url({ alg: 'RS256' }), '.', b64url({ iss: 'a' }), '.', rnd(86)), `token=${M('jwt')}`],
    ],
    negative: () => [
      j(b64url({ typ: 'JWT' }), '.', b64url({ sub: '1' }), '.', rnd(43)),
      j('eyJ', rnd(12), '.eyJ', rnd(12), '.', rnd(10)),
    ],
  },
  url_credentials: {
    positive: () => [
      [
        j('postgres://admin:', 'S3cr', rnd(10), '@db.example.test:5432/app'),
        `postgres://admin:${M('url_credentials')}@db.example.test:5432/app`,
      ],
      [
        j('redis://:', mixed(16), '@cache.example.test:6379'),
        `redis://:${M('url_credentials')}@cache.example.test:6379`,
      ],
      [
        j('https://bob:', 'p4ss:w%40rd', '@intranet.example.test/'),
        `https://bob:${M('url_credentials')}@intranet.example.test/`,
      ],
    ],
    negative: () => [
      `https://user:\${DB_PASSWORD}@db.example.test/`,
      'https://user:password@db.example.test/',
      'https://example.test/path@handle',
      'https://user@example.test/',
      'mailto:someone@example.test',
    ],
  },
  bearer_token: {
    positive: () => [
      [j('Authorization: Bearer ', rnd(40)), `Authorization: Bearer ${M('bearer_token')}`],
      [
        j('authorization: bearer ', rnd(20), '.', rnd(20), '=='),
        `authorization: bearer ${M('bearer_token')}`,
      ],
    ],
    negative: () => [
      'Bearer <your-token>',
      'Bearer token',
      `Bearer \${API_TOKEN}`,
      'Bearer this.accessToken',
    ],
  },
  basic_auth: {
    positive: () => [
      [
        j('Authorization: Basic ', b64(j('admin:', 'Sup3r', rnd(8)))),
        `Authorization: Basic ${M('basic_auth')}`,
      ],
    ],
    negative: () => [
      j('Basic ', b64('nocolonhere12')),
      j('Basic ', b64('user:pass')),
      'Basic principles of design',
    ],
  },
  session_id: {
    positive: () => [
      [
        j('Set-Cookie: PHPSESS', 'ID=', rnd(26, LOWER + DIGITS), '; path=/'),
        `Set-Cookie: PHPSESSID=${M('session_id')}; path=/`,
      ],
      [j('/app;jsession', 'id=', rnd(30, HEX), '?x=1'), `/app;jsessionid=${M('session_id')}?x=1`],
      [j('Cookie: connect.sid=s%3A', mixed(24)), `Cookie: connect.sid=${M('session_id')}`],
    ],
    negative: () => ['sessionid=short', `session=${'a'.repeat(24)}`, `permission=${rnd(20, LOWER)}`],
  },
  generic_secret: {
    positive: () => [
      [j('password="p@ss:', 'w0rd!#%"'), `password="${M('generic_secret')}"`],
      [j('DB_PASSWORD=Xy7$', 'kLm9!q'), `DB_PASSWORD=${M('generic_secret')}`],
      [j('passwd: hunt', 'er2'), `passwd: ${M('generic_secret')}`],
      [j('secret=', mixed(16)), `secret=${M('generic_secret')}`],
      [j("api_key: '", rnd(24), "'"), `api_key: '${M('generic_secret')}'`],
      [j('apikey:', mixed(20)), `apikey:${M('generic_secret')}`],
      [j('/cb?access_token=', mixed(20), '&state=1'), `/cb?access_token=${M('generic_secret')}&state=1`],
      [j('"client_secret": "', rnd(30), '"'), `"client_secret": "${M('generic_secret')}"`],
      [j('$config["db_pass"] = "', mixed(12), '";'), `$config["db_pass"] = "${M('generic_secret')}";`],
      [j('"password": "it\\"s ', mixed(8), '"'), `"password": "${M('generic_secret')}"`],
      [j('userPassword := "', mixed(10), '"'), `userPassword := "${M('generic_secret')}"`],
      // JSON written inside a JSON string (escaped quotes), one level and two levels deep.
      [j('{\\"password\\":\\"', mixed(12), '\\"}'), `{\\"password\\":\\"${M('generic_secret')}\\"}`],
      [j('password=\\"', mixed(12), '\\"'), `password=\\"${M('generic_secret')}\\"`],
      [j('"token\\": \\"', rnd(24), '\\"'), `"token\\": \\"${M('generic_secret')}\\"`],
      [
        j('{\\\\\\"api_key\\\\\\":\\\\\\"', rnd(24), '\\\\\\"}'),
        `{\\\\\\"api_key\\\\\\":\\\\\\"${M('generic_secret')}\\\\\\"}`,
      ],
      // A quote inside a one-level value is `\\\"`; the value goes on to the closing `\"`.
      [
        j('{\\"password\\":\\"it\\\\\\"s ', mixed(8), '\\"}'),
        `{\\"password\\":\\"${M('generic_secret')}\\"}`,
      ],
    ],
    negative: () => [
      `password=\${DB_PASSWORD}`,
      'api_key={{api_key}}',
      'api_key: "{{ api_key }}"',
      'token: <your-token>',
      'password=changeme',
      'password=xxxxxxxx',
      'password=****',
      'password=<redacted>',
      'secret: true',
      "password: 'your-password-here'",
      'const form = { password: this.password, token: accessToken, apiKey: getApiKey() };',
      'db password = process.env.DB_PASSWORD',
      'Password: required. Token: invalid.',
      'tokenization=enabled; passwords: 3; secretary: Bob; bypass=on',
      // The same look-alikes inside escaped JSON.
      `{\\"password\\":\\"\${DB_PASSWORD}\\",\\"token\\":\\"<your-token>\\",\\"api_key\\":\\"\\"}`,
      '{\\\\\\"password\\\\\\":\\\\\\"changeme\\\\\\",\\\\\\"secret\\\\\\":true}',
      '{\\"tokenization\\":\\"enabled\\",\\"secretary\\":\\"Bob\\",\\"passwords\\":3}',
    ],
  },
  card_number: {
    positive: () => [
      j('4111', ' 1111'.repeat(3)),
      j('5555', '-5555-5555-', '4444'),
      j('3782', ' 822463 ', '10005'),
      withCheckDigit(j('4', rnd(14, DIGITS))),
      withCheckDigit(j('51', rnd(13, DIGITS))),
      withCheckDigit(j('6011', rnd(11, DIGITS))),
    ],
    negative: () => {
      const valid = withCheckDigit(j('4', rnd(14, DIGITS)));
      const broken = valid.slice(0, -1) + ((Number(valid.at(-1)) + 1) % 10);
      return [
        broken,
        j('4111', ' 1111'.repeat(2), ' 1112'),
        '1700000000',
        '1700000000123',
        withCheckDigit(j('9', rnd(14, DIGITS))), // Luhn-valid, no issuer
        `score 0.${valid}`, // decimal fraction
        `order_${valid}`, // inside an identifier
        withCheckDigit(j('4', rnd(13, DIGITS))), // Visa prefix, impossible length 15
      ];
    },
  },
};

const context = (s: string) => `evidence: ${s} (end)`;

describe('secret rule table', () => {
  it('has at least 25 formats, unique marker-safe types, global patterns and a description', () => {
    expect(SECRET_RULES.length).toBeGreaterThanOrEqual(25);
    const types = SECRET_RULES.map((r) => r.type);
    expect(new Set(types).size).toBe(types.length);
    for (const rule of SECRET_RULES) {
      expect(rule.type).toMatch(/^[a-z_]+$/);
      expect(rule.pattern.flags).toContain('g');
      expect(rule.description.length).toBeGreaterThan(5);
    }
  });

  it('has a positive and a negative case for every rule, and no case for a rule that does not exist', () => {
    expect(Object.keys(CASES).sort()).toEqual(SECRET_RULES.map((r) => r.type).sort());
    for (const [type, c] of Object.entries(CASES)) {
      expect(c.positive().length, type).toBeGreaterThan(0);
      expect(c.negative().length, type).toBeGreaterThan(0);
    }
  });

  for (const rule of SECRET_RULES) {
    describe(rule.type, () => {
      const cases = CASES[rule.type];
      it('redacts real-format values with its typed marker and keeps the context', () => {
        expect(cases, `no test cases for rule ${rule.type}`).toBeDefined();
        for (const p of cases!.positive()) {
          const [input, expected] = typeof p === 'string' ? [p, M(rule.type)] : p;
          const { text, redactions } = redactSecrets(context(input));
          expect(text, input).toBe(context(expected));
          expect(redactions.map((r) => r.type)).toContain(rule.type);
        }
      });
      if (rule.pattern.source.includes(TOKEN_AFTER_ESCAPE)) {
        it('also finds the token right after a URL-encoded byte or a \\n escape, but not after a letter', () => {
          for (const p of cases!.positive()) {
            if (typeof p !== 'string') continue;
            for (const glue of ['next%3D', 'token%3d', 'line one\\n', 'a\\t']) {
              expect(redactText(context(glue + p)), glue).toBe(context(glue + M(rule.type)));
            }
            expect(redactText(context(`x${p}`))).toBe(context(`x${p}`));
          }
        });
      }
      it('leaves look-alikes unchanged', () => {
        expect(cases, `no test cases for rule ${rule.type}`).toBeDefined();
        for (const text of cases!.negative()) {
          expect(redactText(context(text)), text).toBe(context(text));
        }
      });
    });
  }
});

describe('look-alikes that no rule redacts', () => {
  const keep = [
    'request 550e8400-e29b-41d4-a716-446655440000 failed',
    j('commit ', rnd(40, HEX), ' on main'),
    j('<img src="data:image/png;base64,iVBORw0KGgo', b64(rnd(30_000)), '">'),
    j('background: url(data:image/jpeg;base64,/9j/', b64(rnd(3000)), ')'),
    `password=\${DB_PASSWORD} and api_key={{API_KEY}} and token=<token>`,
    'password=xxxxxxxx secret=******** passwd=changeme token=null api_key=<redacted>',
    'order 4111 1111 1111 1112 (invalid checksum) and id 1234567890123456',
    'timestamps 1700000000 and 1700000000123 and 2024-01-01T00:00:00.000Z',
    'the word tokenization and secretary and passwords in prose',
    j('x', 'AK', 'IA', rnd(16, UPPER), 'x and prefix', 'gh', 'p_', rnd(36), 'suffix'),
    'font-family: Inter; color: #1a2b3c; transform: translate(12px, 34px)',
    'sha256-' + b64(rnd(32)),
  ];
  it.each(keep.map((t) => [t.slice(0, 60), t]))('%s', (_label, text) => {
    expect(redactText(text)).toBe(text);
  });

  it('never redacts a marker of any type, in any context', () => {
    for (const { type } of SECRET_RULES) {
      for (const text of [
        M(type),
        `password=${M(type)}`,
        `password="${M(type)}"`,
        `https://u:${M(type)}@host`,
        `Authorization: Bearer ${M(type)}`,
        `PHPSESSID=${M(type)}`,
        `${M(type)}=${M(type)}`,
      ]) {
        expect(redactText(text), text).toBe(text);
      }
    }
  });
});

describe('validators', () => {
  it('isPlaceholder: templates, masks, placeholder words and low-variety strings', () => {
    for (const v of [
      `\${X}`,
      '{{ x }}',
      '<token>',
      '%(pw)s',
      '$DB_PASSWORD',
      '%PW%',
      '****',
      'xxxxxxxx',
      'changeme',
      'abab',
      'abc',
    ]) {
      expect(isPlaceholder(v), v).toBe(true);
    }
    for (const v of [j('hunt', 'er2'), j('Xy7$', 'kLm9!q'), 'qwerty'])
      expect(isPlaceholder(v), v).toBe(false);
  });

  it('luhnValid', () => {
    expect(luhnValid(j('4111', '1111', '1111', '1111'))).toBe(true);
    expect(luhnValid(j('4111', '1111', '1111', '1112'))).toBe(false);
  });
});
