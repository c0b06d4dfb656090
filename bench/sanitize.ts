import { redactText } from '../lib/sanitize/redact.ts';
import { ratio, round } from './lib/stats.ts';

/**
 * Sanitization throughput on evidence-heavy text (MB/s) against a plain regex scan of the same text
 * (one simple token pattern), best of several alternating rounds.
 */
export function benchSanitize(opts: { megabytes: number; rounds: number }) {
  const pieces = [
    'GET /account/settings → 200. Response included a debug block: ',
    `AWS_ACCESS_KEY_ID=${['AK', 'IA', 'QWERTYUIOPASDFGH'].join('')} `,
    'user=alice@example.test role=admin session started at 1700000000; ',
    `password="${['Hun', 'ter2!x'].join('')}" `,
    'the page loads 42 scripts from cdn.example.test and 3 inline handlers; ',
    'id 550e8400-e29b-41d4-a716-446655440000 commit 3f786850e387550fdab836ed7e6dc881de23001b. ',
  ];
  let text = '';
  while (text.length < opts.megabytes * 1024 * 1024) text += pieces.join('');
  const mb = text.length / (1024 * 1024);
  const plain = /[A-Za-z0-9_-]{20,}/g;
  let bestSanitize = 0;
  let bestPlain = 0;
  for (let r = 0; r < opts.rounds; r++) {
    let t = performance.now();
    redactText(text);
    bestSanitize = Math.max(bestSanitize, mb / ((performance.now() - t) / 1000));
    t = performance.now();
    text.match(plain);
    bestPlain = Math.max(bestPlain, mb / ((performance.now() - t) / 1000));
  }
  return {
    command: 'npm run bench',
    text_mb: round(mb, 2),
    rules: 'lib/sanitize/secret-rules.ts (all rules)',
    sanitize_mb_per_s: round(bestSanitize, 1),
    plain_regex_mb_per_s: round(bestPlain, 1),
    ratio_vs_plain_regex: ratio(bestSanitize, bestPlain),
  };
}
