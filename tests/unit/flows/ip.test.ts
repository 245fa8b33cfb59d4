import { addressScope, normalizeIp, parseIp } from '@pkg/domain/net/ip';

describe('normalizeIp', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    [' 10.0.0.1 ', '10.0.0.1'],
    ['255.255.255.255', '255.255.255.255'],
    ['0.0.0.0', '0.0.0.0'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['fd00:10:0:0:0:0:0:6', 'fd00:10::6'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['[fe80::1]', 'fe80::1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::FFFF:0a01:0203', '10.1.2.3'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeIp(input)).toBe(expected);
  });

  it.each([
    '10.0.0.256', '010.0.0.1', '10.0.0', '10.0.0.1.1', '10.0.0.-1', '1e1.0.0.1', 'a.b.c.d', '', ' ', '1:2:3:4:5:6:7:8:9', '1::2::3',
    ':::1', '12345::1', 'g::1', '1:2:3:4:5:6:7::8:9', '::ffff:10.0.0.256', '10.0.0.1/24', 'localhost', '1.2.3.4 OR 1=1', 'x'.repeat(100),
  ])('rejects %j', (input) => {
    expect(normalizeIp(input)).toBeNull();
  });

  it.each(['1.2.3.4.', '.1.2.3.4', '1..2.3', '00.1.2.3', '1.2.3.00', '1.2.3.0255', '1.2.3.4 5', '1.2.3.\u0664'])('rejects the malformed dotted quad %j', (input) => {
    expect(normalizeIp(input)).toBeNull();
  });

  it('reads a dotted quad as Go does: four decimal bytes, no leading zeros (generated strings of digits and dots)', () => {
    // The rule as a regular expression (what the parser replaced, to save time per address): the oracle.
    const dottedQuad = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 48271) % 2147483647;

      return seed % n;
    };

    let valid = 0;

    for (let i = 0; i < 20000; i++) {
      // Three to five parts of zero to four digits: valid quads, leading zeros, bytes over 255, missing parts.
      const text = Array.from({ length: 3 + next(3) }, () => Array.from({ length: [0, 1, 1, 2, 2, 3, 3, 4][next(8)] }, () => '0123456789'[next(10)]).join('')).join('.');
      const parsed = parseIp(text);

      const expected = dottedQuad.test(text);

      expect({ text, bytes: parsed?.bytes ?? null }).toEqual({ text, bytes: expected ? text.split('.').map(Number) : null });
      valid += expected ? 1 : 0;
    }
    // The generator reaches both answers often.
    expect(valid).toBeGreaterThan(300);
    expect(valid).toBeLessThan(19500);
  });

  it.each([null, undefined, 42, {}, ['10.0.0.1']])('rejects non-strings (%p)', (input) => {
    expect(normalizeIp(input)).toBeNull();
  });

  it('reports the family', () => {
    expect(parseIp('10.0.0.1')?.family).toBe(4);
    expect(parseIp('::ffff:10.0.0.1')?.family).toBe(4);
    expect(parseIp('2001:db8::1')?.family).toBe(6);
  });
});

describe('addressScope', () => {
  it.each([
    ['10.1.2.3', 'private'], ['172.16.0.1', 'private'], ['172.31.255.255', 'private'], ['172.32.0.1', 'public'], ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'], ['127.0.0.1', 'loopback'], ['169.254.1.1', 'link-local'], ['224.0.0.251', 'multicast'], ['8.8.8.8', 'public'],
    ['0.0.0.0', 'unspecified'], ['255.255.255.255', 'reserved'],
    ['fd00::1', 'private'], ['fc00::1', 'private'], ['fe80::1', 'link-local'], ['ff02::1', 'multicast'], ['::1', 'loopback'], ['::', 'unspecified'],
    ['2001:4860:4860::8888', 'public'],
  ])('%s is %s', (ip, scope) => {
    expect(addressScope(parseIp(ip)!)).toBe(scope);
  });
});
