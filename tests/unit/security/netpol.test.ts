import {
  analyzeNetworkPolicies, buildPolicySet, egressVerdict, indexObjects, ingressVerdict, reviewObjects
} from '@pkg/domain/security';
import { cidrContains, parseCidr } from '@pkg/domain/net/cidr';
import { targetOf } from '@pkg/domain/security/netpol';
import { Finding, ReviewOptions } from '@pkg/domain/security/types';
import { NODE_CIDRS, goodObjects, seedObjects } from './fixtures';
import { Json, namespace, workload } from './helpers';

/** NetworkPolicy semantics and the findings for the design's classic mistakes. */

const NS = 'mon';

function pod(name: string, labels: Json, ports: Json[] = [], extra: Json = {}): Json {
  return workload('Deployment', name, NS, { containers: [{ name: 'c', image: 'x:1', ports }], ...extra }, { labels });
}

function policy(name: string, spec: Json, namespaceName = NS): Json {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: namespaceName }, spec
  };
}

const server = () => pod('server', { app: 'server' }, [{ containerPort: 20033, name: 'ingest' }, { containerPort: 20416, name: 'querier' }]);
const grafana = (ports: Json[] = [{ containerPort: 3000, name: 'http' }]) => pod('grafana', { app: 'grafana' }, ports);
const agent = () => pod('agent', { app: 'agent' }, [], { hostNetwork: true });
const client = () => pod('client', { app: 'client' });

function netpolFindings(objects: Json[], options: ReviewOptions = {}): Finding[] {
  return reviewObjects(objects, { analyses: ['netpol'], ...options }).findings;
}

const idsOf = (f: Finding[]) => f.map((x) => `${ x.severity } ${ x.id }`);

function verdictFor(objects: Json[], targetName: string, source: Parameters<typeof ingressVerdict>[2], port: number | undefined, protocol = 'TCP', nodeCIDRs: string[] = NODE_CIDRS) {
  const index = indexObjects(objects);
  const target = index.podTemplates.find((t) => t.ref.name === targetName);

  if (!target) {
    throw new Error(`no ${ targetName }`);
  }

  return ingressVerdict(buildPolicySet(index, nodeCIDRs), targetOf(target), source, port, protocol);
}

const fromPod = (labels: Json, namespaceName = NS, hostNetwork = false) => ({
  kind: 'pod' as const, namespace: namespaceName, labels, hostNetwork
});

