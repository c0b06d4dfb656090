/**
 * Key builders for every item type of the single table (lib/db/table-definition.ts).
 * One place, so a newcomer can see the whole data model at a glance.
 */
export const keys = {
  account: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'ACCOUNT' }),
  /** Tokens are found by the SHA-256 of the presented token; the token itself is never stored. */
  token: (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  project: (projectId: string) => ({ pk: `PROJECT#${projectId}`, sk: 'PROJECT' }),
  counter: (name: string) => ({ pk: `COUNTER#${name}`, sk: 'COUNTER' }),
  scanRun: (scanRunId: number) => ({ pk: `SCANRUN#${scanRunId}`, sk: 'SCANRUN' }),
  /** Pages and issues of a run share the run's partition (deterministic sort keys). */
  scanRunPartition: (scanRunId: number) => `SCANRUN#${scanRunId}`,
  idempotency: (scope: string, route: string, key: string) => ({
    pk: `IDEMPOTENCY#${scope}#${route}#${key}`,
    sk: 'IDEMPOTENCY',
  }),
  rateLimit: (subject: string, windowStart: number) => ({
    pk: `RATELIMIT#${subject}#${windowStart}`,
    sk: 'RATELIMIT',
  }),
  target: (targetId: string) => ({ pk: `TARGET#${targetId}`, sk: 'TARGET' }),
  ticketExport: (exportId: string) => ({ pk: `EXPORT#${exportId}`, sk: 'EXPORT' }),
  exportPartition: (exportId: string) => `EXPORT#${exportId}`,
  /** GSI1: an account's items of one kind, newest last by creation time. */
  accountIndex: (accountId: string, kind: string) => `ACCOUNT#${accountId}#${kind}`,
} as const;
