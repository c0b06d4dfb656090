/** Renders BENCHMARKS.md from bench/results.json (every figure quoted with its command and baseline). */
type Results = Record<string, any>;

const table = (head: string[], rows: (string | number)[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

export function renderBenchmarks(r: Results): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    `Produced by \`npm run bench\` (writes \`bench/results.json\` and this file) on ${r.generated_at}, Node ${r.machine?.node}, ${r.machine?.platform}, a shared 2-core machine.`,
    'Timings are ratios against a baseline measured in the same run (absolute numbers on these machines are noisy); counts are exact, taken from an AWS SDK middleware.',
    '',
  ];
  const pc = r.platform_cost;
  if (pc) {
    out.push(
      '## Authentication, rate limit and idempotency cost (DynamoDB requests per request, exact)',
      '',
      'Command: `npm run bench` (section `platform_cost`): real handlers invoked in-process against DynamoDB Local; every SDK request is counted and attributed to the item type it touches.',
      '',
      table(
        ['what', 'DynamoDB requests added per request'],
        [
          ['bearer authentication (token + account reads)', pc.added_per_request.authentication],
          ['rate limit (one conditional UpdateItem)', pc.added_per_request.rate_limit],
          [
            'idempotency, first execution (claim PutItem + complete UpdateItem)',
            pc.added_per_request.idempotency_first_execution,
          ],
          [
            'idempotency, replay (claim attempt answered by the failed condition)',
            pc.added_per_request.idempotency_replay,
          ],
        ],
      ),
      '',
      `Whole requests: \`POST /api/projects\` ${pc.post_project.total_requests} requests (${JSON.stringify(pc.post_project.by_item_type)}), replay ${pc.replayed_post.total_requests}, \`GET /api/projects/{id}\` ${pc.get_project.total_requests}.`,
      '',
    );
  }
  const vw = r.webhook_verification;
  if (vw) {
    out.push(
      '## Webhook verification',
      '',
      `Command: \`npm run bench\` (section \`webhook_verification\`): ${vw.messages_per_round} signed ${vw.body_bytes}-byte messages per round, best of ${vw.rounds} alternating rounds, same process.`,
      '',
      table(
        ['verifier', 'ops/s', 'ratio'],
        [
          ['`standardwebhooks` package `Webhook.verify` (baseline)', vw.standardwebhooks_ops_per_s, '1.00'],
          [
            '`verifyWebhook` (constant-time, tolerance, nonce replay store)',
            vw.verifyWebhook_ops_per_s,
            vw.ratio_vs_standardwebhooks,
          ],
        ],
      ),
      '',
    );
  }
  return `${out.join('\n')}\n`;
}
