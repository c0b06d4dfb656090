import { describe, expect, it } from 'vitest';
import {
  buildSarifLog,
  cleanText,
  FINGERPRINT_KEY,
  locationUri,
  messageText,
  ruleIdFor,
  ruleNameFor,
  SEVERITY_LEVEL,
} from '../../../lib/domain/sarif-report.ts';
import { completedRun, issueRecord, realisticRun } from '../../support/report-fixtures.ts';

const logOf = (issues: ReturnType<typeof issueRecord>[]) =>
  buildSarifLog({ run: completedRun(), pages: [], issues });
const runOf = (issues: ReturnType<typeof issueRecord>[]) => logOf(issues).runs[0]!;

describe('SARIF: severity → level (documented in docs/scanner-results.md)', () => {
  it.each([
    ['critical', 'error', '9.5'],
    ['high', 'error', '8.0'],
    ['medium', 'warning', '5.5'],
    ['low', 'note', '2.0'],
    ['info', 'note', undefined],
  ] as const)('%s → level %s, security-severity %s', (severity, level, securitySeverity) => {
    const run = runOf([issueRecord('fp-00000001', { severity })]);
    expect(SEVERITY_LEVEL[severity]).toBe(level);
    expect(run.results[0]?.level).toBe(level);
    expect(run.tool.driver.rules[0]?.defaultConfiguration.level).toBe(level);
    expect(run.tool.driver.rules[0]?.properties['security-severity']).toBe(securitySeverity);
  });
});

describe('SARIF: rule ids', () => {
  it.each([
    ['missing_header', 'missing_header'],
    ['a11y.image-alt', 'a11y.image-alt'],
    ['Cookie without Secure flag', `cookie-without-secure-flag-`],
    ['XSS – reflected 反射型', 'xss-reflected-'],
    ['日本語', 'type-'],
    ['[REDACTED:github_token] leak', 'redacted-github_token-leak-'],
    ['x'.repeat(100), `${'x'.repeat(48)}-`],
  ])('%j → %s…', (type, prefix) => {
    const id = ruleIdFor(type);
    expect(id.startsWith(prefix)).toBe(true);
    expect(id).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
    expect(id.length).toBeLessThanOrEqual(64);
    expect(ruleIdFor(type)).toBe(id); // stable
    expect(ruleNameFor(id)).not.toBe(id);
    expect(ruleNameFor(id)).toMatch(/^[A-Z][A-Za-z0-9]*$/);
  });

  it('never gives two types one id', () => {
    const types = ['Missing header', 'missing-header', 'missing header', 'MISSING_HEADER', 'missing_header'];
    expect(new Set(types.map(ruleIdFor)).size).toBe(types.length);
  });

  it('one rule per issue type, results referencing it by id and index', () => {
    const run = runOf([
      issueRecord('fp-00000001', { type: 'b_type' }),
      issueRecord('fp-00000002', { type: 'a_type' }),
      issueRecord('fp-00000003', { type: 'b_type' }),
    ]);
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['a_type', 'b_type']);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
  });

  it('a rule with security or privacy issues is a security rule (tag, security-severity of its worst)', () => {
    const run = runOf([
      issueRecord('fp-00000001', { type: 't', category: 'seo', severity: 'critical' }),
      issueRecord('fp-00000002', { type: 't', category: 'privacy', severity: 'medium' }),
      issueRecord('fp-00000003', { type: 'perf', category: 'performance', severity: 'high' }),
    ]);
    const [perf, t] = run.tool.driver.rules;
    expect(t?.properties.tags).toEqual(['security', 'privacy', 'seo', 'webriskops']);
    expect(t?.properties['security-severity']).toBe('5.5');
    expect(t?.defaultConfiguration.level).toBe('error');
    expect(perf?.properties.tags).toEqual(['performance', 'webriskops']);
    expect(perf?.properties['security-severity']).toBeUndefined();
    expect(perf?.properties['problem.severity']).toBe('error');
  });
});

