import { describe, expect, it, vi } from 'vitest';
import { TargetUrlUnsafeError } from '../../../lib/errors.ts';
import { classifyAddress } from '../../../lib/net/address-policy.ts';
import { checkTargetUrl, type Resolver } from '../../../lib/net/target-url.ts';

/**
 * SSRF guard tables. No test touches the network: every call injects a fake resolver that answers
 * from the table below and fails (like ENOTFOUND) for any other name.
 */

const DNS: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34'],
  'v6.example.com': ['2606:4700:4700::1111'],
  'dual.example.com': ['93.184.216.34', '2606:4700:4700::1111'],
  'xn--bcher-kva.example': ['93.184.216.35'],
  'rebind-private.example.com': ['10.0.0.5'],
  'rebind-loopback.example.com': ['127.0.0.1'],
  'rebind-v6-loopback.example.com': ['::1'],
  'rebind-metadata.example.com': ['169.254.169.254'],
  'rebind-mapped.example.com': ['::ffff:127.0.0.1'],
  'rebind-ula.example.com': ['fd00::1'],
  'rebind-cgnat.example.com': ['100.64.1.2'],
  'rebind-unspecified.example.com': ['0.0.0.0'],
  'mixed-v4.example.com': ['93.184.216.34', '10.0.0.1'],
  'mixed-v6.example.com': ['2606:4700:4700::1111', 'fe80::1'],
  'empty.example.com': [],
  'garbage.example.com': ['not-an-ip'],
  localhost: ['127.0.0.1', '::1'],
  'receiver.localhost': ['127.0.0.1'],
  receiver: ['172.18.0.3'],
  'metadata.google.internal': ['169.254.169.254'],
};

