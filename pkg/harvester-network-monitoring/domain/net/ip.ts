/**
 * IP address normalization, so an address written by KubeVirt, Kubernetes and DeepFlow in
 * different forms ("2001:DB8::0:1", "2001:db8::1", "::ffff:10.0.0.1") meets in one index key.
 */

export type IpFamily = 4 | 6;

export interface ParsedIp {
  family: IpFamily;
  /** Canonical text: dotted quad for IPv4 (also for IPv4-mapped IPv6), RFC 5952 for IPv6. */
  text: string;
  /** 4 or 16 bytes. */
  bytes: number[];
}

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * A dotted quad's four bytes, or null. Read character by character: the flow views parse tens of thousands of
 * addresses per page (every pod's, VM's and Service's, then every flow's), where a regular expression cost
 * ~3 µs an address in the scale benchmark's profile. Leading zeros are rejected, as Go's net.ParseIP does:
 * "010.0.0.1" is ambiguous (octal in some tools).
 */
function parseIPv4Bytes(text: string): number[] | null {
  const bytes: number[] = [];
  let value = 0;
  let digits = 0;

  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : DOT;

    if (c >= ZERO && c <= NINE) {
      if (digits === 1 && value === 0) {
        return null;
      }
      value = value * 10 + (c - ZERO);
      digits++;
      if (value > 255) {
        return null;
      }
    } else if (c === DOT && digits > 0 && bytes.length < 4) {
      bytes.push(value);
      value = 0;
      digits = 0;
    } else {
      return null;
    }
  }

  return bytes.length === 4 ? bytes : null;
}

function parseHextets(part: string): number[] | null {
  if (part === '') {
    return [];
  }
  const groups = part.split(':');
  const out: number[] = [];

  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) {
      return null;
    }
    out.push(parseInt(g, 16));
  }

  return out;
}

function parseIPv6Bytes(input: string): number[] | null {
  let text = input;
  let v4Tail: number[] = [];
  const lastColon = text.lastIndexOf(':');

  if (lastColon >= 0 && text.indexOf('.', lastColon) > lastColon) {
    const v4 = parseIPv4Bytes(text.slice(lastColon + 1));

    if (!v4) {
      return null;
    }
    v4Tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) {
      text = text.slice(0, -1);
    }
  }
  const halves = text.split('::');

  if (halves.length > 2) {
    return null;
  }
  const head = parseHextets(halves[0]);
  const tail = halves.length === 2 ? parseHextets(halves[1]) : [];

  if (!head || !tail) {
    return null;
  }
  const explicit = head.length + tail.length + v4Tail.length;
  let hextets: number[];

  if (halves.length === 2) {
    // "::" stands for at least one zero group.
    if (explicit > 7) {
      return null;
    }
    hextets = [...head, ...new Array(8 - explicit).fill(0), ...tail, ...v4Tail];
  } else {
    if (explicit !== 8) {
      return null;
    }
    hextets = [...head, ...v4Tail];
  }

  return hextets.flatMap((h) => [h >> 8, h & 0xff]);
}

/**
 * The 4 or 16 bytes of a bare address ("10.0.0.1", "fd00::1", "::ffff:10.0.0.1" stays 16 bytes), or
 * null. The one address parser: CIDRs (net/cidr.ts) are parsed with it too.
 */
export function addressBytes(text: string): number[] | null {
  return text.includes(':') ? parseIPv6Bytes(text) : parseIPv4Bytes(text);
}

/** RFC 5952: lowercase, no leading zeros, the longest run (>= 2) of zero groups compressed to "::". */
export function formatIPv6(bytes: number[]): string {
  const groups: number[] = [];

  for (let i = 0; i < 16; i += 2) {
    groups.push((bytes[i] << 8) | bytes[i + 1]);
  }
  let bestStart = -1;
  let bestLen = 0;

  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;

    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));

  if (bestLen < 2) {
    return hex.join(':');
  }

  return `${ hex.slice(0, bestStart).join(':') }::${ hex.slice(bestStart + bestLen).join(':') }`;
}

function isV4Mapped(bytes: number[]): boolean {
  for (let i = 0; i < 10; i++) {
    if (bytes[i] !== 0) {
      return false;
    }
  }

  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/**
 * Parses an IPv4 or IPv6 address, tolerating surrounding whitespace, brackets ("[::1]") and an
 * IPv6 zone ("fe80::1%eth0"). IPv4-mapped IPv6 addresses become IPv4, as DeepFlow reports them.
 */
export function parseIp(value: unknown): ParsedIp | null {
  if (typeof value !== 'string' || value.length > 64) {
    return null;
  }
  let text = value.trim();
  const v4 = parseIPv4Bytes(text);

  if (v4) {
    return { family: 4, text, bytes: v4 };
  }
  if (text.startsWith('[') && text.endsWith(']')) {
    text = text.slice(1, -1);
  }
  const zone = text.indexOf('%');

  if (zone >= 0) {
    text = text.slice(0, zone);
  }
  if (!text.includes(':')) {
    return null;
  }
  const bytes = parseIPv6Bytes(text);

  if (!bytes) {
    return null;
  }
  if (isV4Mapped(bytes)) {
    const v4 = bytes.slice(12);

    return { family: 4, text: v4.join('.'), bytes: v4 };
  }

  return { family: 6, text: formatIPv6(bytes), bytes };
}

/** The canonical form of an address, or null when it is not one. */
export function normalizeIp(value: unknown): string | null {
  return parseIp(value)?.text ?? null;
}

export type AddressScope = 'private' | 'public' | 'loopback' | 'link-local' | 'multicast' | 'unspecified' | 'shared' | 'reserved';

function inPrefix(bytes: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);

    if ((bytes[byte] & mask) !== (prefix[byte] & mask)) {
      return false;
    }
  }

  return true;
}

const V4_SCOPES: [number[], number, AddressScope][] = [
  [[0, 0, 0, 0], 8, 'unspecified'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'shared'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 168, 0, 0], 16, 'private'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
];

const V6_SCOPES: [number[], number, AddressScope][] = [
  [new Array(16).fill(0), 128, 'unspecified'],
  [[...new Array(15).fill(0), 1], 128, 'loopback'],
  [[0xfc, ...new Array(15).fill(0)], 7, 'private'],
  [[0xfe, 0x80, ...new Array(14).fill(0)], 10, 'link-local'],
  [[0xff, ...new Array(15).fill(0)], 8, 'multicast'],
];

/** Private (RFC 1918, ULA), shared (CGNAT), special-purpose or public. */
export function addressScope(ip: ParsedIp): AddressScope {
  const table = ip.family === 4 ? V4_SCOPES : V6_SCOPES;
  const hit = table.find(([prefix, bits]) => inPrefix(ip.bytes, prefix, bits));

  return hit ? hit[2] : 'public';
}