describe('ingress semantics', () => {
  const serverOnlyFromClient = policy('server-in', {
    podSelector: { matchLabels: { app: 'server' } },
    ingress:     [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 20033 }] }],
  });

  it('unselected pods are not isolated', () => {
    expect(verdictFor([server(), client()], 'server', fromPod({ app: 'anything' }), 20033)).toBe('allowed');
  });
  it('a selected pod admits only the listed peers and ports', () => {
    const objects = [namespace(NS), server(), client(), serverOnlyFromClient];

    expect(verdictFor(objects, 'server', fromPod({ app: 'client' }), 20033)).toBe('allowed');
    expect(verdictFor(objects, 'server', fromPod({ app: 'client' }), 20416)).toBe('blocked');
    expect(verdictFor(objects, 'server', fromPod({ app: 'other' }), 20033)).toBe('blocked');
    expect(verdictFor(objects, 'server', fromPod({ app: 'client' }, 'elsewhere'), 20033)).toBe('blocked');
    expect(verdictFor(objects, 'server', fromPod({ app: 'client' }), 20033, 'UDP')).toBe('blocked');
  });
  it('a pod selector never matches host-network traffic', () => {
    const objects = [namespace(NS), server(), agent(), policy('p', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'agent' } } }] }] })];

    expect(verdictFor(objects, 'server', fromPod({ app: 'agent' }, NS, true), 20033)).toBe('blocked');
    expect(verdictFor(objects, 'server', { kind: 'node' }, 20033)).toBe('blocked');
  });
  it('namespaceSelector uses namespace labels, including the implicit name label', () => {
    const objects = [namespace(NS), namespace('agents', { team: 'net' }), server(), policy('p', {
      podSelector: { matchLabels: { app: 'server' } },
      ingress:     [
        { from: [{ namespaceSelector: { matchLabels: { team: 'net' } } }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } }, podSelector: { matchLabels: { role: 'scraper' } } }] },
      ],
    })];

    expect(verdictFor(objects, 'server', fromPod({ any: 'pod' }, 'agents'), 1)).toBe('allowed');
    expect(verdictFor(objects, 'server', fromPod({ role: 'scraper' }, 'ops'), 1)).toBe('allowed');
    expect(verdictFor(objects, 'server', fromPod({ role: 'other' }, 'ops'), 1)).toBe('blocked');
    expect(verdictFor(objects, 'server', fromPod({ role: 'scraper' }, NS), 1)).toBe('blocked');
  });
  it('an empty from admits every source, a missing ports list every port', () => {
    const objects = [namespace(NS), server(), policy('p', { podSelector: {}, ingress: [{ ports: [{ port: 20033 }] }, { from: [{ podSelector: {} }] }] })];

    expect(verdictFor(objects, 'server', { kind: 'node' }, 20033)).toBe('allowed');
    expect(verdictFor(objects, 'server', { kind: 'ip', ip: '8.8.8.8' }, 20033)).toBe('allowed');
    expect(verdictFor(objects, 'server', fromPod({ x: 'y' }), 9999)).toBe('allowed');
    expect(verdictFor(objects, 'server', { kind: 'node' }, 9999)).toBe('blocked');
  });
  it('endPort opens a range', () => {
    const objects = [namespace(NS), server(), policy('p', { podSelector: {}, ingress: [{ ports: [{ port: 20030, endPort: 20040 }] }] })];

    expect(verdictFor(objects, 'server', fromPod({}), 20033)).toBe('allowed');
    expect(verdictFor(objects, 'server', fromPod({}), 20416)).toBe('blocked');
  });
  it('named ports resolve against the receiving pod ports, by name and protocol', () => {
    const objects = [namespace(NS), server(), policy('p', { podSelector: {}, ingress: [{ ports: [{ port: 'querier' }, { port: 'ingest', protocol: 'UDP' }] }] })];

    expect(verdictFor(objects, 'server', fromPod({}), 20416)).toBe('allowed');
    expect(verdictFor(objects, 'server', fromPod({}), 20033)).toBe('blocked');
  });
  it('a default-deny policy isolates every pod; an invalid peer admits nothing', () => {
    const objects = [namespace(NS), server(), policy('deny', { podSelector: {}, policyTypes: ['Ingress'] }),
      policy('bad', { podSelector: {}, ingress: [{ from: [{}] }] })];

    expect(verdictFor(objects, 'server', fromPod({}), 20033)).toBe('blocked');
  });
  it('host-network targets are never restricted', () => {
    const objects = [namespace(NS), agent(), policy('deny', { podSelector: {}, policyTypes: ['Ingress'] })];

    expect(verdictFor(objects, 'agent', fromPod({}), 1)).toBe('allowed');
  });
});

