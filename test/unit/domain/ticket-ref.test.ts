import { describe, expect, it, vi } from 'vitest';
import { MAX_TICKET_ID_CHARS, parseTicketRef } from '../../../lib/domain/ticket-ref.ts';

describe('parseTicketRef (docs/ticket-exports.md, "Ticket references")', () => {
  const cases: [string, string, ReturnType<typeof parseTicketRef>][] = [
    [
      'id and url',
      '{"ticket":{"id":"SEC-12","url":"https://t.example/SEC-12"}}',
      { id: 'SEC-12', url: 'https://t.example/SEC-12' },
    ],
    ['an integer id', '{"ticket":{"id":4711}}', { id: '4711', url: null }],
    [
      'other fields around it',
      '{"received":true,"ticket":{"id":" A-1 ","extra":1}}',
      { id: 'A-1', url: null },
    ],
    ['no ticket', '{"received":true}', undefined],
    ['not JSON', 'OK', undefined],
    ['an empty body', '', undefined],
    ['JSON null', 'null', undefined],
    ['ticket not an object', '{"ticket":"SEC-12"}', undefined],
    ['an empty id', '{"ticket":{"id":"  "}}', undefined],
    ['an id too long', `{"ticket":{"id":"${'x'.repeat(MAX_TICKET_ID_CHARS + 1)}"}}`, undefined],
    [
      'the longest id',
      `{"ticket":{"id":"${'x'.repeat(MAX_TICKET_ID_CHARS)}"}}`,
      { id: 'x'.repeat(MAX_TICKET_ID_CHARS), url: null },
    ],
    ['a control character in the id', '{"ticket":{"id":"A\\u0007B"}}', undefined],
    ['a zero-width character in the id', '{"ticket":{"id":"A\\u200bB"}}', undefined],
    ['a bidi override in the id', '{"ticket":{"id":"A\\u202eB"}}', undefined],
    ['a fractional id', '{"ticket":{"id":1.5}}', undefined],
    ['a secret as the id', '{"ticket":{"id":"ghp_0123456789abcdefghijABCDEFGHIJ012345"}}', undefined],
    ['a javascript: url', '{"ticket":{"id":"A","url":"javascript:alert(1)"}}', { id: 'A', url: null }],
    [
      'a url with credentials',
      '{"ticket":{"id":"A","url":"https://u:p@t.example/A"}}',
      { id: 'A', url: null },
    ],
    ['a relative url', '{"ticket":{"id":"A","url":"/browse/A"}}', { id: 'A', url: null }],
    [
      'a url too long',
      `{"ticket":{"id":"A","url":"https://t.example/${'a'.repeat(2048)}"}}`,
      { id: 'A', url: null },
    ],
    [
      'an http url',
      '{"ticket":{"id":"A","url":"http://t.example/A"}}',
      { id: 'A', url: 'http://t.example/A' },
    ],
  ];
  it.each(cases)('%s', (_name, body, expected) => {
    expect(parseTicketRef(body)).toEqual(expected);
  });
});

describe('parseTicketRef on an empty answer', () => {
  it('returns at once, without parsing (most answers are a 204)', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(parseTicketRef('')).toBeUndefined();
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});
