import { describe, expect, it } from 'vitest';
import type { ScanRunItem } from '../../../lib/db/scan-runs-store.ts';
import { answerReport, INLINE_MAX_BYTES, reportStatusOf } from '../../../lib/domain/report-delivery.ts';
import { toScanRunView } from '../../../lib/domain/scan-runs.ts';
import type { AppError } from '../../../lib/errors.ts';
import { scanRunItem } from '../../support/report-fixtures.ts';

const run = (over: Partial<ScanRunItem> = {}): ScanRunItem =>
  scanRunItem({ report_status: 'ready', report_bytes: { json: 100, sarif: INLINE_MAX_BYTES + 1 }, ...over });

const access = {
  presign: (req: { key: string; contentType: string; expiresInSeconds: number }) =>
    `https://store.test/${req.key}?type=${req.contentType}&ttl=${req.expiresInSeconds}`,
  fetchText: async (url: string) => `body of ${url}`,
};

const refusal = async (r: ScanRunItem) => {
  try {
    await answerReport(r, 'json', access);
  } catch (err) {
    const e = err as AppError;
    return { status: e.status, code: e.code, message: e.message, headers: e.headers };
  }
  throw new Error('answered');
};

describe('GET …/report: answers', () => {
  it('inline up to 2 MiB, a 303 to a 5-minute URL above', async () => {
    expect(await answerReport(run(), 'json', access)).toEqual({
      kind: 'inline',
      contentType: 'application/json',
      body: 'body of https://store.test/reports/scan-runs/9/report.json?type=application/json&ttl=300',
    });
    expect(await answerReport(run(), 'sarif', access)).toEqual({
      kind: 'redirect',
      location: 'https://store.test/reports/scan-runs/9/report.sarif?type=application/sarif+json&ttl=300',
    });
  });

  it.each([
    [
      'a queued run',
      run({ status: 'queued', report_status: 'not_started', report_bytes: undefined }),
      { status: 409, code: 'SCAN_RUN_NOT_COMPLETED', message: /has not completed yet/ },
    ],
    [
      'a failed run',
      run({
        status: 'failed',
        report_status: 'unavailable',
        report_bytes: undefined,
        error: { code: 'CRAWL_TIMEOUT', message: 'timed out' },
      }),
      {
        status: 409,
        code: 'SCAN_RUN_NOT_COMPLETED',
        message: /failed \(CRAWL_TIMEOUT\): a failed run has no report/,
      },
    ],
    [
      'a pending report',
      run({ report_status: 'pending', report_bytes: undefined }),
      { status: 409, code: 'REPORT_NOT_READY', message: /being built/, headers: { 'Retry-After': '2' } },
    ],
    [
      'a failed report',
      run({
        report_status: 'failed',
        report_bytes: undefined,
        report_error: { code: 'REPORT_TOO_LARGE', message: 'too big' },
      }),
      { status: 409, code: 'REPORT_FAILED', message: /\(REPORT_TOO_LARGE\): too big/ },
    ],
    [
      'a run completed before reports existed (ready, no documents)',
      run({ report_bytes: undefined }),
      { status: 409, code: 'REPORT_FAILED', message: /REPORT_NOT_BUILT/ },
    ],
  ])(
    '%s → 409',
    async (_name, r, expected: { status: number; code: string; message: RegExp; headers?: object }) => {
      const got = await refusal(r);
      expect(got).toMatchObject({
        status: expected.status,
        code: expected.code,
        ...(expected.headers ? { headers: expected.headers } : {}),
      });
      expect(got.message).toMatch(expected.message);
    },
  );

  it('the run view says the same: legacy ready without documents is failed, report_error null otherwise', () => {
    expect(reportStatusOf(run({ report_bytes: undefined }))).toEqual({
      report_status: 'failed',
      report_error: {
        code: 'REPORT_NOT_BUILT',
        message: 'The run completed before scan reports were built; it has none.',
      },
    });
    expect(toScanRunView(run())).toMatchObject({ report_status: 'ready', report_error: null });
    expect(
      toScanRunView(run({ report_status: 'pending', report_bytes: undefined, report_error: undefined })),
    ).toMatchObject({
      report_status: 'pending',
      report_error: null,
    });
  });
});
