import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  redactDeep,
  redactHeaders,
  redactSecrets,
  redactText,
  secretTypesInIdentifiers,
} from '../../../lib/sanitize/redact.ts';
import { SECRET_RULES } from '../../../lib/sanitize/secret-rules.ts';

/* Fake secrets are assembled from pieces at test time (see secret-rules.test.ts). */
let seed = 7;
function rnd(n: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    seed = (seed + 0x6d2b79f5) | 0; // mulberry32
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out += alphabet[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * alphabet.length)];
  }
  return out;
}
const j = (...parts: string[]) => parts.join('');
const M = (type: string) => `[REDACTED:${type}]`;

const fake = {
  github: () => j('gh', 'p_', rnd(36)),
  awsId: () => j('AK', 'IA', rnd(16, 'ABCDEFGHJKLMNPQRSTUVWXYZ234567')),
  stripe: () => j('sk', '_live_', rnd(24)),
  slack: () => j('xo', 'xb-', rnd(11, '0123456789'), '-', rnd(12, '0123456789'), '-', rnd(24)),
  jwt: () =>
    j(
      Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
      '.',
      Buffer.from('{"sub":"42"}').toString('base64url'),
      '.',
      rnd(43),
    ),
  password: () => j('Tr0', 'ub4dor&3', rnd(4)),
  card: () => j('4111', ' 1111'.repeat(3)),
};

describe('redactSecrets', () => {
  it('replaces every secret in a mixed evidence paragraph and keeps the surrounding text intact', () => {
    const s = {
      ghp: fake.github(),
      akid: fake.awsId(),
      pw: fake.password(),
      url: j('hunter', '2X9q', rnd(6)),
      jwt: fake.jwt(),
      card: fake.card(),
      slack: fake.slack(),
    };
    const text = [
      `Found ${s.ghp} in /static/app.js (line 12); AWS id ${s.akid}.`,
      `The login form posts password="${s.pw}" to https://bob:${s.url}@intranet.example.test/login,`,
      `then sends "Authorization: Bearer ${s.jwt}". A card ${s.card} is echoed in the receipt;`,
      `the Slack bot token ${s.slack} sits next to request 550e8400-e29b-41d4-a716-446655440000`,
      `at 1700000000123 with password=\${DB_PASSWORD} in the template.`,
    ].join('\n');
    const { text: out, redactions } = redactSecrets(text);
    expect(out).toBe(
      [
        `Found ${M('github_token')} in /static/app.js (line 12); AWS id ${M('aws_access_key_id')}.`,
        `The login form posts password="${M('generic_secret')}" to https://bob:${M('url_credentials')}@intranet.example.test/login,`,
        `then sends "Authorization: Bearer ${M('jwt')}". A card ${M('card_number')} is echoed in the receipt;`,
        `the Slack bot token ${M('slack_token')} sits next to request 550e8400-e29b-41d4-a716-446655440000`,
        `at 1700000000123 with password=\${DB_PASSWORD} in the template.`,
      ].join('\n'),
    );
    for (const secret of Object.values(s)) expect(out).not.toContain(secret);
    expect(redactions.sort((a, b) => a.type.localeCompare(b.type))).toEqual([
      { type: 'aws_access_key_id', count: 1 },
      { type: 'card_number', count: 1 },
      { type: 'generic_secret', count: 1 },
      { type: 'github_token', count: 1 },
      { type: 'jwt', count: 1 },
      { type: 'slack_token', count: 1 },
      { type: 'url_credentials', count: 1 },
    ]);
  });

  it('counts repeated secrets of one type', () => {
    const { redactions } = redactSecrets(`${fake.github()} and ${fake.github()} and ${fake.stripe()}`);
    expect(redactions).toEqual([
      { type: 'github_token', count: 2 },
      { type: 'stripe_key', count: 1 },
    ]);
  });

  it('returns the input and no redactions when there is nothing to redact', () => {
    const text = 'Header Content-Security-Policy absent on https://example.test/login';
    expect(redactSecrets(text)).toEqual({ text, redactions: [] });
    expect(redactSecrets('')).toEqual({ text: '', redactions: [] });
  });

  it('keeps JSON evidence valid JSON (quotes around redacted values are kept)', () => {
    const doc = JSON.stringify({
      password: fake.password(),
      api_key: rnd(30),
      note: `uses ${fake.stripe()}`,
    });
    const out = redactText(doc);
    expect(JSON.parse(out)).toEqual({
      password: M('generic_secret'),
      api_key: M('generic_secret'),
      note: `uses ${M('stripe_key')}`,
    });
  });
});

