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
  const sp = r.scanner_postback;
  if (sp) {
    out.push(
      '## Scanner postback cost and scale',
      '',
      'Command: `npm run bench` (section `scanner_postback`): `POST /api/scanner/results` through the full handler (in-process, API Gateway v2 event) against DynamoDB Local. Baselines in the same run: `JSON.parse` + zod validation of the same body, and a naive writer doing one `PutItem` per page and issue (4 in flight). DynamoDB requests and write units are exact (SDK middleware, `ReturnConsumedCapacity: TOTAL`).',
      '',
      table(
        [
          'pages×issues',
          'items',
          'p50 ms',
          'p95 ms',
          'p50 vs parse+validate',
          'ms/item',
          'DynamoDB requests',
          'budget ⌈items/25⌉+8',
          'write units',
          'naive PutItem: requests, ms (× pipeline p50)',
        ],
        sp.results.map((x: any) => [
          x.size,
          x.items_written,
          x.wall_ms.p50,
          x.wall_ms.p95,
          `${x.ratio_p50_vs_parse_validate}×`,
          x.ms_per_item_p50,
          x.dynamodb_requests,
          x.request_budget,
          x.write_units,
          `${x.naive_put_item.requests}, ${x.naive_put_item.wall_ms} (${x.naive_put_item.ratio_vs_pipeline_p50}×)`,
        ]),
      ),
      '',
      'Time per item falling or flat as the payload grows is the linear-growth check; requests stay within ⌈items/25⌉ plus a constant (auth-free scanner route: rate limit, idempotency claim and completion, run read, commit).',
      '',
    );
  }
  const ho = r.handler_overhead;
  if (ho) {
    out.push(
      '## Handler overhead',
      '',
      `Command: \`npm run bench\` (section \`handler_overhead\`): CPU time of this process per ${ho.payload} scanner postback, full Middy stack (scanner auth, rate limit, idempotency, JSON body, zod validation, business function) vs the bare business function (ingestion incl. sanitization) on the same input; best of ${ho.blocks} alternating blocks of ${ho.requests_per_block}. DynamoDB Local's CPU is in neither.`,
      '',
      table(
        ['path', 'CPU ms/request', 'ratio'],
        [
          ['bare business function (baseline)', ho.bare_business_cpu_ms_per_request, '1.00'],
          ['full Middy stack', ho.full_stack_cpu_ms_per_request, ho.ratio_full_vs_bare],
        ],
      ),
      '',
    );
  }
  const sz = r.sanitization;
  if (sz) {
    out.push(
      '## Sanitization throughput',
      '',
      `Command: \`npm run bench\` (section \`sanitization\`): ${sz.text_mb} MB of evidence-heavy text (secrets, ids, hashes, prose), best of several rounds.`,
      '',
      table(
        ['scan', 'MB/s', 'ratio'],
        [
          ['plain regex scan, one token pattern (baseline)', sz.plain_regex_mb_per_s, '1.00'],
          ['secret detector, every rule of the table', sz.sanitize_mb_per_s, sz.ratio_vs_plain_regex],
        ],
      ),
      '',
    );
  }
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