describe('ipBlocks and node addresses', () => {
  const withBlock = (ipBlock: Json) => [namespace(NS), server(), policy('p', { podSelector: {}, ingress: [{ from: [{ ipBlock }], ports: [{ port: 20033 }] }] })];

  it('admits nodes only when every node address is inside and none excepted', () => {
    expect(verdictFor(withBlock({ cidr: '192.168.10.0/24' }), 'server', { kind: 'node' }, 20033)).toBe('allowed');
    expect(verdictFor(withBlock({ cidr: '192.168.10.0/24', except: ['192.168.10.13/32'] }), 'server', { kind: 'node' }, 20033)).toBe('partial');
    expect(verdictFor(withBlock({ cidr: '10.0.0.0/8' }), 'server', { kind: 'node' }, 20033)).toBe('blocked');
    expect(verdictFor(withBlock({ cidr: '192.168.10.12/31' }), 'server', { kind: 'node' }, 20033)).toBe('partial');
  });
  it('adds up several ipBlocks node by node', () => {
    const objects = [namespace(NS), server(), policy('p', {
      podSelector: {}, ingress: NODE_CIDRS.map((cidr) => ({ from: [{ ipBlock: { cidr } }], ports: [{ port: 20033 }] }))
    })];

    expect(verdictFor(objects, 'server', { kind: 'node' }, 20033)).toBe('allowed');
  });
  it('cannot tell without node addresses, except for 0.0.0.0/0', () => {
    expect(verdictFor(withBlock({ cidr: '192.168.10.0/24' }), 'server', { kind: 'node' }, 20033, 'TCP', [])).toBe('unknown');
    expect(verdictFor(withBlock({ cidr: '0.0.0.0/0' }), 'server', { kind: 'node' }, 20033, 'TCP', [])).toBe('allowed');
  });
  it('treats a host-network pod source as its node', () => {
    expect(verdictFor(withBlock({ cidr: '192.168.10.0/24' }), 'server', fromPod({}, NS, true), 20033)).toBe('allowed');
  });
  it('matches outside addresses', () => {
    expect(verdictFor(withBlock({ cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] }), 'server', { kind: 'ip', ip: '203.0.113.5' }, 20033)).toBe('allowed');
    expect(verdictFor(withBlock({ cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] }), 'server', { kind: 'ip', ip: '203.0.113.200' }, 20033)).toBe('blocked');
  });
  it('parses IPv4 and IPv6 CIDRs', () => {
    const v6 = parseCidr('fd00:10::/64');
    const host = parseCidr('fd00:10::1');

    expect(v6 && host && cidrContains(v6, host)).toBe(true);
    expect(cidrContains(parseCidr('::/0') as any, parseCidr('2001:db8::1') as any)).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0') as any, parseCidr('2001:db8::1') as any)).toBe(false);
    expect(parseCidr('::ffff:10.0.0.1')?.bytes.slice(10)).toEqual([255, 255, 10, 0, 0, 1]);
    for (const bad of ['10.0.0.256', '10.0.0/8', '1:2:3', '10.0.0.0/33', 'fd00::/129', '1::2::3', '', 'x', null, 42]) {
      expect(parseCidr(bad)).toBeNull();
    }
  });
});

describe('egress semantics', () => {
  const objects = () => [namespace(NS), server(), grafana(), policy('grafana-out', {
    podSelector: { matchLabels: { app: 'grafana' } },
    egress:      [{ to: [{ podSelector: { matchLabels: { app: 'server' } } }], ports: [{ port: 'querier' }] }],
  })];

  it('policyTypes default to Egress when egress rules exist; named ports resolve on the destination', () => {
    const index = indexObjects(objects());
    const set = buildPolicySet(index, NODE_CIDRS);
    const g = targetOf(index.podTemplates.find((t) => t.ref.name === 'grafana') as any);
    const s = index.podTemplates.find((t) => t.ref.name === 'server') as any;
    const serverEndpoint = { kind: 'pod' as const, ...targetOf(s) };

    expect(egressVerdict(set, g, serverEndpoint, 20416)).toBe('allowed');
    expect(egressVerdict(set, g, serverEndpoint, 20033)).toBe('blocked');
    expect(egressVerdict(set, g, { kind: 'ip', ip: '1.1.1.1' }, 443)).toBe('blocked');
    // The policy has no ingress rules but policyTypes defaulted to [Ingress, Egress]: ingress is isolated too.
    expect(ingressVerdict(set, g, fromPod({}), 3000)).toBe('blocked');
  });
  it('reports egress isolation that blocks DNS', () => {
    expect(idsOf(netpolFindings(objects(), { nodeCIDRs: NODE_CIDRS }))).toContain('warning netpol.egressBlocksDns');
    const withDns = [...objects(), policy('dns', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 53, protocol: 'UDP' }] }] })];

    expect(idsOf(netpolFindings(withDns, { nodeCIDRs: NODE_CIDRS }))).not.toContain('warning netpol.egressBlocksDns');
  });
});