function fakeResolver(): Resolver & ReturnType<typeof vi.fn> {
  return vi.fn(async (hostname: string) => {
    const answers = DNS[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }) as Resolver & ReturnType<typeof vi.fn>;
}

async function expectUnsafe(raw: string, allowPrivate = false): Promise<TargetUrlUnsafeError> {
  const err = await checkTargetUrl(raw, { allowPrivate, resolve: fakeResolver() }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `${raw} should be refused`).toBeInstanceOf(TargetUrlUnsafeError);
  const appErr = err as TargetUrlUnsafeError;
  expect(appErr.code).toBe('TARGET_URL_UNSAFE');
  expect(appErr.status).toBe(422);
  expect(appErr.details?.[0]?.field).toBe('base_url');
  return appErr;
}

/** [label, raw URL, part of the expected reason]. Each is a distinct spelling an attacker could try. */
const REFUSED: Array<[label: string, raw: string, reason: string]> = [
  // IPv4 loopback in every spelling the WHATWG parser normalises
  ['loopback dotted', 'https://127.0.0.1/', '(loopback)'],
  ['loopback other host in 127/8', 'https://127.8.9.10/hook', '(loopback)'],
  ['loopback short form', 'https://127.1/', '(loopback)'],
  ['loopback decimal', 'https://2130706433/', '(loopback)'],
  ['loopback octal first part', 'https://0177.0.0.1/', '(loopback)'],
  ['loopback octal whole', 'https://017700000001/', '(loopback)'],
  ['loopback hex short', 'https://0x7f.1/', '(loopback)'],
  ['loopback hex whole', 'https://0x7f000001/', '(loopback)'],
  ['loopback hex per part', 'https://0x7f.0x0.0x0.0x1/', '(loopback)'],
  ['loopback zero-padded', 'https://127.000.000.001/', '(loopback)'],
  ['loopback trailing dot', 'https://127.0.0.1./', '(loopback)'],
  ['loopback percent-encoded', 'https://%31%32%37.0.0.1/', '(loopback)'],
  ['loopback ideographic full stops', 'https://127\u30020\u30020\u30021/', '(loopback)'],
  ['loopback circled digits (IDNA mapping)', 'https://\u2460\u2461\u2466.0.0.1/', '(loopback)'],
  ['loopback with port', 'https://127.0.0.1:8443/hook', '(loopback)'],
  // private, link-local, CGNAT
  ['private 10/8', 'https://10.0.0.1/', '(private)'],
  ['private 10/8 short form', 'https://10.1/', '(private)'],
  ['private 172.16/12 low', 'https://172.16.0.1/', '(private)'],
  ['private 172.16/12 high', 'https://172.31.255.255/', '(private)'],
  ['private 192.168/16', 'https://192.168.1.1/', '(private)'],
  ['private 192.168 decimal', 'https://3232235777/', '(private)'],
  ['private 192.168 hex parts', 'https://0xc0.0xa8.1.1/', '(private)'],
  ['link-local metadata', 'https://169.254.169.254/latest/meta-data/', '(linkLocal)'],
  ['link-local metadata hex', 'https://0xa9fea9fe/', '(linkLocal)'],
  ['link-local metadata decimal', 'https://2852039166/', '(linkLocal)'],
  ['CGNAT low', 'https://100.64.0.1/', '(carrierGradeNat)'],
  ['CGNAT high', 'https://100.127.255.254/', '(carrierGradeNat)'],
  // multicast, broadcast, reserved, unspecified
  ['multicast', 'https://224.0.0.1/', '(multicast)'],
  ['multicast SSDP', 'https://239.255.255.250/', '(multicast)'],
  ['broadcast', 'https://255.255.255.255/', '(broadcast)'],
  ['reserved 240/4', 'https://240.0.0.1/', '(reserved)'],
  ['unspecified', 'https://0.0.0.0/', '(unspecified)'],
  ['unspecified short', 'https://0/', '(unspecified)'],
  ['this-network 0/8', 'https://0.1.2.3/', '(unspecified)'],
  ['IETF 192.0.0/24', 'https://192.0.0.8/', '(reserved)'],
  ['TEST-NET-1', 'https://192.0.2.1/', '(reserved)'],
  ['TEST-NET-2', 'https://198.51.100.7/', '(reserved)'],
  ['TEST-NET-3', 'https://203.0.113.9/', '(reserved)'],
  ['benchmarking 198.18/15', 'https://198.19.0.1/', '(reserved)'],
  // IPv6 literals
  ['v6 loopback', 'https://[::1]/', '(loopback)'],
  ['v6 loopback long form', 'https://[0:0:0:0:0:0:0:1]/', '(loopback)'],
  ['v6 unspecified', 'https://[::]/', '(unspecified)'],
  ['v4-mapped loopback dotted', 'https://[::ffff:127.0.0.1]/', '(ipv4Mapped:loopback)'],
  ['v4-mapped loopback hex', 'https://[::ffff:7f00:1]/', '(ipv4Mapped:loopback)'],
  ['v4-mapped private', 'https://[::ffff:10.0.0.1]/', '(ipv4Mapped:private)'],
  ['v4-mapped metadata', 'https://[::ffff:a9fe:a9fe]/', '(ipv4Mapped:linkLocal)'],
  ['v4-mapped long form', 'https://[0:0:0:0:0:ffff:127.0.0.1]/', '(ipv4Mapped:loopback)'],
  ['v4-translated (RFC 6145)', 'https://[::ffff:0:7f00:1]/', '(ipv4Translated)'],
  ['v4-compatible', 'https://[::127.0.0.1]/', '(ipv4Compatible)'],
  ['v4-compatible public', 'https://[::8.8.8.8]/', '(ipv4Compatible)'],
  ['NAT64 private', 'https://[64:ff9b::a00:1]/', '(nat64:private)'],
  ['NAT64 loopback dotted', 'https://[64:ff9b::127.0.0.1]/', '(nat64:loopback)'],
  ['NAT64 local-use prefix', 'https://[64:ff9b:1::a00:1]/', '(nat64LocalUse)'],
  ['6to4 embedding loopback', 'https://[2002:7f00:1::1]/', '(6to4:loopback)'],
  ['6to4 embedding private', 'https://[2002:c0a8:101::1]/', '(6to4:private)'],
  ['Teredo', 'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', '(teredo)'],
  ['ULA fd00::/8', 'https://[fd00::1]/', '(uniqueLocal)'],
  ['ULA fc00::/8', 'https://[fc00::1]/', '(uniqueLocal)'],
  ['link-local v6', 'https://[fe80::1]/', '(linkLocal)'],
  ['site-local v6', 'https://[fec0::1]/', '(siteLocal)'],
  ['multicast v6', 'https://[ff02::1]/', '(multicast)'],
  ['documentation v6', 'https://[2001:db8::1]/', '(documentation)'],
  ['discard-only v6', 'https://[100::1]/', '(discard)'],
  ['not global unicast v6', 'https://[4000::1]/', '(notGlobalUnicast)'],
  // schemes, credentials, syntax
  ['plain http', 'http://hooks.example.com/', 'only https'],
  ['ftp scheme', 'ftp://hooks.example.com/', 'only https'],
  ['file scheme', 'file:///etc/passwd', 'only https'],
  ['gopher scheme', 'gopher://hooks.example.com:70/_x', 'only https'],
  ['javascript scheme', 'javascript:alert(1)', 'only https'],
  ['data scheme', 'data:text/plain,hi', 'only https'],
  ['userinfo user:pass', 'https://user:pass@hooks.example.com/', 'credentials'],
  ['userinfo user only', 'https://user@hooks.example.com/', 'credentials'],
  ['userinfo hiding host', 'https://hooks.example.com@127.0.0.1/', 'credentials'],
  ['not a URL', 'not a url', 'whitespace'],
  ['empty string', '', 'the URL is empty'],
  ['scheme only', 'https://', 'the URL cannot be parsed'],
  ['embedded newline', 'https://hooks.exa\nmple.com/', 'whitespace'],
  ['leading space', ' https://hooks.example.com/', 'whitespace'],
  ['fragment', 'https://hooks.example.com/hook#frag', 'URL fragments are not allowed'],
  ['port 0', 'https://hooks.example.com:0/', 'port 0 is not allowed'],
  // local names
  ['localhost', 'https://localhost/', 'localhost is not allowed'],
  ['localhost upper case', 'https://LOCALHOST/', 'localhost is not allowed'],
  ['localhost trailing dot', 'https://localhost./', 'ending with a dot'],
  ['localhost with port', 'https://localhost:8443/', 'localhost is not allowed'],
  ['subdomain of localhost', 'https://foo.localhost/', 'names under .localhost are not allowed'],
  ['metadata.google.internal', 'https://metadata.google.internal/computeMetadata/v1/', 'cloud metadata'],
  ['metadata.google.internal trailing dot', 'https://metadata.google.internal./', 'ending with a dot'],
  ['.local', 'https://printer.local/', 'names under .local are not allowed'],
  ['.internal', 'https://db.internal/', 'names under .internal are not allowed'],
  ['.intranet', 'https://wiki.corp.intranet/', 'names under .intranet are not allowed'],
  ['.lan', 'https://nas.lan/', 'names under .lan are not allowed'],
  ['.home.arpa', 'https://router.home.arpa/', 'names under .arpa are not allowed'],
  ['.localdomain', 'https://box.localdomain/', 'names under .localdomain are not allowed'],
  ['reverse-DNS name', 'https://1.0.0.127.in-addr.arpa/', 'names under .arpa are not allowed'],
  ['single-label name', 'https://receiver/', 'fully qualified'],
  ['bare internal suffix', 'https://intranet/', 'intranet is not allowed'],
  ['public name with trailing dot', 'https://hooks.example.com./', 'ending with a dot'],
  // names whose DNS answers are not public
  [
    'name resolving to private',
    'https://rebind-private.example.com/',
    'resolves to an address that is not public',
  ],
  [
    'name resolving to loopback',
    'https://rebind-loopback.example.com/',
    'resolves to an address that is not public',
  ],
  [
    'name resolving to v6 loopback',
    'https://rebind-v6-loopback.example.com/',
    'resolves to an address that is not public',
  ],
  [
    'name resolving to metadata',
    'https://rebind-metadata.example.com/',
    'resolves to an address that is not public',
  ],
  [
    'name resolving to v4-mapped loopback',
    'https://rebind-mapped.example.com/',
    'resolves to an address that is not public',
  ],
  ['name resolving to ULA', 'https://rebind-ula.example.com/', 'resolves to an address that is not public'],
  [
    'name resolving to CGNAT',
    'https://rebind-cgnat.example.com/',
    'resolves to an address that is not public',
  ],
  [
    'name resolving to 0.0.0.0',
    'https://rebind-unspecified.example.com/',
    'resolves to an address that is not public',
  ],
  [
    'one private address among public (v4)',
    'https://mixed-v4.example.com/',
    'resolves to an address that is not public',
  ],
  [
    'one link-local address among public (v6)',
    'https://mixed-v6.example.com/',
    'resolves to an address that is not public',
  ],
  ['resolution failure', 'https://does-not-exist.example.com/', 'could not be resolved'],
  ['resolution returns nothing', 'https://empty.example.com/', 'did not resolve to any address'],
  ['resolution returns a non-address', 'https://garbage.example.com/', 'not an IP address'],
];

describe('checkTargetUrl: refused spellings', () => {
  it('covers at least 40 spellings', () => {
    expect(REFUSED.length).toBeGreaterThanOrEqual(40);
  });

  it.each(REFUSED)('refuses %s: %s', async (_label, raw, reason) => {
    const err = await expectUnsafe(raw);
    expect(err.details?.[0]?.message).toContain(reason);
  });

  it('does not consult DNS for IP literals', async () => {
    const resolve = fakeResolver();
    await expect(checkTargetUrl('https://2130706433/', { allowPrivate: false, resolve })).rejects.toThrow(
      TargetUrlUnsafeError,
    );
    expect(resolve).not.toHaveBeenCalled();
  });

  it('never echoes credentials or resolved addresses in the error', async () => {
    const withPassword = await expectUnsafe('https://user:s3cr3t@hooks.example.com/');
    expect(JSON.stringify({ m: withPassword.message, d: withPassword.details })).not.toContain('s3cr3t');
    const rebind = await expectUnsafe('https://rebind-private.example.com/');
    expect(rebind.message).not.toContain('10.0.0.5');
  });

  it('refuses when the resolver hangs (DNS timeout)', async () => {
    vi.useFakeTimers();
    try {
      const pending = checkTargetUrl('https://slow.example.com/', {
        allowPrivate: false,
        resolve: () => new Promise(() => {}),
      });
      const assertion = expect(pending).rejects.toThrow(TargetUrlUnsafeError);
      await vi.advanceTimersByTimeAsync(10_000);
      await assertion;
    } finally {
      vi.useRealTimers();
    }
  });
});

/** [label, raw URL, expected addresses, expected href]. */
const ACCEPTED: Array<[string, string, string[], string]> = [
  [
    'plain https',
    'https://hooks.example.com/webriskops',
    ['93.184.216.34'],
    'https://hooks.example.com/webriskops',
  ],
  [
    'port, path and query',
    'https://hooks.example.com:8443/a/b?x=1&y=two',
    ['93.184.216.34'],
    'https://hooks.example.com:8443/a/b?x=1&y=two',
  ],
  ['default port elided', 'https://hooks.example.com:443/', ['93.184.216.34'], 'https://hooks.example.com/'],
  [
    'upper-case scheme and host',
    'HTTPS://Hooks.Example.COM/In',
    ['93.184.216.34'],
    'https://hooks.example.com/In',
  ],
  ['IPv6-only name', 'https://v6.example.com/hook', ['2606:4700:4700::1111'], 'https://v6.example.com/hook'],
  [
    'dual-stack name',
    'https://dual.example.com/',
    ['93.184.216.34', '2606:4700:4700::1111'],
    'https://dual.example.com/',
  ],
  [
    'IDN name (punycode lookup)',
    'https://b\u00fccher.example/hook',
    ['93.184.216.35'],
    'https://xn--bcher-kva.example/hook',
  ],
  ['public IPv4 literal', 'https://8.8.8.8/hook', ['8.8.8.8'], 'https://8.8.8.8/hook'],
  ['public IPv6 literal', 'https://[2606:4700::1]:8443/', ['2606:4700::1'], 'https://[2606:4700::1]:8443/'],
  ['v4-mapped public', 'https://[::ffff:8.8.8.8]/', ['::ffff:808:808'], 'https://[::ffff:808:808]/'],
  ['NAT64 public', 'https://[64:ff9b::8.8.8.8]/', ['64:ff9b::808:808'], 'https://[64:ff9b::808:808]/'],
];

describe('checkTargetUrl: accepted targets', () => {
  it.each(ACCEPTED)('accepts %s', async (_label, raw, expected, href) => {
    const result = await checkTargetUrl(raw, { allowPrivate: false, resolve: fakeResolver() });
    expect(result.url.href).toBe(href);
    expect(result.addresses.map((a) => a.address)).toEqual(expected);
    for (const a of result.addresses) expect(a.family).toBe(a.address.includes(':') ? 6 : 4);
  });

  it('dedupes repeated DNS answers', async () => {
    const resolve: Resolver = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '93.184.216.34', family: 4 },
    ];
    const result = await checkTargetUrl('https://hooks.example.com/', { allowPrivate: false, resolve });
    expect(result.addresses).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });
});

