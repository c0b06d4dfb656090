import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs (Powertools). Rule: log ids, routes, statuses and durations, never headers,
 * bodies, tokens, secrets or signatures.
 *
 * The keys that say which invocation a line belongs to (request_id, route, message id) live in an
 * AsyncLocalStorage scope opened per invocation (`withLogKeys`), not on the shared Powertools
 * instance: in one process serving many requests at once (the local stack, or a Lambda's concurrent
 * async work), every line carries its own request's id and never another's.
 */
const base = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'webriskops',
  logLevel: (process.env.WRO_LOG_LEVEL ?? process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO') as 'INFO',
});

const scope = new AsyncLocalStorage<Record<string, unknown>>();

type Extra = Record<string, unknown>;

export interface AppLogger {
  debug(message: string, extra?: Extra): void;
  info(message: string, extra?: Extra): void;
  warn(message: string, extra?: Extra): void;
  error(message: string, extra?: Extra): void;
}

const withScope = (extra?: Extra) => ({ ...scope.getStore(), ...extra });

export const logger: AppLogger = {
  debug: (message, extra) => base.debug(message, withScope(extra)),
  info: (message, extra) => base.info(message, withScope(extra)),
  warn: (message, extra) => base.warn(message, withScope(extra)),
  error: (message, extra) => base.error(message, withScope(extra)),
};

/** Runs `fn` with these keys on every log line written inside it (nested scopes add to the outer). */
export function withLogKeys<T>(keys: Extra, fn: () => T): T {
  return scope.run({ ...scope.getStore(), ...keys }, fn);
}
