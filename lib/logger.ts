import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Structured JSON logs, one line per entry on stdout (CloudWatch takes each as an event). Rule: log
 * ids, routes, statuses and durations, never headers, bodies, tokens, secrets or signatures.
 *
 * Each line: `level`, `message`, `timestamp`, `service` (POWERTOOLS_SERVICE_NAME, set per function by
 * the stack), `xray_trace_id` when Lambda sets one, the keys of the invocation's scope, then the
 * entry's own keys. Level: WRO_LOG_LEVEL, else AWS_LAMBDA_LOG_LEVEL (Lambda's advanced logging
 * controls), else POWERTOOLS_LOG_LEVEL, else INFO.
 *
 * Our own ~40 lines instead of Powertools Logger, whose 20 KB and init time went into every function
 * for features this code never used (sampling, buffering, context injection); docs/deploy.md,
 * "Bundles", has the figures.
 *
 * The keys that say which invocation a line belongs to (request_id, route, message id) live in an
 * AsyncLocalStorage scope opened per invocation (`withLogKeys`): in one process serving many requests
 * at once (the local stack, or a Lambda's concurrent async work), every line carries its own
 * request's id and never another's.
 */
const LEVELS = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, SILENT: 100 } as const;
type Level = keyof typeof LEVELS;

function configuredLevel(env: NodeJS.ProcessEnv): number {
  const name = (
    env.WRO_LOG_LEVEL ??
    env.AWS_LAMBDA_LOG_LEVEL ??
    env.POWERTOOLS_LOG_LEVEL ??
    'INFO'
  ).toUpperCase();
  return name in LEVELS ? LEVELS[name as Level] : LEVELS.INFO;
}

const threshold = configuredLevel(process.env);
const service = process.env.POWERTOOLS_SERVICE_NAME ?? 'webriskops';
const scope = new AsyncLocalStorage<Record<string, unknown>>();

type Extra = Record<string, unknown>;

export interface AppLogger {
  debug(message: string, extra?: Extra): void;
  info(message: string, extra?: Extra): void;
  warn(message: string, extra?: Extra): void;
  error(message: string, extra?: Extra): void;
}

/** Errors as their name and message (their stack only at DEBUG), BigInts as strings. */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    return {
      name: value.name,
      message: value.message,
      ...(threshold <= LEVELS.DEBUG ? { stack: value.stack } : {}),
    };
  }
  return value;
}

function write(level: Exclude<Level, 'SILENT'>, message: string, extra?: Extra): void {
  if (LEVELS[level] < threshold) return;
  const trace = process.env._X_AMZN_TRACE_ID?.match(/Root=([^;]+)/)?.[1];
  const entry = {
    level,
    message,
    timestamp: new Date().toISOString(),
    service,
    ...(trace ? { xray_trace_id: trace } : {}),
    ...scope.getStore(),
    ...extra,
  };
  process.stdout.write(`${JSON.stringify(entry, replacer)}\n`);
}

export const logger: AppLogger = {
  debug: (message, extra) => write('DEBUG', message, extra),
  info: (message, extra) => write('INFO', message, extra),
  warn: (message, extra) => write('WARN', message, extra),
  error: (message, extra) => write('ERROR', message, extra),
};

/** Runs `fn` with these keys on every log line written inside it (nested scopes add to the outer). */
export function withLogKeys<T>(keys: Extra, fn: () => T): T {
  return scope.run({ ...scope.getStore(), ...keys }, fn);
}
