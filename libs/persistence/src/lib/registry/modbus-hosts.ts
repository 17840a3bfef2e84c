import { BlockList, isIP } from 'node:net';

/**
 * Where Modbus TCP devices may be polled (issue: a Modbus host may otherwise be any address, which
 * turns the poller into a probe of the platform's own network or the cloud metadata service).
 * The default keeps the demo and on-site deployments working: loopback and the private ranges
 * (RFC 1918, carrier-grade NAT, IPv6 unique-local). Link-local (169.254.0.0/16, the metadata
 * service) and public addresses are outside it. Narrow it to the plants' networks in production.
 */
export const DEFAULT_MODBUS_ALLOWED_CIDRS = '127.0.0.0/8,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,::1/128,fc00::/7';

export class ModbusHostPolicy {
  private readonly list = new BlockList();

  private constructor(readonly cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const [address = '', bits = ''] = cidr.split('/');
      const family = isIP(address);
      this.list.addSubnet(address, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
    }
  }

  /** Parses `a.b.c.d/n,…` (IPv4 or IPv6); throws naming the first bad entry. */
  static parse(text: string): ModbusHostPolicy {
    const cidrs = text.split(',').map((s) => s.trim()).filter(Boolean);
    for (const cidr of cidrs) {
      const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
      const family = match ? isIP(match[1] as string) : 0;
      if (!match || family === 0 || Number(match[2]) > (family === 4 ? 32 : 128)) throw new Error(`not a CIDR: ${cidr}`);
    }
    return new ModbusHostPolicy(cidrs);
  }

  /** Whether an IP address (not a name: resolve names first) lies in an allowed network. */
  allows(address: string): boolean {
    const family = isIP(address);
    if (family === 0) return false;
    // an IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it carries
    const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
    if (mapped) return this.list.check(mapped, 'ipv4');
    return this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  /** The error a refused host gets (one wording for registration and polling). */
  refusal(host: string, address = host): string {
    const resolved = address === host ? '' : ` (resolves to ${address})`;
    return `modbus host ${host}${resolved} is outside MODBUS_ALLOWED_CIDRS (${this.cidrs.join(', ')})`;
  }
}