describe('checkTargetUrl with allowPrivate (WRO_ALLOW_PRIVATE_TARGETS=1)', () => {
  const dev = { allowPrivate: true };

  it.each([
    ['http loopback with port', 'http://127.0.0.1:8080/hook', ['127.0.0.1']],
    ['http localhost', 'http://localhost:8080/hook', ['127.0.0.1', '::1']],
    ['http *.localhost', 'http://receiver.localhost:8080/', ['127.0.0.1']],
    ['http single-label container name', 'http://receiver:9000/', ['172.18.0.3']],
    ['https private literal', 'https://10.0.0.5/', ['10.0.0.5']],
    ['http v6 loopback', 'http://[::1]:8080/', ['::1']],
    ['https public still fine', 'https://hooks.example.com/', ['93.184.216.34']],
  ])('accepts %s', async (_label, raw, expected) => {
    const result = await checkTargetUrl(raw, { ...dev, resolve: fakeResolver() });
    expect(result.addresses.map((a) => a.address)).toEqual(expected);
  });

  it.each([
    ['userinfo', 'http://user:pass@127.0.0.1:8080/hook', 'credentials'],
    ['userinfo user only', 'http://user@localhost:8080/', 'credentials'],
    ['non-http scheme', 'ftp://127.0.0.1/', 'only https'],
    ['file scheme', 'file:///etc/passwd', 'only https'],
    [
      'plain http to a public host',
      'http://hooks.example.com/',
      'only https URLs are allowed for public hosts',
    ],
    ['plain http to a public literal', 'http://8.8.8.8/', 'only https URLs are allowed for public hosts'],
    ['cloud metadata address', 'http://169.254.169.254/latest/meta-data/', '(linkLocal)'],
    ['cloud metadata name', 'http://metadata.google.internal/', 'cloud metadata'],
    ['unspecified address', 'http://0.0.0.0:8080/', '(unspecified)'],
    ['multicast', 'http://224.0.0.1/', '(multicast)'],
    ['localhost trailing dot', 'http://localhost./', 'ending with a dot'],
  ])('still refuses %s', async (_label, raw, reason) => {
    const err = await expectUnsafe(raw, true);
    expect(err.details?.[0]?.message).toContain(reason);
  });
});

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['100.100.100.100', 'carrierGradeNat'],
    ['169.254.169.254', 'linkLocal'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:192.168.0.1', 'ipv4Mapped:private'],
    ['64:ff9b::169.254.169.254', 'nat64:linkLocal'],
    ['2002:0a00:0001::', '6to4:private'],
    ['2001::1', 'teredo'],
    ['fe80::1%eth0', 'linkLocal'],
    ['0177.0.0.1', 'invalid'],
    ['example.com', 'invalid'],
  ])('%s is not public (%s)', (ip, range) => {
    expect(classifyAddress(ip)).toEqual({ public: false, range });
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '[2a00:1450:4001::1]',
    '::ffff:8.8.8.8',
    '2002:0808:0808::1',
  ])('%s is public', (ip) => {
    expect(classifyAddress(ip).public).toBe(true);
  });
});
