import { describe, expect, it } from 'vitest';
import { LOGGED_RESPONSE_BODY_CHARS, redactResponseBody } from '../../../lib/domain/response-body.ts';

/* Fake secrets are assembled from pieces at test time (see test/unit/sanitize/secret-rules.test.ts). */
const j = (...parts: string[]) => parts.join('');
const M = (type: string) => `[REDACTED:${type}]`;
const ghp = j('gh', 'p_', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5');
const password = j('Tr0', 'ub4dor&3', 'Qz');
const token = j('tk', '9Xq2', 'LmV7wZ4pR8');

describe('a receiver answer as the attempt log stores it', () => {
  it('redacts a token and a secret-named field in a JSON answer', () => {
    const body = JSON.stringify({ received: true, token, note: `deployed with ${ghp}` });
    const stored = redactResponseBody(body);
    expect(JSON.parse(stored)).toEqual({
      received: true,
      token: M('generic_secret'),
      note: `deployed with ${M('github_token')}`,
    });
  });

  it('redacts secrets the receiver echoes as escaped JSON, one and two levels deep', () => {
    const once = JSON.stringify({ echo: JSON.stringify({ password, user: 'bob' }) });
    expect(JSON.parse(JSON.parse(redactResponseBody(once)).echo)).toEqual({
      password: M('generic_secret'),
      user: 'bob',
    });
    const twice = JSON.stringify({ echo: JSON.stringify(JSON.stringify({ api_key: token })) });
    expect(JSON.parse(JSON.parse(JSON.parse(redactResponseBody(twice)).echo))).toEqual({
      api_key: M('generic_secret'),
    });
  });

  it('redacts before cutting: a secret across the limit leaves no part of itself, nor a cut marker', () => {
    const upTo = (n: number) =>
      'x '.repeat(LOGGED_RESPONSE_BODY_CHARS).slice(0, LOGGED_RESPONSE_BODY_CHARS - n);
    const after = ' and more text after it';
    // The token starts 10 characters before the limit: its marker does not fit and is left out whole.
    expect(redactResponseBody(`${upTo(10)}${ghp}${after}`)).toBe(`${upTo(10)}…`);
    // `password=` fits, the value's marker does not; before, the cut value plus `…` read as a mask.
    expect(redactResponseBody(`${upTo(20)}password=${password}${after}`)).toBe(`${upTo(20)}password=…`);
    // 40 characters before the limit the marker fits, and the text after it fills the rest.
    const g = M('github_token');
    expect(redactResponseBody(`${upTo(40)}${ghp}${after}`)).toBe(
      `${upTo(40)}${g}${after.slice(0, 40 - g.length)}…`,
    );
  });

  it('keeps a short answer as it is and cuts a long one to the limit', () => {
    expect(redactResponseBody('{"received":true}')).toBe('{"received":true}');
    const long = 'a'.repeat(5000);
    expect(redactResponseBody(long)).toBe(`${'a'.repeat(LOGGED_RESPONSE_BODY_CHARS)}…`);
  });
});