describe('findings: the seed mistakes', () => {
  it('flags the agent admitted by pod selector and the querier behind the API server proxy', () => {
    const f = netpolFindings(seedObjects(), { nodeCIDRs: NODE_CIDRS });
    const hostNet = f.find((x) => x.id === 'netpol.hostNetworkPeerBlocked');
    const proxy = f.find((x) => x.id === 'netpol.apiServerProxyBlocked');

    expect(hostNet).toMatchObject({
      severity: 'critical', object: { kind: 'NetworkPolicy', name: 'np-deepflow-server' }, params: { sources: 'deepflow-agent', target: 'harvester-netmon-server', ports: 'TCP 20033, TCP 20416' }
    });
    expect(proxy).toMatchObject({ severity: 'critical', object: { name: 'harvester-netmon-server' }, params: { ports: '20416', policies: 'np-deepflow-server' } });
    expect(idsOf(f)).toEqual(expect.arrayContaining([
      'warning netpol.podUncovered', 'warning netpol.noDefaultDenyIngress', 'info netpol.hostNetworkPod', 'info netpol.selectsNothing',
    ]));
  });
  it('the corrected layout has no warnings or criticals', () => {
    expect(netpolFindings(goodObjects(), { nodeCIDRs: NODE_CIDRS }).filter((x) => x.severity !== 'info')).toEqual([]);
  });
  it('without node addresses the corrected layout is "unverified", never "blocked"', () => {
    const f = netpolFindings(goodObjects());

    expect(idsOf(f).filter((x) => !x.startsWith('info'))).toEqual(expect.arrayContaining(['warning netpol.apiServerProxyUnverified']));
    expect(f.some((x) => x.severity === 'critical')).toBe(false);
  });
});

describe('findings: API server proxy', () => {
  const onlyPods = (port: Json) => policy('grafana-in', { podSelector: { matchLabels: { app: 'grafana' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [port] }] });

  it('Grafana on 3000 admitting only pods is critical', () => {
    expect(netpolFindings([namespace(NS), grafana(), client(), onlyPods({ port: 3000 })], { nodeCIDRs: NODE_CIDRS }).find((x) => x.id === 'netpol.apiServerProxyBlocked'))
      .toMatchObject({ params: { ports: '3000', workload: 'grafana' } });
  });
  it('the Grafana Service target port counts, resolved by name', () => {
    const objects = [namespace(NS), grafana([{ containerPort: 8080, name: 'web' }]), onlyPods({ port: 8080 }), {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'monitoring-grafana', namespace: NS }, spec: { selector: { app: 'grafana' }, ports: [{ port: 80, targetPort: 'web' }] }
    }];

    expect(netpolFindings(objects, { nodeCIDRs: NODE_CIDRS }).find((x) => x.id === 'netpol.apiServerProxyBlocked')?.params.ports).toBe('8080');
  });
  it('an ipBlock for the API server addresses fixes it; apiServerCIDRs can differ from nodeCIDRs', () => {
    const fixed = policy('grafana-in', { podSelector: { matchLabels: { app: 'grafana' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: [{ port: 'http' }] }] });
    const objects = [namespace(NS), grafana(), fixed];

    expect(netpolFindings(objects, { nodeCIDRs: ['10.1.0.5'] }).some((x) => x.id.startsWith('netpol.apiServerProxy'))).toBe(false);
    expect(netpolFindings(objects, { nodeCIDRs: ['10.1.0.5'], apiServerCIDRs: ['10.9.0.1'] }).find((x) => x.id === 'netpol.apiServerProxyBlocked')).toBeDefined();
  });
  it('opening the port to everyone avoids the block but is reported', () => {
    const open = policy('grafana-in', { podSelector: { matchLabels: { app: 'grafana' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 3000 }] }] });
    const f = netpolFindings([namespace(NS), grafana(), open], { nodeCIDRs: NODE_CIDRS });

    expect(idsOf(f)).toContain('warning netpol.ingressFromAnywhere');
    expect(f.some((x) => x.id.startsWith('netpol.apiServerProxy'))).toBe(false);
  });
  it('a node source given as a range is a finding that names the range and the ports; single addresses are not', () => {
    const wide = policy('server-in', {
      podSelector: { matchLabels: { app: 'server' } },
      ingress:     [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }, { ipBlock: { cidr: '192.168.0.0/16' } }], ports: [{ port: 20033 }] }, { from: [{ ipBlock: { cidr: '10.0.0.11/32' } }], ports: [{ port: 20416 }] }],
    });
    const f = netpolFindings([namespace(NS), server(), wide], { nodeCIDRs: NODE_CIDRS });
    const range = f.filter((x) => x.id === 'netpol.ingressFromRange');

    expect(range).toHaveLength(1);
    expect(range[0]).toMatchObject({ severity: 'warning', params: { policy: 'server-in', cidrs: '10.0.0.0/8, 192.168.0.0/16', ports: 'TCP 20033' } });
    const narrow = policy('server-in', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.11/32' } }, { ipBlock: { cidr: 'fd00::1/128' } }], ports: [{ port: 20033 }] }] });

    expect(netpolFindings([namespace(NS), server(), narrow], { nodeCIDRs: NODE_CIDRS }).some((x) => x.id === 'netpol.ingressFromRange')).toBe(false);
    // 0.0.0.0/0 stays its own finding.
    const open = policy('server-in', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 20033 }] }] });

    expect(idsOf(netpolFindings([namespace(NS), server(), open], { nodeCIDRs: NODE_CIDRS })).filter((id) => id.includes('ingressFrom'))).toEqual(['warning netpol.ingressFromAnywhere']);
  });
  it('custom proxy ports are honoured', () => {
    const objects = [namespace(NS), pod('app', { app: 'x' }, [{ containerPort: 9090 }]), policy('deny', { podSelector: {} })];

    expect(netpolFindings(objects, { nodeCIDRs: NODE_CIDRS }).some((x) => x.id === 'netpol.apiServerProxyBlocked')).toBe(false);
    expect(netpolFindings(objects, { nodeCIDRs: NODE_CIDRS, apiServerProxyPorts: [9090] }).some((x) => x.id === 'netpol.apiServerProxyBlocked')).toBe(true);
  });
});