describe('escaped JSON (JSON written inside a JSON string)', () => {
  const doc = () => ({
    user: 'bob',
    password: fake.password(),
    token: rnd(24),
    note: `uses ${fake.stripe()}`,
    template: `\${DB_PASSWORD}`,
  });
  const redacted = {
    user: 'bob',
    password: M('generic_secret'),
    token: M('generic_secret'),
    note: `uses ${M('stripe_key')}`,
    template: `\${DB_PASSWORD}`,
  };

  it('redacts key/value secrets one and two levels deep and keeps the text valid JSON', () => {
    const once = JSON.stringify({ echo: JSON.stringify(doc()) });
    expect(JSON.parse(JSON.parse(redactText(once)).echo)).toEqual(redacted);
    const twice = JSON.stringify({ echo: JSON.stringify(JSON.stringify(doc())) });
    expect(JSON.parse(JSON.parse(JSON.parse(redactText(twice)).echo))).toEqual(redacted);
  });

  it('is idempotent on escaped JSON', () => {
    const text = JSON.stringify(JSON.stringify({ a: JSON.stringify(doc()), b: doc() }));
    const once = redactText(text);
    expect(once).not.toBe(text);
    expect(redactText(once)).toBe(once);
  });
});

describe('secretTypesInIdentifiers', () => {
  it('gives each identifier the types found in it, the same as checked one by one', () => {
    const ids = [
      'fp-missing-csp-home',
      `artifacts/${fake.github()}.png`,
      `leak:${fake.awsId()}`,
      'runs/1700000000123/p1.png',
      `shots/${fake.stripe()}/${fake.github()}.webp`,
    ];
    expect(secretTypesInIdentifiers(ids)).toEqual([
      [],
      ['github_token'],
      ['aws_access_key_id'],
      [],
      ['github_token', 'stripe_key'],
    ]);
    expect(secretTypesInIdentifiers(ids.slice(0, 1))).toEqual([[]]);
    expect(secretTypesInIdentifiers([])).toEqual([]);
  });

  it('does not apply the name-based generic rule: in an identifier `token:` names a finding', () => {
    const ids = ['missing-csrf-token:login-form', `exposed-api-key:home:${rnd(12, 'abcdef0123456789')}`];
    expect(secretTypesInIdentifiers(ids)).toEqual([[], []]);
    // In text the same strings read as assignments.
    expect(redactText(ids[0]!)).toBe(`missing-csrf-token:${M('generic_secret')}`);
  });
});

