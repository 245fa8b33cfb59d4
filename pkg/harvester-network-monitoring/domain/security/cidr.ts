/**
 * Just enough CIDR arithmetic to decide whether a NetworkPolicy ipBlock covers node addresses.
 * Addresses are byte arrays (4 for IPv4, 16 for IPv6), so no BigInt is needed.
 */
import { formatIPv6 } from '../flows/ip';

export interface Cidr {
  bytes: number[];
  prefix: number;
}

function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');

  if (parts.length !== 4) {
    return null;
  }
  const bytes: number[] = [];

  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) {
      return null;
    }
    const n = Number(p);

    if (n > 255) {
      return null;
    }
    bytes.push(n);
  }

  return bytes;
}

function parseIPv6(text: string): number[] | null {
  let head = text;
  let tail: number[] = [];

  // An embedded IPv4 tail (::ffff:10.0.0.1) supplies the last 4 bytes.
  const lastColon = text.lastIndexOf(':');

  if (lastColon >= 0 && text.includes('.', lastColon)) {
    const v4 = parseIPv4(text.slice(lastColon + 1));

    if (!v4) {
      return null;
    }
    tail = v4;
    head = text.slice(0, lastColon + 1);
    // Keep a trailing "::" (zeros before the IPv4 part); drop a single separating ":".
    if (!head.endsWith('::')) {
      head = head.slice(0, -1);
    }
  }
  const halves = head.split('::');

  if (halves.length > 2) {
    return null;
  }
  const groupsOf = (s: string): number[] | null => {
    if (s === '') {
      return [];
    }
    const out: number[] = [];

    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) {
        return null;
      }
      const n = parseInt(g, 16);

      out.push(n >> 8, n & 0xff);
    }

    return out;
  };
  const left = groupsOf(halves[0]);
  const right = halves.length === 2 ? groupsOf(halves[1]) : [];

  if (!left || !right) {
    return null;
  }
  const known = left.length + right.length + tail.length;

  if (halves.length === 1) {
    return known === 16 ? [...left, ...tail] : null;
  }
  if (known > 14) {
    return null;
  }

  return [...left, ...new Array(16 - known).fill(0), ...right, ...tail];
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
  const bytes = addr.includes(':') ? parseIPv6(addr) : parseIPv4(addr);

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
