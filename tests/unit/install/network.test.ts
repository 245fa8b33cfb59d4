import { proposeNetworkCidrs, nodeSources, cidrList } from '@pkg/domain/install/network';
import { firstAddress, formatAddress, hostCidr, parseCidr } from '@pkg/domain/net/cidr';
import { defaultSettings, installedSettings, CHART_DEFAULTS } from '@pkg/domain/install/defaults';
import { validateSettings } from '@pkg/domain/install/settings';
import { buildValues, diffFromDefaults } from '@pkg/domain/install/values';
import { stepOfField } from '@pkg/domain/install/wizard';
import { withPolicySources } from '@pkg/domain/security/chart-review';
import { renderedObjects } from '@pkg/domain/security/renderings';

function node(name: string, ip: string, podCIDR?: string, controlPlane = true, extra: Record<string, any> = {}): any {
  return {
    metadata: { name, labels: controlPlane ? { 'node-role.kubernetes.io/control-plane': 'true' } : { 'node-role.kubernetes.io/worker': 'true' } },
    spec:     podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
    status:   { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }, { type: 'ExternalIP', address: '203.0.113.9' }] },
    ...extra,
  };
}

describe('cidr helpers', () => {
  it('format addresses and the first address of a range', () => {
    expect(hostCidr(firstAddress(parseCidr('10.52.3.0/24')!))).toBe('10.52.3.0/32');
    expect(hostCidr(firstAddress(parseCidr('10.52.3.77/23')!))).toBe('10.52.2.0/32');
    expect(hostCidr(firstAddress(parseCidr('fd00:10:52:3::/64')!))).toBe('fd00:10:52:3::/128');
    expect(formatAddress(parseCidr('fd00::1')!.bytes)).toBe('fd00::1');
    expect(formatAddress(parseCidr('1:0:2:0:3:0:4:5')!.bytes)).toBe('1:0:2:0:3:0:4:5');
    expect(formatAddress(parseCidr('::')!.bytes)).toBe('::');
  });
});

describe('proposeNetworkCidrs', () => {
  it('proposes each node InternalIP and the flannel.1 address of its pod range, nothing else', () => {
    const p = proposeNetworkCidrs([node('n2', '192.168.1.12', '10.52.1.0/24'), node('n1', '192.168.1.11', '10.52.0.0/24')]);

    expect(p.nodeCIDRs).toEqual(['10.52.0.0/32', '10.52.1.0/32', '192.168.1.11/32', '192.168.1.12/32']);
    // Every node runs the API server: the chart's default (nodeCIDRs) is right.
    expect(p.apiServerCIDRs).toEqual([]);
    expect(p.nodes.map((n) => n.node)).toEqual(['n1', 'n2']);
    expect(p.nodes[0]).toEqual({
      node: 'n1', controlPlane: true, internal: ['192.168.1.11/32'], tunnels: [{ podCIDR: '10.52.0.0/24', cidr: '10.52.0.0/32' }]
    });
  });

  it('proposes the control-plane nodes as API-server sources when workers exist', () => {
    const p = proposeNetworkCidrs([node('cp', '10.0.0.1', '10.52.0.0/24'), node('w', '10.0.0.2', '10.52.1.0/24', false)]);

    expect(p.nodeCIDRs).toEqual(['10.0.0.1/32', '10.0.0.2/32', '10.52.0.0/32', '10.52.1.0/32']);
    expect(p.apiServerCIDRs).toEqual(['10.0.0.1/32', '10.52.0.0/32']);
  });

  it('handles dual stack, missing pod ranges and garbage without inventing addresses', () => {
    const dual = nodeSources(node('d', 'fd00::5', '10.52.4.0/24', true, { spec: { podCIDR: '10.52.4.0/24', podCIDRs: ['10.52.4.0/24', 'fd00:52:4::/64'] } }));

    expect(dual.internal).toEqual(['fd00::5/128']);
    expect(dual.tunnels.map((t) => t.cidr)).toEqual(['10.52.4.0/32', 'fd00:52:4::/128']);
    expect(proposeNetworkCidrs([node('x', 'not-an-ip'), null as any, { metadata: {} } as any]).nodeCIDRs).toEqual([]);
    expect(proposeNetworkCidrs([]).nodes).toEqual([]);
  });
});