describe('SARIF: locations', () => {
  it.each([
    ['https://example.test/', 'example.test/'],
    ['https://example.test/login?next=%2Faccount#top', 'example.test/login'],
    [
      'https://shop.example.test:8443/カート/checkout',
      'shop.example.test_8443/%E3%82%AB%E3%83%BC%E3%83%88/checkout',
    ],
    ['http://[::1]:3000/a b', '%5B%3A%3A1%5D_3000/a%20b'],
  ])('%s → %s (relative: GitHub refuses https locations)', (url, uri) => {
    expect(locationUri(url)).toBe(uri);
    const result = runOf([issueRecord('fp-00000001', { page_url: url })]).results[0]!;
    expect(result.locations).toEqual([
      { physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } } },
    ]);
    expect(result.properties.page_url).toBe(url);
    expect(uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
  });
});

describe('SARIF: text', () => {
  it.each([
    ['plain', 'plain'],
    ['[link](https://evil.test)', '\\[link\\](https://evil.test)'],
    ['back\\slash', 'back\\\\slash'],
    ['bidi \u202Etxt.exe and \u2066isolate\u2069', 'bidi txt.exe and isolate'],
    ['bell\u0007 and nul\u0000', 'bell and nul'],
    ['crlf\r\nline', 'crlf\nline'],
    ['lone \uD83D surrogate', 'lone \uFFFD surrogate'],
    ['emoji 😀 ünïcødé', 'emoji 😀 ünïcødé'],
    ['   ', '(no text)'],
  ])('message %j → %j', (input, expected) => {
    expect(messageText(input)).toBe(expected);
  });

  it('keeps tabs and newlines in property text, drops controls', () => {
    expect(cleanText('a\tb\nc\u001Fd')).toBe('a\tb\ncd');
  });

  it('a result: title and description as its message, fingerprint as partialFingerprints, details as properties', () => {
    const input = realisticRun();
    const run = buildSarifLog(input).runs[0]!;
    const cookie = run.results.find((r) => r.partialFingerprints[FINGERPRINT_KEY] === 'cookie-secure-login')!;
    expect(cookie.message.text).toBe(
      'Session cookie \\[sid\\](https://evil.test) without Secure — {0} placeholder\n\nCookie "sid" is sent over HTTP. txt.exe token=\\[REDACTED:generic_secret\\]',
    );
    expect(cookie.properties).toMatchObject({
      severity: 'medium',
      category: 'privacy',
      confidence: 80,
      business_impact: 'Sessions can be hijacked on public Wi-Fi.',
      reproduction_steps: ['Open /login', 'Inspect Set-Cookie', 'See no Secure attribute'],
      page_index: 1,
    });
    expect(cookie.properties.evidence.length).toBeGreaterThan(10_000); // long text kept whole
    const alt = run.results.find((r) => r.partialFingerprints[FINGERPRINT_KEY] === 'alt-text-checkout')!;
    expect(alt.message.text).toBe('画像に代替テキストがありません'); // no description: the title alone
  });

  it('holds no artifact path, no response header and no Markdown', () => {
    const text = JSON.stringify(buildSarifLog(realisticRun()));
    for (const absent of ['artifacts/', '.png', 'screenshot', 'html_snapshot', 'set-cookie', '"markdown"'])
      expect(text).not.toContain(absent);
  });
});

describe('SARIF: the log', () => {
  it('is SARIF 2.1.0 with the tool, automation details and results by severity, then fingerprint', () => {
    const log = buildSarifLog(realisticRun());
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({
      name: 'WebRiskOps',
      version: '1.0.0',
      informationUri: 'urn:webriskops:scan-report',
    });
    expect(run.automationDetails).toEqual({ id: 'webriskops/prj_0123456789abcdef01234567/7' });
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    const keys = run.results.map((r) => [
      order.indexOf(r.properties.severity),
      r.partialFingerprints[FINGERPRINT_KEY],
    ]);
    expect(keys).toEqual(
      [...keys].sort((a, b) => Number(a[0]) - Number(b[0]) || String(a[1]).localeCompare(String(b[1]))),
    );
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.fullDescription.text).not.toBe('');
      expect(rule.help.text).not.toBe('');
    }
  });

  it('is deterministic: the same committed run builds the same bytes', () => {
    expect(JSON.stringify(buildSarifLog(realisticRun()))).toBe(JSON.stringify(buildSarifLog(realisticRun())));
  });

  it('refuses a run that is not completed', () => {
    expect(() => buildSarifLog({ run: completedRun({ status: 'queued' }), pages: [], issues: [] })).toThrow();
  });
});
