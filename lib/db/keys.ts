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
  /**
   * The partition of shard `shard` of a run's pages and issues: shard 0 is the run's own partition, a
   * large postback spreads over more (docs/scanner-results.md, "Storage with exactly-once effect").
   */
  scanRunPartition: (scanRunId: number, shard?: number) => `SCANRUN#${scanRunId}${shard ? `#${shard}` : ''}`,
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
  /** A webhook event delivery (e.g. scan_run.failed to one target); attempts share its partition. */
  eventDelivery: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  eventPartition: (eventId: string) => `EVENT#${eventId}`,
  /**
   * The immutable part of an export or event delivery (its webhook body, an export's fingerprints),
   * beside its state item, so state writes never rewrite the body (docs/ticket-exports.md, "What
   * one attempt costs").
   */
  deliveryPayload: (partition: string) => ({ pk: partition, sk: 'PAYLOAD' }),
  /**
   * The ticket a receiver created for a finding (a fingerprint of a project), from the export that
   * carried it (docs/ticket-exports.md, "Ticket references").
   */
  findingTicket: (projectId: string, fingerprint: string) => ({
    pk: `FINDINGTICKET#${projectId}#${fingerprint}`,
    sk: 'FINDINGTICKET',
  }),
  /**
   * A project's findings, keyed by fingerprint, spread over FINDING_SHARDS partitions by the
   * fingerprint's hash (lib/db/findings-store.ts), and the item that says which run they reflect.
   */
  findingsPartition: (projectId: string, shard: number) => `FINDINGS#${projectId}#${shard}`,
  findingSk: (fingerprint: string) => `FINDING#${fingerprint}`,
  findingsHead: (projectId: string) => ({ pk: `FINDINGS#${projectId}`, sk: 'FINDINGSHEAD' }),
  /** Delivery attempt log entries, in the export's or event's partition, in order. */
  deliveryAttemptSk: (seq: number) => `ATTEMPT#${String(seq).padStart(6, '0')}`,
  /** GSI2: a target's deliveries (exports of the round it takes, its event deliveries). */
  targetDeliveries: (targetId: string) => `TARGET#${targetId}#DELIVERIES`,
  /**
   * GSI1: an account's items of one kind, newest last by creation time (scan runs: by project, then
   * creation time; lib/db/scan-runs-store.ts).
   */
  accountIndex: (accountId: string, kind: string) => `ACCOUNT#${accountId}#${kind}`,
} as const;
