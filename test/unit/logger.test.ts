import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger, withLogKeys } from '../../lib/logger.ts';

afterEach(() => vi.restoreAllMocks());

/** Every line the Powertools logger prints, parsed (it writes JSON lines to stdout and stderr). */
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
