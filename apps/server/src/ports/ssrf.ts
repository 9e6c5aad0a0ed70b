/**
 * The network policy of outbound HTTP: which addresses a workflow may reach.
 * Pure functions over address text; the HTTP port resolves names, asks
 * `blockedReason` about every address and connects only to one it approved.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { NonRetriableError, RetryableError } from '@switchyard/engine';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a hostname to all its addresses; injectable so tests control DNS. */
export type LookupFn = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: LookupFn = async (hostname) => {
  const all = await dnsLookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

type Range = readonly [cidr: string, reason: string];

const IPV4_RANGES: readonly Range[] = [
  ['0.0.0.0/8', 'unspecified ("this network") address'],
  ['10.0.0.0/8', 'private network address'],
  ['100.64.0.0/10', 'carrier-grade NAT address'],
  ['127.0.0.0/8', 'loopback address'],
  ['169.254.0.0/16', 'link-local address (cloud metadata lives here)'],
  ['172.16.0.0/12', 'private network address'],
  ['192.0.0.0/24', 'IETF protocol assignment'],
  ['192.0.2.0/24', 'documentation address'],
  ['192.88.99.0/24', '6to4 relay anycast address'],
  ['192.168.0.0/16', 'private network address'],
  ['198.18.0.0/15', 'benchmarking address'],
  ['198.51.100.0/24', 'documentation address'],
  ['203.0.113.0/24', 'documentation address'],
  ['224.0.0.0/4', 'multicast address'],
  ['240.0.0.0/4', 'reserved address'],
];

const IPV6_RANGES: readonly Range[] = [
  ['::/128', 'unspecified address'],
  ['::1/128', 'loopback address'],
  ['100::/64', 'discard-only address'],
  ['2001:db8::/32', 'documentation address'],
  ['fc00::/7', 'unique-local (private) address'],
  ['fe80::/10', 'link-local address'],
  ['fec0::/10', 'site-local address'],
  ['ff00::/8', 'multicast address'],
];

/** 4 or 16 bytes; undefined when the text is not an IP address. */
export function parseIp(text: string): Uint8Array | undefined {
  const ip = stripBrackets(text);
  const kind = isIP(ip);
  if (kind === 4) return parseIpv4(ip);
  if (kind === 6) return parseIpv6(ip);
  return undefined;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function parseIpv4(ip: string): Uint8Array {
  return Uint8Array.from(ip.split('.').map(Number));
}

function parseIpv6(text: string): Uint8Array {
  let ip = text.split('%')[0]!; // zone id
  const bytes = new Uint8Array(16);
  // An embedded dotted quad (::ffff:1.2.3.4) stands for the last two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  let tail: number[] = [];
  if (dotted) {
    const v4 = parseIpv4(dotted[1]!);
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    ip = ip.slice(0, -dotted[1]!.length);
    if (ip.endsWith(':') && !ip.endsWith('::')) ip = ip.slice(0, -1);
  }
  const [head = '', rest] = ip.split('::') as [string, string | undefined];
  const toGroups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const left = toGroups(head);
  const right = [...(rest === undefined ? [] : toGroups(rest)), ...tail];
  const groups =
    rest === undefined
      ? [...left, ...right]
      : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

function inRange(bytes: Uint8Array, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/') as [string, string];
  const net = parseIp(base)!;
  if (net.length !== bytes.length) return false;
  let bits = Number(bitsText);
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (net[i]! & mask)) return false;
  }
  return true;
}

/** The IPv4 address an IPv6 address carries, for the forms that route to it. */
function embeddedIpv4(bytes: Uint8Array): { v4: Uint8Array; form: string } | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return { v4: bytes.slice(12), form: 'IPv4-mapped' };
  if (zeros(0, 12)) return { v4: bytes.slice(12), form: 'IPv4-compatible' };
  // NAT64 well-known prefix 64:ff9b::/96
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12))
    return { v4: bytes.slice(12), form: 'NAT64' };
  // 6to4 2002:AABB:CCDD::/48
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return { v4: bytes.slice(2, 6), form: '6to4' };
  return undefined;
}

/**
 * Why an address must not be reached from a workflow, or undefined when it is
 * a public unicast address. Text that is not an IP address is refused too.
 */
export function blockedReason(address: string): string | undefined {
  const bytes = parseIp(address);
  if (!bytes) return 'not an IP address';
  if (bytes.length === 4) return IPV4_RANGES.find(([cidr]) => inRange(bytes, cidr))?.[1];
  const own = IPV6_RANGES.find(([cidr]) => inRange(bytes, cidr))?.[1];
  if (own) return own;
  // ::ffff:127.0.0.1 and friends route to an IPv4 address: judge that one.
  const embedded = embeddedIpv4(bytes);
  if (embedded) {
    const inner = IPV4_RANGES.find(([cidr]) => inRange(embedded.v4, cidr))?.[1];
    if (inner) return `${embedded.form} ${inner}`;
  }
  return undefined;
}

export interface NetworkPolicy {
  /** Skip the address check (local development and tests: ALLOW_PRIVATE_NETWORK_REQUESTS=true). */
  allowPrivateNetwork: boolean;
  /** Exact IP addresses exempt from the check (an internal service a workflow may call). */
  allowedAddresses?: readonly string[];
  lookup?: LookupFn;
}

function sameAddress(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== undefined && y !== undefined && x.length === y.length && x.every((byte, i) => byte === y[i]);
}

/**
 * Resolves `hostname` (a name or an IP literal, brackets allowed) and returns
 * the one address to connect to; throws NonRetriableError naming host and
 * reason when any address it resolves to is off limits. A name that resolves
 * to a mix of public and private addresses is refused as a whole: the caller
 * pins what we return, but a mixed answer is a rebinding attempt or a mistake.
 */
export async function resolveAllowedAddress(hostname: string, policy: NetworkPolicy): Promise<ResolvedAddress> {
  const host = stripBrackets(hostname);
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    if (host === '') throw new NonRetriableError('request refused: the URL has no host');
    try {
      addresses = await (policy.lookup ?? systemLookup)(host);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new RetryableError(`could not resolve ${host}: ${code ?? (err as Error).message}`, { cause: err });
    }
    if (addresses.length === 0) throw new RetryableError(`could not resolve ${host}: no addresses`);
  }
  if (!policy.allowPrivateNetwork) {
    for (const a of addresses) {
      if (policy.allowedAddresses?.some((allowed) => sameAddress(allowed, a.address))) continue;
      const reason = blockedReason(a.address);
      if (reason) {
        const via = literal ? '' : ` (resolves to ${a.address})`;
        throw new NonRetriableError(
          `request to ${host}${via} refused: ${reason}; outbound requests may only reach public addresses`,
        );
      }
    }
  }
  return addresses[0]!;
}