describe('idempotency', () => {
  it('redacting twice equals redacting once', () => {
    const text = [
      `a ${fake.stripe()} b ${fake.slack()} password=${rnd(12)} c ${fake.jwt()}`,
      `https://u:${rnd(12)}@h Authorization: Basic ${Buffer.from(j('admin:', rnd(10))).toString('base64')}`,
      `PHPSESSID=${rnd(26, 'abcdef0123456789')}; ${fake.card()} ${fake.awsId()}`,
    ].join('\n');
    const once = redactText(text);
    expect(once).not.toBe(text);
    expect(redactText(once)).toBe(once);
    expect(redactSecrets(once).redactions).toEqual([]);
  });

  it('holds for random documents built from secrets, look-alikes and separators', () => {
    const pieces = [
      fake.github(),
      fake.awsId(),
      fake.stripe(),
      fake.slack(),
      fake.jwt(),
      fake.card(),
      j('-----BEGIN ', 'PRIV', 'ATE KEY-----\n', rnd(64), '\n-----END ', 'PRIV', 'ATE KEY-----'),
      'password',
      'DB_PASSWORD',
      'token',
      'secret',
      'api_key',
      'Bearer ',
      'Basic ',
      'https://',
      'u:',
      '@',
      '=',
      ': ',
      '"',
      "'",
      '\\',
      '\\"',
      '\\\\\\"',
      '-',
      ' ',
      '\n',
      '[REDACTED:jwt]',
      `\${DB_PASSWORD}`,
      rnd(12),
      rnd(40, '0123456789abcdef'),
      '4111',
      '1234',
      'PHPSESSID=',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.string(), (parts, noise) => {
        const text = parts.join('') + noise;
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
      }),
      { numRuns: 500, seed: 20240601 },
    );
  });
});

describe('redactHeaders', () => {
  it('replaces sensitive header values by name and runs the detector over the other values', () => {
    const out = redactHeaders({
      'Set-Cookie': j('session=', rnd(20), '; HttpOnly; Secure'),
      Cookie: 'a=b',
      Authorization: j('Bearer ', rnd(40)),
      'Proxy-Authorization': 'Basic x',
      'X-Api-Key': 'k',
      'api-key': 'k',
      'X-Auth-Token': 't',
      'X-Goog-Api_Key': 'k',
      'x-amz-security-token': 't',
      'X-Client-Secret': 's',
      'X-Session-Id': 's',
      'Content-Type': 'text/html',
      'Content-Security-Policy': "default-src 'self'",
      'Access-Control-Allow-Credentials': 'true',
      Link: j('<https://user:', 'S3cret', rnd(8), '@cdn.example.test/a>; rel=preload'),
      'X-Debug': `deployed with ${fake.github()}`,
    });
    expect(out).toEqual({
      'Set-Cookie': M('set_cookie'),
      Cookie: M('cookie'),
      Authorization: M('authorization'),
      'Proxy-Authorization': M('proxy_authorization'),
      'X-Api-Key': M('x_api_key'),
      'api-key': M('api_key'),
      'X-Auth-Token': M('x_auth_token'),
      'X-Goog-Api_Key': M('x_goog_api_key'),
      'x-amz-security-token': M('x_amz_security_token'),
      'X-Client-Secret': M('x_client_secret'),
      'X-Session-Id': M('x_session_id'),
      'Content-Type': 'text/html',
      'Content-Security-Policy': "default-src 'self'",
      'Access-Control-Allow-Credentials': 'true',
      Link: `<https://user:${M('url_credentials')}@cdn.example.test/a>; rel=preload`,
      'X-Debug': `deployed with ${M('github_token')}`,
    });
  });

  it('is idempotent and does not mutate its input', () => {
    const input = { 'set-cookie': 'sid=1', Server: 'nginx' };
    const once = redactHeaders(input);
    expect(redactHeaders(once)).toEqual(once);
    expect(input).toEqual({ 'set-cookie': 'sid=1', Server: 'nginx' });
  });
});