describe('findings: hygiene', () => {
  it('reports a named port no selected container declares', () => {
    const f = netpolFindings([namespace(NS), server(), policy('p', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ ports: [{ port: 'grpc' }] }] })]);

    expect(f.find((x) => x.id === 'netpol.namedPortUnresolved')?.params.ports).toBe('TCP grpc');
  });
  it('a default-deny ingress policy satisfies the namespace check; deny-all-but-DNS counts as default-deny egress', () => {
    const f = netpolFindings([namespace(NS), server(), policy('deny', {
      podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }]
    })]);

    expect(f.map((x) => x.id)).not.toEqual(expect.arrayContaining(['netpol.noDefaultDenyIngress']));
    expect(f.map((x) => x.id)).not.toContain('netpol.noDefaultDenyEgress');
    expect(f.map((x) => x.id)).not.toContain('netpol.podUncovered');
  });
});

describe('reachability model', () => {
  it('describes isolation, peers, ports and node access per pod template', () => {
    const r = analyzeNetworkPolicies(indexObjects(seedObjects()), { nodeCIDRs: NODE_CIDRS });
    const srv = r.find((x) => x.pod.name === 'harvester-netmon-server');
    const agentRow = r.find((x) => x.pod.name === 'deepflow-agent');

    expect(srv).toMatchObject({ ingressIsolated: true, egressIsolated: false, ingressPolicies: ['np-deepflow-server'] });
    expect(srv?.fromNodes.map((p) => `${ p.port }:${ p.verdict }`)).toEqual(['20033:blocked', '20416:blocked', '4317:blocked']);
    const peers = srv?.ingress[0].peers;

    expect(peers !== 'all' && peers?.[0]).toMatchObject({ kind: 'pods', podSelector: 'app=deepflow-agent', workloads: [], unreachableHostNetworkWorkloads: ['deepflow/DaemonSet/deepflow-agent'] });
    expect(agentRow).toMatchObject({ hostNetwork: true, ingressIsolated: false });
  });
  it('tells node access and API server proxy access apart when their addresses differ', () => {
    const objects = [namespace(NS), grafana(), policy('g', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '192.168.10.0/24' } }] }] })];
    const [row] = analyzeNetworkPolicies(indexObjects(objects), { nodeCIDRs: NODE_CIDRS, apiServerCIDRs: ['172.16.0.10'] });

    expect(row.fromNodes).toEqual([{ port: 3000, protocol: 'TCP', verdict: 'allowed' }]);
    expect(row.fromApiServer).toEqual([{ port: 3000, verdict: 'blocked' }]);
  });
  it('is part of reviewObjects', () => {
    expect(reviewObjects(goodObjects(), { nodeCIDRs: NODE_CIDRS }).reachability.length).toBe(3);
  });
});
