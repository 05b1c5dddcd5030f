import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where relance may connect on a user's behalf (webhooks, the company's SMTP server): public addresses
 * only, so a URL or host typed into the settings cannot reach the loopback, the private network, the
 * cloud metadata service (169.254.169.254) or an internal port. The check is made on the address actually
 * connected to, after resolution (a name that resolves to a public address when saved and to 127.0.0.1 when
 * used, DNS rebinding, is refused then). An installation that needs internal targets lists them in
 * RELANCE_OUTBOUND_ALLOW: host names, addresses or CIDR ranges, comma-separated (`mail.lan,10.0.0.0/8`).
 */
export class OutboundRefused extends Error {
  readonly code = 'EBLOCKED';
  constructor(host: string, address: string) {
    super(
      `${host} (${address}) is not a public address; relance connects only to public addresses unless RELANCE_OUTBOUND_ALLOW ` +
        'lists it',
    );
  }
}

export function outboundAllowList(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.RELANCE_OUTBOUND_ALLOW ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
}

/** Loopback, private, link-local (cloud metadata), shared, documentation, multicast and reserved ranges. */
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
// IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are refused whole in `mayConnect` (BlockList would also
// apply a ::ffff:0:0/96 rule to every IPv4 address).
for (const [net, bits] of [
  ['::', 127],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');

function family(address: string): 'ipv4' | 'ipv6' | null {
  const kind = isIP(address);
  return kind === 4 ? 'ipv4' : kind === 6 ? 'ipv6' : null;
}

function listed(host: string, address: string, allow: string[]): boolean {
  const kind = family(address)!;
  for (const entry of allow) {
    if (entry === host.toLowerCase() || entry === address.toLowerCase()) return true;
    const [net, bits] = entry.split('/');
    const netKind = family(net ?? '');
    if (netKind === kind && bits !== undefined && /^\d+$/.test(bits)) {
      const range = new BlockList();
      range.addSubnet(net!, Number(bits), netKind);
      if (range.check(address, kind)) return true;
    }
  }
  return false;
}

/** Whether relance may connect to this address for this host name. */
export function mayConnect(host: string, address: string, allow = outboundAllowList()): boolean {
  const kind = family(address);
  if (kind === null) return false;
  const mapped = kind === 'ipv6' && /^(0{0,4}:){1,5}ffff:/i.test(address.replace(/^::/, '0:'));
  return (!mapped && !NOT_PUBLIC.check(address, kind)) || listed(host, address, allow);
}

/**
 * A `lookup` for sockets (http.request, net.connect): resolves as usual, then refuses the connection when
 * any address is not allowed, so the address checked is the address connected to.
 */
export function guardedLookup(allow = outboundAllowList()): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const refused = addresses.find((a) => !mayConnect(hostname, a.address, allow));
      if (refused) return callback(new OutboundRefused(hostname, refused.address));
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as LookupFunction;
}

/** Resolves a host to one allowed address (a literal address is checked as is), or throws OutboundRefused. */
export async function resolveAllowed(host: string, allow = outboundAllowList()): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    if (!mayConnect(bare, bare, allow)) throw new OutboundRefused(host, bare);
    return bare;
  }
  return new Promise((resolve, reject) => {
    guardedLookup(allow)(bare, { all: true }, ((error: Error | null, addresses: LookupAddress[]) => {
      if (error) reject(error);
      else resolve(addresses[0]!.address);
    }) as never);
  });
}