describe('redactDeep', () => {
  it('redacts every string inside a JSON value and leaves other values alone', () => {
    const ghp = fake.github();
    const input = {
      a: [ghp, 1, null, true, { b: `x ${ghp}` }],
      n: 2,
      nested: { deeper: [[`token=${rnd(24)}`]] },
    };
    expect(redactDeep(input)).toEqual({
      a: [M('github_token'), 1, null, true, { b: `x ${M('github_token')}` }],
      n: 2,
      nested: { deeper: [[`token=${M('generic_secret')}`]] },
    });
    expect(input.a[0]).toBe(ghp); // input untouched
    expect(redactDeep(`see ${ghp}`)).toBe(`see ${M('github_token')}`);
    expect(redactDeep(42)).toBe(42);
    expect(redactDeep(null)).toBe(null);
  });

  it('uses the key as context: a secret-named field is redacted unless it holds a placeholder', () => {
    const pw = fake.password();
    expect(
      redactDeep({ password: pw, clientSecret: rnd(20), apiKey: `\${API_KEY}`, token: '', title: pw }),
    ).toEqual({
      password: M('generic_secret'),
      clientSecret: M('generic_secret'),
      apiKey: `\${API_KEY}`,
      token: '',
      title: pw,
    });
  });

  it('redacts secrets used as keys and keeps a __proto__ key as data', () => {
    const ghp = fake.github();
    const out = redactDeep(JSON.parse(`{"${ghp}": 1, "__proto__": {"password": "${fake.password()}"}}`));
    expect(Object.keys(out)).toEqual([M('github_token'), '__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({
      password: M('generic_secret'),
    });
  });

  it('is idempotent and handles deep nesting without recursion', () => {
    const doc = { list: [fake.stripe(), { k: fake.jwt() }], password: fake.password() };
    const once = redactDeep(doc);
    expect(redactDeep(once)).toEqual(once);
    let deep: unknown = fake.github();
    for (let i = 0; i < 100_000; i++) deep = [deep];
    let out = redactDeep(deep);
    let depth = 0;
    while (Array.isArray(out)) {
      out = out[0];
      depth++;
    }
    expect([depth, out]).toEqual([100_000, M('github_token')]);
  });
});

describe('hostile input', () => {
  /** About 1 MB of a repeated near-miss. */
  const mb = (unit: string) => unit.repeat(Math.ceil(1_000_000 / unit.length));
  const hostile: Record<string, string> = {
    letters: mb('a'),
    digits: mb('1'),
    'spaced digits': mb('1 '),
    'dashed digits': mb('1-'),
    'PEM headers': mb(j('-----BEGIN ', 'PRIV', 'ATE KEY-----')),
    'PEM without end': j('-----BEGIN ', 'PRIV', 'ATE KEY-----\n', mb('AB \n')),
    assignments: mb('password='),
    'open quotes': mb('password="'),
    'escaped quotes': mb("token='\\"),
    'prose keywords': mb('token: '),
    'url userinfo': mb('https://u:'),
    'unterminated url password': j('a://b:', mb('c')),
    'jwt starts': mb('eyJ-'),
    'jwt header without payload': j('eyJ', mb('a'), '.eyJ'),
    'jwt segments': mb('eyJaaaaa.'),
    'bearer schemes': mb('Bearer '),
    'basic payload': j('Basic ', mb('A')),
    'slack prefixes': mb('xoxb-1'),
    'gitlab prefixes': mb('glpat-'),
    'google prefixes': mb('AIza-'),
    'aws keywords': mb('aws_secret_access_key='),
    'aws near misses': mb(j('aws_key=', 'A'.repeat(41))),
    'session cookies': mb('sessionid='),
    'escaped open quotes': mb('password=\\"'),
    'two-level open quotes': mb('password=\\\\\\"'),
    'escaped keys': mb('\\"token\\":'),
    'backslashes after an escaped quote': j('token=\\"a', mb('\\')),
    'backslash runs before quotes': j('token=\\"a', mb('\\\\"')),
    'two-level value of runs': j('token=\\\\\\"a', mb('\\\\"x')),
    base64: mb('QUFB+/'),
  };
  it.each(Object.entries(hostile))('finishes on 1 MB of %s', (_name, text) => {
    expect(typeof redactText(text)).toBe('string');
  });

  it('every rule pattern finishes on every hostile input', () => {
    for (const text of Object.values(hostile)) {
      for (const rule of SECRET_RULES) expect(() => text.match(rule.pattern)).not.toThrow();
    }
  });
});
