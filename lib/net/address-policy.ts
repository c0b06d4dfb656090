import ipaddr from 'ipaddr.js';

/**
 * Decides whether an IP address is a public, globally routable unicast address that outbound
 * webhook deliveries may connect to (docs/ticket-exports.md, "Targets").
 *
 * Two layers, so a gap in one is caught by the other:
 *  1. explicit CIDR lists below (written out so a reviewer can read them without opening ipaddr.js);
 *  2. ipaddr.js's own classification must say 'unicast', and IPv6 must sit in global unicast 2000::/3.
 * IPv6 forms that embed an IPv4 address (IPv4-mapped, NAT64 64:ff9b::/96, 6to4) are judged by the
 * embedded IPv4 address, so `::ffff:127.0.0.1` is as loopback as `127.0.0.1`.
 */
export interface AddressClassification {
  public: boolean;
  /** Why: the matched range ('loopback', 'private', 'ipv4Mapped:loopback', …), or 'unicast'. */
  range?: string;
}

type Cidr = readonly [string, number];

/** Non-public IPv4 ranges (IANA special-purpose registry and RFC 1918/6598/5737/2544…). */
const IPV4_BLOCKED: ReadonlyArray<readonly [string, readonly Cidr[]]> = [
  ['unspecified', [['0.0.0.0', 8]]], // "this network", 0.0.0.0 reaches localhost on Linux
  [
    'private',
    [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
    ],
  ],
  ['loopback', [['127.0.0.0', 8]]],
  ['linkLocal', [['169.254.0.0', 16]]], // includes the cloud metadata address 169.254.169.254
  ['carrierGradeNat', [['100.64.0.0', 10]]],
  ['multicast', [['224.0.0.0', 4]]],
  ['broadcast', [['255.255.255.255', 32]]],
  [
    'reserved',
    [
      ['192.0.0.0', 24], // IETF protocol assignments
      ['192.0.2.0', 24], // TEST-NET-1
      ['192.88.99.0', 24], // deprecated 6to4 relay anycast
      ['198.18.0.0', 15], // benchmarking
      ['198.51.100.0', 24], // TEST-NET-2
      ['203.0.113.0', 24], // TEST-NET-3
      ['240.0.0.0', 4], // future use (contains broadcast)
    ],
  ],
];

/** Non-public IPv6 ranges that are refused outright (embedded-IPv4 forms are handled separately). */
const IPV6_BLOCKED: ReadonlyArray<readonly [string, readonly Cidr[]]> = [
  ['unspecified', [['::', 128]]],
  ['loopback', [['::1', 128]]],
  ['ipv4Compatible', [['::', 96]]], // deprecated ::a.b.c.d (RFC 4291 2.5.5.1)
  ['ipv4Translated', [['::ffff:0:0:0', 96]]], // RFC 6145 ::ffff:0:a.b.c.d
  ['nat64LocalUse', [['64:ff9b:1::', 48]]], // RFC 8215 local-use prefix: site-internal translators
  ['discard', [['100::', 64]]],
  ['teredo', [['2001::', 32]]],
  ['benchmarking', [['2001:2::', 48]]],
  [
    'orchid',
    [
      ['2001:10::', 28],
      ['2001:20::', 28],
    ],
  ],
  [
    'documentation',
    [
      ['2001:db8::', 32],
      ['3fff::', 20],
    ],
  ],
  ['segmentRouting', [['5f00::', 16]]],
  ['uniqueLocal', [['fc00::', 7]]],
  ['siteLocal', [['fec0::', 10]]],
  ['linkLocal', [['fe80::', 10]]],
  ['multicast', [['ff00::', 8]]],
];

const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
const IPV4_MAPPED = ipaddr.IPv6.parseCIDR('::ffff:0:0/96');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.IPv6.parseCIDR('2002::/16');

function compile<T>(
  table: ReadonlyArray<readonly [string, readonly Cidr[]]>,
  parse: (addr: string) => T,
): Array<[string, Array<[T, number]>]> {
  return table.map(([name, cidrs]) => [name, cidrs.map(([addr, bits]) => [parse(addr), bits])]);
}

const V4_TABLE = compile(IPV4_BLOCKED, (a) => ipaddr.IPv4.parse(a));
const V6_TABLE = compile(IPV6_BLOCKED, (a) => ipaddr.IPv6.parse(a));

function refused(range: string): AddressClassification {
  return { public: false, range };
}

function classifyV4(addr: ipaddr.IPv4): AddressClassification {
  for (const [name, cidrs] of V4_TABLE) {
    if (cidrs.some((cidr) => addr.match(cidr))) return refused(name);
  }
  const range = addr.range();
  if (range !== 'unicast') return refused(range);
  return { public: true, range: 'unicast' };
}

/** The IPv4 address held in the last 32 bits of an IPv6 address. */
function lastFourBytes(addr: ipaddr.IPv6): ipaddr.IPv4 {
  const b = addr.toByteArray();
  return new ipaddr.IPv4(b.slice(12, 16));
}

/** Judge an IPv6 address by the IPv4 address it embeds: public only if the embedded one is. */
function viaEmbedded(label: string, embedded: ipaddr.IPv4): AddressClassification {
  const inner = classifyV4(embedded);
  return inner.public ? { public: true, range: label } : refused(`${label}:${inner.range}`);
}

function classifyV6(addr: ipaddr.IPv6): AddressClassification {
  if (addr.match(IPV4_MAPPED)) return viaEmbedded('ipv4Mapped', lastFourBytes(addr));
  if (addr.match(NAT64_WELL_KNOWN)) return viaEmbedded('nat64', lastFourBytes(addr));
  if (addr.match(SIX_TO_FOUR)) {
    // 2002:AABB:CCDD::/48 carries the IPv4 address AA.BB.CC.DD in bytes 2..5.
    const b = addr.toByteArray();
    return viaEmbedded('6to4', new ipaddr.IPv4(b.slice(2, 6)));
  }
  for (const [name, cidrs] of V6_TABLE) {
    if (cidrs.some((cidr) => addr.match(cidr))) return refused(name);
  }
  if (!addr.match(IPV6_GLOBAL_UNICAST)) return refused('notGlobalUnicast');
  const range = addr.range();
  if (range !== 'unicast') return refused(range);
  return { public: true, range: 'unicast' };
}

/**
 * Classifies a textual IP address (IPv4 dotted quad or IPv6, brackets and zone id allowed).
 * Anything that does not parse is reported as not public, so callers fail closed.
 */
export function classifyAddress(ip: string): AddressClassification {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  // Accept only canonical four-part decimal IPv4 here: resolver output and WHATWG-normalised
  // hostnames are always in that form, so anything else (octal, hex, short) is suspicious.
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return classifyV4(ipaddr.IPv4.parse(text));
  if (ipaddr.IPv6.isValid(text)) return classifyV6(ipaddr.IPv6.parse(text));
  return refused('invalid');
}

/** Address family of a textual IP, or undefined if it is not an IP address. */
export function addressFamily(ip: string): 4 | 6 | undefined {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 4;
  if (ipaddr.IPv6.isValid(text)) return 6;
  return undefined;
}
