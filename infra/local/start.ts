/**
 * `npm start`: the whole system on this machine (README, "What npm start runs"). DynamoDB Local (Java), the local SQS
 * server, the API on PORT, the SQS → delivery worker poller and the stream → dispatcher poller.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { createFaultInjector, type FaultInjector, parseFaultProfile } from './faults.ts';
import { assertPortFree, freePort, LocalStackError } from './ports.ts';
import { startSqsLocal } from './sqs-local.ts';
import { generateDevSecret, startLocalStack } from './stack.ts';
import { readStackFile, stackFilePath } from './stack-file.ts';

const TABLE_NAME = 'webriskops-local';

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new LocalStackError(`PORT must be a port number, got ${process.env.PORT}`);
  const dataDir = resolve(process.env.WRO_DATA_DIR ?? '.local');
  mkdirSync(dataDir, { recursive: true });
  const previous = readStackFile(dataDir);
  if (previous?.kind === 'live') {
    throw new LocalStackError(
      `another npm start (pid ${previous.stack.pid}, ${previous.stack.api_url}) uses the data folder ${dataDir}; stop it first, or set WRO_DATA_DIR to another folder.`,
    );
  }
  if (previous?.kind === 'stale') {
    console.error(
      `npm start: ${stackFilePath(dataDir)} was left by a stack that no longer runs${previous.pid ? ` (pid ${previous.pid})` : ''}; replacing it.`,
    );
    rmSync(stackFilePath(dataDir), { force: true });
  }
  await assertPortFree(port, 'API');

  let scannerSecret = process.env.WRO_SCANNER_SHARED_SECRET;
  let secretShown = '(from WRO_SCANNER_SHARED_SECRET, not shown)';
  if (!scannerSecret) {
    const file = join(dataDir, 'dev-scanner-secret');
    scannerSecret = existsSync(file) ? readFileSync(file, 'utf8').trim() : generateDevSecret();
    writeFileSync(file, scannerSecret, { mode: 0o600 });
    secretShown = `${scannerSecret}  (generated for development, kept in ${file})`;
  }
  const keyFile = join(dataDir, 'target-secrets.key');
  const targetSecretsKey = existsSync(keyFile)
    ? readFileSync(keyFile, 'utf8').trim()
    : randomBytes(32).toString('base64');
  writeFileSync(keyFile, targetSecretsKey, { mode: 0o600 });
  const allowPrivate =
    process.env.WRO_ALLOW_PRIVATE_TARGETS !== '0' && process.env.WRO_ALLOW_PRIVATE_TARGETS !== 'false';
  // Off unless asked for: a fault profile makes the local stack answer like AWS under trouble.
  let faults: FaultInjector | undefined;
  if (process.env.WRO_LOCAL_FAULTS) {
    try {
      faults = createFaultInjector(parseFaultProfile(process.env.WRO_LOCAL_FAULTS, 'WRO_LOCAL_FAULTS'));
    } catch (err) {
      throw new LocalStackError((err as Error).message);
    }
  }

  const dynamo = await startDynamoDbLocal({ port: await freePort(), dbPath: join(dataDir, 'dynamodb') });
  const stopAll: (() => Promise<void>)[] = [() => dynamo.stop()];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const stop of stopAll.reverse()) await stop().catch(() => {});
    rmSync(join(dataDir, 'stack.json'), { force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // `npm start` execs this in place of its shell, so npm passes SIGINT/SIGTERM straight on. Should the
  // parent die without doing so (SIGKILL, a crash), an orphaned stack would keep its port and its Java:
  // the parent's exit is the signal to stop, too.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(0);
  }, 250).unref();
  process.on('exit', () => dynamo.process.kill('SIGKILL'));
  // A stack without its database answers 500 to everything: it stops instead, and says why.
  dynamo.process.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(
      `npm start: DynamoDB Local exited (${signal ?? `code ${code}`}); stopping the stack. Start it again with npm start.`,
    );
    void shutdown(1);
  });

  try {
    const sqs = await startSqsLocal({ port: await freePort() });
    stopAll.push(() => sqs.stop());
    const stack = await startLocalStack({
      port,
      dynamodbEndpoint: dynamo.endpoint,
      sqsEndpoint: sqs.endpoint,
      tableName: TABLE_NAME,
      dataDir,
      scannerSecret,
      targetSecretsKey,
      allowPrivateTargets: allowPrivate,
      faults,
      // CORS: the local API's own origin unless WRO_CORS_ORIGINS says otherwise (none on AWS by default).
      env: {
        WRO_CORS_ORIGINS: process.env.WRO_CORS_ORIGINS ?? `http://127.0.0.1:${port},http://localhost:${port}`,
      },
      onWorkerError: (err) =>
        console.error(
          JSON.stringify({ level: 'ERROR', message: 'worker error', error: (err as Error).message }),
        ),
    });
    stopAll.push(() => stack.stop());
    const stackFile = join(dataDir, 'stack.json');
    writeFileSync(
      stackFile,
      `${JSON.stringify(
        {
          api_url: stack.apiUrl,
          region: 'us-east-1',
          table_name: TABLE_NAME,
          dynamodb_endpoint: dynamo.endpoint,
          sqs_endpoint: sqs.endpoint,
          deliveries_queue_url: stack.queues.deliveriesUrl,
          deliveries_dlq_url: stack.queues.deliveriesDlqUrl,
          artifacts_dir: join(dataDir, 'artifacts'),
          allow_private_targets: allowPrivate,
          pid: process.pid,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`WebRiskOps local stack is ready.
  API:            ${stack.apiUrl}
  Data folder:    ${dataDir} (state persists between restarts)
  Stack file:     ${stackFile}
  Scanner secret: ${secretShown}
  Private/loopback webhook targets: ${allowPrivate ? 'ALLOWED (development switch WRO_ALLOW_PRIVATE_TARGETS=1; set WRO_ALLOW_PRIVATE_TARGETS=0 to refuse them)' : 'refused'}${faults ? `\n  Fault injection: ON (WRO_LOCAL_FAULTS=${process.env.WRO_LOCAL_FAULTS})` : ''}
Create an account:  npm run admin -- create-account --name "Example" --plan team --json
Stop with Ctrl+C.`);
  } catch (err) {
    report(err);
    await shutdown(1);
  }
}

function report(err: unknown): void {
  if (err instanceof LocalStackError) console.error(`npm start: ${err.message}`);
  else console.error(`npm start failed: ${(err as Error).message}`);
}

main().catch((err) => {
  report(err);
  process.exit(1);
});
