/**
 * Just enough CIDR arithmetic to decide whether a NetworkPolicy ipBlock covers node addresses.
 * Addresses are byte arrays (4 for IPv4, 16 for IPv6), so no BigInt is needed.
 */
import { addressBytes, formatIPv6 } from './ip';

export interface Cidr {
  bytes: number[];
  prefix: number;
}

/** Parses "10.0.0.0/8", "10.0.0.5" (a /32), "fd00::/64" or "fd00::1" (a /128); null when invalid. */
export function parseCidr(value: unknown): Cidr | null {
  if (typeof value !== 'string' || value.length > 64) {
    return null;
  }
  const [addr, prefixText, extra] = value.trim().split('/');

  if (extra !== undefined) {
    return null;
  }
  // Leading zeros in IPv4 are refused, as Kubernetes' validation (Go's net.ParseCIDR since Go 1.17) does.
  const bytes = addressBytes(addr);

  if (!bytes) {
    return null;
  }
  const max = bytes.length * 8;
  let prefix = max;

  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) {
      return null;
    }
    prefix = Number(prefixText);
  }

  return { bytes, prefix };
}

function samePrefixBits(a: number[], b: number[], bits: number): boolean {
  const whole = Math.floor(bits / 8);

  for (let i = 0; i < whole; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  const rest = bits % 8;

  if (rest === 0) {
    return true;
  }
  const mask = (0xff << (8 - rest)) & 0xff;

  return (a[whole] & mask) === (b[whole] & mask);
}

/** True when every address of `inner` lies in `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.bytes.length === inner.bytes.length &&
    outer.prefix <= inner.prefix &&
    samePrefixBits(outer.bytes, inner.bytes, outer.prefix);
}

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** The text of an address (IPv4 dotted, IPv6 as RFC 5952: the flows' formatter). */
export function formatAddress(bytes: number[]): string {
  return bytes.length === 4 ? bytes.join('.') : formatIPv6(bytes);
}

/** The first address of a range (its network address): "10.52.1.0/24" -> [10,52,1,0]. */
export function firstAddress(c: Cidr): number[] {
  return c.bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, c.prefix - i * 8));

    return b & ((0xff << (8 - bits)) & 0xff);
  });
}

/** True when a range holds more than one address. */
export function isRange(c: Cidr): boolean {
  return c.prefix < c.bytes.length * 8;
}

/** An address as a single-address CIDR: "/32" for IPv4, "/128" for IPv6. */
export function hostCidr(bytes: number[]): string {
  return `${ formatAddress(bytes) }/${ bytes.length * 8 }`;
}
