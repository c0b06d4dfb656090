import { promises as dns } from 'node:dns';
import { TargetUrlUnsafeError } from '../errors.ts';
import { addressFamily, classifyAddress } from './address-policy.ts';

/**
 * SSRF guard for webhook target URLs (docs/ticket-exports.md, "Targets"). Runs when a target is saved and again before
 * every send; the caller then connects to one of the returned, already-checked addresses
 * (lib/net/pinned-request.ts), so DNS cannot change the answer between check and connect.
 */

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

export interface CheckedTarget {
  url: URL;
  addresses: CheckedAddress[];
}

export interface CheckTargetUrlOptions {
  /** Development switch (WRO_ALLOW_PRIVATE_TARGETS=1): loopback/private receivers are allowed. */
  allowPrivate: boolean;
  /** Injectable DNS; defaults to the system resolver (getaddrinfo, all addresses, OS order). */
  resolve?: Resolver;
}

const MAX_URL_LENGTH = 2048;
const RESOLVE_TIMEOUT_MS = 5000;

/** Suffixes of names that only make sense inside a private network. */
const BLOCKED_SUFFIXES = ['localhost', 'local', 'internal', 'intranet', 'lan', 'localdomain', 'arpa'];

/** Names refused even in development mode: cloud instance-metadata endpoints. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

/**
 * Ranges accepted in addition to public ones when allowPrivate is on. Link-local (cloud metadata
 * 169.254.169.254), multicast, reserved and unspecified stay refused even in development.
 */
const DEV_LOCAL_RANGES = new Set([
  'loopback',
  'private',
  'uniqueLocal',
  'ipv4Mapped:loopback',
  'ipv4Mapped:private',
]);

const defaultResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

function unsafe(reason: string): never {
  throw new TargetUrlUnsafeError(reason);
}

function parseUrl(raw: string): URL {
  if (typeof raw !== 'string' || raw.length === 0) unsafe('the URL is empty');
  if (raw.length > MAX_URL_LENGTH) unsafe(`the URL is longer than ${MAX_URL_LENGTH} characters`);
  // The WHATWG parser silently strips tabs/newlines and surrounding spaces; refuse them instead so
  // what is stored is exactly what was checked.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (/[\u0000-\u0020\u007f]/.test(raw)) unsafe('the URL contains whitespace or control characters');
  try {
    return new URL(raw);
  } catch {
    return unsafe('the URL cannot be parsed');
  }
}

/** Hostname without IPv6 brackets; URL.hostname is already lower-cased, punycoded and IP-normalised. */
function bareHostname(url: URL): string {
  const h = url.hostname;
  return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h;
}

function checkName(host: string, allowPrivate: boolean): void {
  if (host.length === 0) unsafe('the URL has no host');
  if (host.endsWith('.')) unsafe('host names ending with a dot are not allowed');
  if (METADATA_NAMES.has(host)) unsafe('cloud metadata host names are not allowed');
  if (/^[\d.]+$/.test(host)) unsafe('the host name is not a valid IP address or DNS name');
  // The last label of a DNS name is never numeric (WHATWG would have parsed it as IPv4).
  if (/(^|\.)(\d+|0x[\da-f]*)$/i.test(host)) unsafe('the host name is not a valid DNS name');
  if (allowPrivate) return; // development: single-label and local names may point at a local receiver
  const blocked = BLOCKED_SUFFIXES.find((s) => host === s || host.endsWith(`.${s}`));
  if (blocked)
    unsafe(host === blocked ? `${blocked} is not allowed` : `names under .${blocked} are not allowed`);
  if (!host.includes('.')) unsafe('the host must be a fully qualified public DNS name');
}

async function resolveHost(host: string, resolve: Resolver): Promise<CheckedAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('DNS timeout')), RESOLVE_TIMEOUT_MS);
  });
  let answers: { address: string; family: number }[];
  try {
    answers = await Promise.race([resolve(host), timeout]);
  } catch {
    return unsafe('the host name could not be resolved');
  } finally {
    clearTimeout(timer);
  }
  if (!Array.isArray(answers) || answers.length === 0) unsafe('the host name did not resolve to any address');
  const seen = new Map<string, CheckedAddress>();
  for (const answer of answers) {
    // Trust the address text, not the resolver's family field.
    const family = typeof answer?.address === 'string' ? addressFamily(answer.address) : undefined;
    if (!family) unsafe('the host name resolved to something that is not an IP address');
    seen.set(answer.address, { address: answer.address, family });
  }
  return [...seen.values()];
}

/**
 * Validates a target URL and resolves it to the addresses a delivery may connect to.
 * Throws TargetUrlUnsafeError (422 TARGET_URL_UNSAFE) with a reason that never echoes resolved
 * addresses or credentials.
 */
export async function checkTargetUrl(raw: string, opts: CheckTargetUrlOptions): Promise<CheckedTarget> {
  const url = parseUrl(raw);

  if (url.protocol !== 'https:' && !(opts.allowPrivate && url.protocol === 'http:')) {
    unsafe('only https URLs are allowed');
  }
  if (url.username !== '' || url.password !== '') unsafe('credentials in the URL are not allowed');
  if (url.hash !== '' || raw.includes('#')) unsafe('URL fragments are not allowed');
  if (url.port === '0') unsafe('port 0 is not allowed');

  const host = bareHostname(url);
  let addresses: CheckedAddress[];
  const literalFamily = url.hostname.startsWith('[') ? 6 : addressFamily(host);
  if (literalFamily) {
    addresses = [{ address: host, family: literalFamily }];
  } else {
    checkName(host, opts.allowPrivate);
    addresses = await resolveHost(host, opts.resolve ?? defaultResolver);
  }

  // Every address must pass: a name with one private answer among public ones is refused, since the
  // connection could land on any of them.
  let allDevLocal = true;
  for (const { address } of addresses) {
    const verdict = classifyAddress(address);
    const devLocal = opts.allowPrivate && DEV_LOCAL_RANGES.has(verdict.range ?? '');
    if (!verdict.public && !devLocal) {
      unsafe(
        literalFamily
          ? `the address is not public (${verdict.range ?? 'unknown'})`
          : 'the host name resolves to an address that is not public',
      );
    }
    if (!devLocal) allDevLocal = false;
  }

  // Development mode allows plain http only for local receivers, never across the internet.
  if (url.protocol === 'http:' && !allDevLocal) unsafe('only https URLs are allowed for public hosts');

  return { url, addresses };
}
