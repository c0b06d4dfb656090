import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger, withLogKeys } from '../../lib/logger.ts';

afterEach(() => vi.restoreAllMocks());

/** Every line the logger prints, parsed (JSON lines on stdout). */
function captureLines() {
  const lines: Record<string, unknown>[] = [];
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  return lines;
}

describe('log scope per invocation', () => {
  it('interleaved invocations each log their own request id, and nothing leaks outside a scope', async () => {
    const lines = captureLines();
    const tick = () => new Promise((r) => setTimeout(r, 1));
    const invocation = (id: string) =>
      withLogKeys({ request_id: id }, async () => {
        for (let i = 0; i < 5; i++) {
          await tick();
          logger.error('step', { i });
        }
      });
    await Promise.all(['req-a', 'req-b', 'req-c'].map(invocation));
    logger.error('outside');
    const steps = lines.filter((l) => l.message === 'step');
    expect(steps).toHaveLength(15);
    for (const id of ['req-a', 'req-b', 'req-c'])
      expect(steps.filter((l) => l.request_id === id)).toHaveLength(5);
    expect(lines.find((l) => l.message === 'outside')?.request_id).toBeUndefined();
  });

  it('nested scopes add keys to the outer ones', () => {
    const lines = captureLines();
    withLogKeys({ request_id: 'r1' }, () => withLogKeys({ message_id: 'm1' }, () => logger.error('inner')));
    expect(lines[0]).toMatchObject({ message: 'inner', request_id: 'r1', message_id: 'm1' });
  });
});

describe('log lines', () => {
  it('carry level, message, timestamp, service and the entry keys; errors as name and message, bigints as strings', () => {
    const lines = captureLines();
    logger.error('failed', { error: new TypeError('boom'), count: 12n, route: 'projects.get' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'ERROR',
      message: 'failed',
      service: expect.any(String),
      error: { name: 'TypeError', message: 'boom' },
      count: '12',
      route: 'projects.get',
    });
    expect(Number.isNaN(Date.parse(String(lines[0]?.timestamp)))).toBe(false);
    expect(lines[0]?.error).not.toHaveProperty('stack');
  });

  it("filters below the configured level (WRO_LOG_LEVEL, else Lambda's AWS_LAMBDA_LOG_LEVEL)", async () => {
    const { execFileSync } = await import('node:child_process');
    const run = (env: Record<string, string>) =>
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          "const { logger } = await import('./lib/logger.ts'); logger.debug('d'); logger.info('i'); logger.warn('w'); logger.error('e');",
        ],
        { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' },
      )
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).message);
    expect(run({})).toEqual(['i', 'w', 'e']);
    expect(run({ WRO_LOG_LEVEL: 'ERROR' })).toEqual(['e']);
    expect(run({ AWS_LAMBDA_LOG_LEVEL: 'WARN' })).toEqual(['w', 'e']);
    expect(run({ WRO_LOG_LEVEL: 'debug', AWS_LAMBDA_LOG_LEVEL: 'ERROR' })).toEqual(['d', 'i', 'w', 'e']);
  });
});
