/** An IPv4 or IPv6 address as a number, so equal addresses compare equal whatever their notation. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly value: bigint;
}

const BITS = { 4: 32, 6: 128 } as const;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

/**
 * Parses a dotted IPv4 address or an IPv6 address (with `::` and an IPv4 tail); undefined for
 * anything else, zone ids (`%eth0`) included.
 *
 * @example parseIp("2001:db8::1")?.family // 6
 */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = ipv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = ipv6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

function ipv4(text: string): bigint | undefined {
  const octets = IPV4.exec(text)?.slice(1).map(Number);
  if (!octets || octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((sum, octet) => (sum << 8n) | BigInt(octet), 0n);
}

function ipv6(text: string): bigint | undefined {
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const groups = halves.map((half) => (half === "" ? [] : half.split(":")));
  const hextets: number[][] = [];
  for (const [index, half] of groups.entries()) {
    const values: number[] = [];
    for (const [position, group] of half.entries()) {
      const last = index === groups.length - 1 && position === half.length - 1;
      const tail = last ? ipv4(group) : undefined;
      if (tail !== undefined) values.push(Number(tail >> 16n), Number(tail & 0xffffn));
      else if (HEXTET.test(group)) values.push(Number.parseInt(group, 16));
      else return undefined;
    }
    hextets.push(values);
  }
  const count = hextets.reduce((sum, values) => sum + values.length, 0);
  if (halves.length === 1 ? count !== 8 : count > 7) return undefined;
  const all = [...hextets[0]!, ...new Array(8 - count).fill(0), ...(hextets[1] ?? [])];
  return all.reduce((sum, hextet) => (sum << 16n) | BigInt(hextet), 0n);
}

/** A CIDR block: the network and how many leading bits an address must share with it. */
export interface Cidr {
  readonly network: IpAddress;
  readonly bits: number;
}

/**
 * Parses `address/bits`, or says why it is not a block EventBridge accepts. The mask is at most 31
 * bits for IPv4 and 127 for IPv6, as in Event Ruler (the matching library EventBridge publishes):
 * a single address is matched by writing it as a value.
 *
 * @example parseCidr("10.0.0.0/24") // { network: { family: 4, … }, bits: 24 }
 */
export function parseCidr(text: string): Cidr | { problem: string } {
  const parts = text.split("/");
  if (parts.length !== 2 || !/^\d+$/.test(parts[1]!)) {
    return { problem: `"${text}" is not a CIDR block such as 10.0.0.0/24 or 2001:db8::/32` };
  }
  const network = parseIp(parts[0]!);
  if (!network) return { problem: `${parts[0]} in "${text}" is not an IPv4 or IPv6 address` };
  const bits = Number(parts[1]);
  const most = BITS[network.family] - 1;
  if (bits > most) {
    return {
      problem: `IPv${network.family} mask bits must be 0..${most}, got ${bits}; match a single address as a plain value`,
    };
  }
  return { network, bits };
}

/** Whether `address` is in the block (same family, same leading bits). */
export function cidrContains(cidr: Cidr, address: IpAddress): boolean {
  if (address.family !== cidr.network.family) return false;
  const shift = BigInt(BITS[address.family] - cidr.bits);
  return address.value >> shift === cidr.network.value >> shift;
}
