import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanResultItems } from '../../../lib/db/scan-results-store.ts';
import { buildRecords } from '../../../lib/domain/scanner-ingest.ts';
import { parseScannerResult } from '../../../lib/domain/scanner-validate.ts';
import { ValidationError } from '../../../lib/errors.ts';
import { LIMITS } from '../../../lib/schemas/scanner-results.ts';
import { DYNAMODB_ITEM_LIMIT_BYTES, dynamoItemBytes } from '../../support/dynamodb-item-size.ts';
import { MAXIMA_CHARS as CHARS, maximalPostback } from '../../support/scanner-fixtures.ts';

/**
 * Every schema-valid postback is storable: a page and an issue with every field at its maximum, in
 * characters of 1 to 4 UTF-8 bytes, make items within DynamoDB's 400 KB (counted as DynamoDB counts).
 */
function storedItemBytes(body: unknown): number[] {
  const result = parseScannerResult(body);
  if (result.status !== 'completed' || !result.page || !result.artifacts) throw new Error('not a page');
  const { pages, issues } = buildRecords([
    { page: result.page, artifacts: result.artifacts, issues: result.issues ?? [] },
  ]);
  return scanResultItems(result.scanRunId, 'i'.repeat(64), pages, issues).map(dynamoItemBytes);
}

describe('postbacks at the schema maxima', () => {
  it('are valid and fit 400 KB per item, whatever characters fill them', () => {
    fc.assert(
      fc.property(fc.func(fc.constantFrom(...CHARS)), fc.boolean(), (pick, listSteps) => {
        const sizes = storedItemBytes(maximalPostback((f) => pick(f), listSteps));
        return sizes.every((s) => s <= DYNAMODB_ITEM_LIMIT_BYTES);
      }),
      { numRuns: 60 },
    );
  });

  it('in 4-byte characters everywhere, the largest items stay under the limit with room to spare', () => {
    const [page, issue] = storedItemBytes(maximalPostback(() => '😀', true));
    expect(page).toBeGreaterThan(LIMITS.headerBytes);
    expect(issue).toBeGreaterThan(250 * 1024);
    expect(Math.max(page as number, issue as number)).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES);
  });

  it('a page at its maxima carrying the most issues, each a 128-character fingerprint, fits: its index of them too', () => {
    const body = maximalPostback(() => '😀', false);
    const issue = body.issues[0] as (typeof body.issues)[number];
    body.issues = Array.from({ length: LIMITS.issuesPerPage }, (_, n) => ({
      ...issue,
      title: 't',
      description: 'd',
      evidence: 'e',
      reproductionSteps: 'r',
      fingerprint: `${n}`.padStart(128, 'f'),
    }));
    const [page] = storedItemBytes(body);
    expect(page).toBeGreaterThan(LIMITS.headerBytes + LIMITS.issuesPerPage * 128);
    expect(page).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES);
  });

  it('refuses what would not fit: headers past their byte budget, a longer reproduction step', () => {
    const tooManyHeaderBytes = maximalPostback(() => 'a', false);
    tooManyHeaderBytes.page.responseHeaders = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`x-h${i}`, 'v'.repeat(8000)]),
    );
    const longStep = maximalPostback(() => 'a', true);
    (longStep.issues[0]?.reproductionSteps as string[])[3] = 'x'.repeat(LIMITS.reproductionStep + 1);
    const fields = (body: unknown) => {
      try {
        parseScannerResult(body);
        return [];
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return (err.details ?? []).map((d) => d.field);
      }
    };
    expect(fields(tooManyHeaderBytes)).toEqual(['page.responseHeaders']);
    expect(fields(longStep)).toEqual(['issues.0.reproductionSteps.3']);
  });

  it('keeps header names such as constructor and __proto__ exactly', () => {
    const body = JSON.parse(
      '{"scanRunId":1,"status":"completed","page":{"url":"https://a.test/","normalizedUrl":"https://a.test/","statusCode":200,"pageType":"home","responseHeaders":{"constructor":"c","__proto__":"p","toString":"t"}},"artifacts":{"screenshotPath":"s.png"}}',
    );
    const result = parseScannerResult(body);
    if (result.status !== 'completed') throw new Error('completed expected');
    expect(JSON.stringify(result.page?.responseHeaders)).toBe(
      '{"constructor":"c","__proto__":"p","toString":"t"}',
    );
    const [pageItem] = scanResultItems(
      1,
      'x',
      buildRecords([{ page: result.page!, artifacts: result.artifacts!, issues: [] }]).pages,
      [],
    );
    expect(pageItem?.response_headers).toEqual([
      ['constructor', 'c'],
      ['__proto__', 'p'],
      ['toString', 't'],
    ]);
  });
});