describe('node sources in settings and values', () => {
  it('start from the chart default and round-trip through values', () => {
    const s = defaultSettings('https://x/', '0.1.0');

    expect(cidrList(s.network.nodeCIDRs)).toEqual(CHART_DEFAULTS.networkPolicy.nodeCIDRs);
    expect(diffFromDefaults(buildValues(s), CHART_DEFAULTS).networkPolicy).toBeUndefined();
    s.network.nodeCIDRs = '10.0.0.1/32,\n10.52.0.0/32';
    s.network.apiServerCIDRs = '10.0.0.1/32';
    const values = diffFromDefaults(buildValues(s), CHART_DEFAULTS);

    expect(values.networkPolicy).toEqual({ nodeCIDRs: ['10.0.0.1/32', '10.52.0.0/32'], apiServerCIDRs: ['10.0.0.1/32'] });
    expect(installedSettings(values, 'https://x/', '0.1.0').network).toEqual({ nodeCIDRs: '10.0.0.1/32, 10.52.0.0/32', apiServerCIDRs: '10.0.0.1/32' });
  });

  it('validate every entry, on the access step', () => {
    const s = defaultSettings('https://x/', '0.1.0');
    const errors = () => validateSettings(s, 3).filter((e) => e.field.startsWith('network.')).map((e) => `${ e.field } ${ e.code }`);

    expect(errors()).toEqual([]);
    s.network.nodeCIDRs = '';
    s.network.apiServerCIDRs = '10.0.0.1/33 0.0.0.0/0 8.0.0.0/4';
    expect(errors()).toEqual(['network.nodeCIDRs cidr-required', 'network.apiServerCIDRs cidr', 'network.apiServerCIDRs cidr-anywhere', 'network.apiServerCIDRs cidr-too-wide']);
    expect(stepOfField('network.nodeCIDRs')).toBe('access');
  });
});

describe('withPolicySources', () => {
  const peersOf = (objects: unknown[], name: string) => {
    const policy = objects.find((o: any) => o.kind === 'NetworkPolicy' && o.metadata.name === name) as any;

    return {
      ingress: policy.spec.ingress.map((r: any) => (r.from || []).filter((p: any) => p.ipBlock).map((p: any) => p.ipBlock.cidr).join(' ')),
      egress:  (policy.spec.egress || []).map((r: any) => (r.to || []).filter((p: any) => p.ipBlock).map((p: any) => p.ipBlock.cidr).join(' ')),
    };
  };

  it('puts node and API-server sources where the chart templates put them', () => {
    const objects = withPolicySources(renderedObjects('nodeport'), CHART_DEFAULTS.networkPolicy.nodeCIDRs, ['10.0.0.1/32', '10.0.0.2/32'], ['10.0.0.1/32']);

    // Agents (grpc, ingester) from the nodes; the querier through the API server's proxy; the Kubernetes API.
    expect(peersOf(objects, 'hnm-server').ingress.filter(Boolean)).toEqual(['10.0.0.1/32 10.0.0.2/32', '10.0.0.1/32']);
    expect(peersOf(objects, 'hnm-server').egress.filter(Boolean)).toEqual(['10.0.0.1/32']);
    // Grafana: the proxy rule, then the NodePort rule.
    expect(peersOf(objects, 'hnm-grafana').ingress.filter(Boolean)).toEqual(['10.0.0.1/32', '10.0.0.1/32 10.0.0.2/32']);
    expect(JSON.stringify(objects)).not.toContain('10.0.0.0/8');
  });

  it('admits the NodePort clients the wizard names on the NodePort rule only', () => {
    const objects = withPolicySources(renderedObjects('nodeport'), CHART_DEFAULTS.networkPolicy.nodeCIDRs, ['10.0.0.1/32'], [], ['198.51.100.0/24']);

    expect(peersOf(objects, 'hnm-grafana').ingress.filter(Boolean)).toEqual(['10.0.0.1/32', '198.51.100.0/24']);
    expect(peersOf(objects, 'hnm-server').ingress.filter(Boolean)).toEqual(['10.0.0.1/32', '10.0.0.1/32']);
  });

  it('maps the NodePort client networks to grafana.service.clientCIDRs and back, validated', () => {
    const s = defaultSettings('https://x/', '0.1.0');

    s.grafana.exposure = 'nodeport';
    s.grafana.nodePortClients = '198.51.100.0/24 bad';
    expect(validateSettings(s, 3).filter((e) => e.field === 'grafana.nodePortClients').map((e) => e.code)).toEqual(['cidr']);
    s.grafana.nodePortClients = '198.51.100.0/24';
    const values = diffFromDefaults(buildValues(s), CHART_DEFAULTS);

    expect(values.grafana.service).toEqual({ type: 'NodePort', clientCIDRs: ['198.51.100.0/24'] });
    expect(installedSettings(values, 'https://x/', '0.1.0').grafana.nodePortClients).toBe('198.51.100.0/24');
    s.grafana.exposure = 'proxy';
    expect(diffFromDefaults(buildValues(s), CHART_DEFAULTS).grafana?.service).toBeUndefined();
  });

  it('leaves the manifests alone when nothing is chosen', () => {
    const objects = renderedObjects('proxy');

    expect(withPolicySources(objects, CHART_DEFAULTS.networkPolicy.nodeCIDRs, [], [])).toBe(objects);
  });
});
