import { cidrContains, parseCidr } from '@pkg/domain/net/cidr';
import { parseIp } from '@pkg/domain/net/ip';

describe('parseCidr (the same address parser as the flow views)', () => {
  it('reads IPv4 and IPv6 networks and single addresses', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ bytes: [10, 0, 0, 0], prefix: 8 });
    expect(parseCidr('10.0.0.5')).toEqual({ bytes: [10, 0, 0, 5], prefix: 32 });
    expect(parseCidr('fd00::/64')?.prefix).toBe(64);
    expect(parseCidr('fd00::1')?.bytes).toEqual(parseIp('fd00::1')?.bytes);
  });

  it('refuses what Kubernetes refuses: leading zeros (Go net.ParseCIDR since 1.17), bad prefixes, junk', () => {
    for (const bad of ['010.0.0.0/8', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', '1:2:3:4:5:6:7:8::/64', '10.0.0', '', 42, null]) {
      expect(parseCidr(bad)).toBeNull();
    }
  });

  it('answers containment across families only within one family', () => {
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseCidr('10.1.2.3')!)).toBe(true);
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseCidr('11.0.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('::/0')!, parseCidr('10.0.0.1')!)).toBe(false);
  });
});
