import { renderColdStartSection } from './cold-start-report.ts';

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
          'sequential round trips (stand-in, +10 ms/request)',
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
          x.sequential_round_trips ?? 'n/a',
          `${x.naive_put_item.requests}, ${x.naive_put_item.wall_ms} (${x.naive_put_item.ratio_vs_pipeline_p50}×)`,
        ]),
      ),
      '',
      'Time per item falling or flat as the payload grows is the linear-growth check; requests stay within ⌈items/25⌉ plus a constant (auth-free scanner route: rate limit, idempotency claim and run read in one parallel round trip, the batched page and issue writes, then one transaction that commits the run together with the idempotency record completion). The round trips are counted on the same handler with 10 ms added to every DynamoDB request, where requests that overlap are visible as such; before this design the 1×10 postback took 6, one after the other.',
      '',
    );
  }
  const fa = r.findings_apply;
  if (fa) {
    out.push(
      `## Findings application (${fa.size} run)`,
      '',
      `Command: \`npm run bench\` (section \`findings_apply\`): a completed ${fa.size} run applied to its project's findings as the dispatcher's \`scan-run-findings\` reaction does (docs/scanner-results.md, "Findings across scan runs"), on DynamoDB Local with ${fa.round_trip_latency_injected_ms} ms added to every request. Counts are exact. Baselines in the same run: the findings the run observed (what an applier writing every observed finding would write), and the dispatcher's timeout (${fa.dispatcher_timeout_ms / 1000} s).`,
      '',
      table(
        [
          'case',
          'findings observed',
          'outcome',
          'delta',
          'finding writes (× observed)',
          'DynamoDB requests',
          'by command',
          'write units',
          'read units',
          'sequential round trips',
          'ms on the stand-in (× dispatcher timeout)',
        ],
        fa.results.map((x: any) => [
          x.case,
          x.findings_observed,
          x.outcome,
          x.delta
            ? Object.entries(x.delta)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')
            : '—',
          `${x.finding_writes} (×${x.ratio_writes_vs_observed})`,
          x.dynamodb_requests,
          Object.entries(x.dynamodb_requests_by_command)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
          x.write_units,
          x.read_units,
          x.sequential_round_trips,
          `${x.wall_ms_stand_in} (×${x.ratio_wall_vs_dispatcher_timeout})`,
        ]),
      ),
      '',
      'Only findings that change are written (16 UpdateItems in flight); unchanged findings cost their share of the reads alone, and a replayed record stops at its one conditional claim of the project’s head.',
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
  const dt = r.delivery_throughput;
  if (dt) out.push(renderDeliverySection(dt));
  if (r.cold_start) out.push(renderColdStartSection(r.cold_start));
  return `${out.join('\n')}\n`;
}

const yesNo = (met: boolean) => (met ? 'met' : 'not met');

/** The delivery section: per-attempt cost, then throughput on both DynamoDB backends. */
function renderDeliverySection(dt: Results): string {
  const cost = dt.attempt_cost as Results[];
  const rows = dt.results as Results[];
  const at = (backend: string, latency: number) =>
    rows.find((x) => x.dynamodb === backend && x.receiver_latency_ms === latency);
  const standIn50 = at('aws_like_stand_in', 50);
  const local0 = at('dynamodb_local', 0);
  const standIn0 = at('aws_like_stand_in', 0);
  const latencies = Object.entries(dt.aws_like_latencies_ms as Record<string, number>)
    .map(([op, ms]) => `${op} ${ms} ms`)
    .join(', ');
  return [
    '## Delivery',
    '',
    `Command: \`npm run bench\` (section \`delivery_throughput\`). Both workers run as shipped bundles: the current one, built by the bench with the stack's options, and the reference, \`${dt.reference}\`, the worker of the release before this layout (state read, lease, target and account reads, outcome transaction; body inline in the export item), kept gzipped in bench/reference/. Both run on exports prepared and approved by today's code; the reference's get their body and fingerprints copied back inline, and keep today's target-index keys (gsi2), so the reference's write units include that index's writes, as the current worker's do. Counts are exact.`,
    '',
    '### One attempt',
    '',
    "One delivered export at a time, through each worker. Requests and write units are counted against DynamoDB Local, behind a proxy that asks for `ReturnConsumedCapacity: TOTAL` (bench/lib/dynamodb-proxy.ts); the write units are DynamoDB Local's own figures. Sequential round trips are counted on the stand-in below, where each request takes its milliseconds, so requests sent together visibly overlap.",
    '',
    table(
      [
        'worker',
        'export body',
        'requests',
        'by operation',
        'sequential round trips',
        'write units',
        'same on every attempt',
      ],
      cost.map((x) => [
        x.worker,
        `${x.export} (${x.body_bytes.toLocaleString('en-US')} bytes)`,
        x.requests,
        Object.entries(x.requests_by_operation as Record<string, number>)
          .map(([op, n]) => `${n} ${op}`)
          .join(', '),
        x.sequential_round_trips,
        x.write_units,
        x.identical_across_attempts ? 'yes' : 'no',
      ]),
    ),
    '',
    `Target: at most 2 round trips and 4 requests per attempt, and write units independent of the body: ${yesNo(
      cost
        .filter((x) => x.worker === 'current')
        .every((x) => x.sequential_round_trips <= 2 && x.requests <= 4 && x.identical_across_attempts) &&
        new Set(cost.filter((x) => x.worker === 'current').map((x) => x.write_units)).size === 1,
    )}.`,
    '',
    '### Throughput',
    '',
    `Approved exports (${rows[0]?.body_bytes} bytes each) wait on a local SQS queue. ${dt.pollers} event-source pollers (batch size ${dt.batch_size}, like the event source mapping at that maximum concurrency) hand the batches to the worker. Each export goes to a loopback sink that answers \`204\` after the receiver latency. The time runs from the first batch received to the last message acknowledged. Every export is checked \`exported\`, and the sink must count exactly one request per export. The reference and the current worker run back to back for each case, in alternating order (the column "first"). Baseline in the same run: plain HTTP POSTs of the same body to the same sink, as many in flight (${rows[0]?.in_flight}), over kept-alive connections, as the worker sends them.`,
    '',
    'DynamoDB runs two ways:',
    '',
    '- **DynamoDB Local**, which handles one request at a time, so it caps both workers at the rate it serves requests.',
    `- **The stand-in** (bench/lib/dynamodb-memory.ts). It keeps the table in memory, answers many requests at once, and adds AWS-like latencies (assumed, not measured: ${latencies}).`,
    '',
    "SQS with its pollers, the sinks and the stand-in run in a worker thread of their own (bench/lib/outside.ts). The main thread runs only the worker and the raw baseline's client, as a container would.",
    '',
    table(
      [
        'DynamoDB',
        'receiver latency',
        'deliveries',
        'first',
        'raw POSTs/s',
        'reference deliveries/s',
        'current deliveries/s',
        'current ÷ raw',
        'current ÷ reference',
        'mean batch ms (current)',
        'mean DynamoDB request ms (current)',
        'DynamoDB requests per delivery (current, reference)',
      ],
      rows.map((x) => [
        x.dynamodb === 'dynamodb_local' ? 'DynamoDB Local' : 'stand-in',
        `${x.receiver_latency_ms} ms`,
        x.deliveries,
        x.ran_first,
        x.raw_posts_per_s,
        x.reference_deliveries_per_s,
        x.current_deliveries_per_s,
        x.ratio_current_vs_raw,
        x.ratio_current_vs_reference,
        x.current_mean_batch_ms,
        x.current_mean_dynamodb_request_ms,
        `${x.current_dynamodb_requests_per_delivery}, ${x.reference_dynamodb_requests_per_delivery}`,
      ]),
    ),
    '',
    `Targets: at least 0.5× the raw rate at 50 ms on the stand-in: ${yesNo(
      (standIn50?.ratio_current_vs_raw ?? 0) >= 0.5,
    )} (×${standIn50?.ratio_current_vs_raw}). At least 1.25× the reference's deliveries/s at 0 ms: ${yesNo(
      (local0?.ratio_current_vs_reference ?? 0) >= 1.25 &&
        (standIn0?.ratio_current_vs_reference ?? 0) >= 1.25,
    )} (×${local0?.ratio_current_vs_reference} on DynamoDB Local, ×${standIn0?.ratio_current_vs_reference} on the stand-in).`,
    '',
    'How to read it: with a fast receiver, a delivery is dominated by its own work. That work is its lease (one DynamoDB request through the SDK), its share of the batch’s read and outcome transaction, signing, and one POST over a kept-alive connection to the checked address. On this machine that costs a few milliseconds of CPU per delivery, and the ten deliveries of a batch share one thread. A raw POST is only the loopback exchange. The slower the receiver, the more its latency dominates both paths, and the closer the ratio gets to 1.',
    '',
  ].join('\n');
}
