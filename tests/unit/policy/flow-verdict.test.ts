/**
 * Verdicts on the flow views' own data: rows enriched by the endpoint index from the same cluster
 * objects, summed per traffic-map edge and per peer, the Flows page filters, the matched rule as
 * text, and an l10n string for every code the domain returns.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { load } from 'js-yaml';
import { EdgeRow, enrichEdges, peerSummary } from '@pkg/domain/flows/enrichment/aggregate';
import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { buildTrafficGraph } from '@pkg/domain/flows/graph/graph';
import {
  POLICY_FLOW_FILTERS, OUTCOMES, REQUEST_PROBLEMS, SIDE_REASONS, SIDE_STATES, SKIP_REASONS, VERDICTS, YAML_PROBLEMS, buildPolicyWorld, edgeVerdicts,
  filterFlows, filterKey, flowEvaluator, outcomeKey, peerVerdicts, reasonKey, requestProblemKey, ruleText, sideStateKey, skipReasonKey, summarizeFlows,
  verdictKey, vmsWithoutPolicy, yamlProblemKey
} from '@pkg/domain/policy';
import {
  nad, node, pod, service, vm, vmi
} from '../../fixtures/querier/cluster';
import { Json, ns, policy } from './world';

function row(client: string, server: string, serverPort: number, extra: Partial<EdgeRow> = {}): EdgeRow {
  return {
    clientIp: client, serverIp: server, clientPod: '', serverPod: '', clientNamespace: '', serverNamespace: '', clientNode: '', serverNode: '', protocol: 6, serverPort, bytes: 100, bytesTx: 60, bytesRx: 40, packetsTx: 1, packetsRx: 1, rttUs: null, retrans: 0, tcpEstablishFail: 0, newFlows: 1, ...extra,
  };
}

const objects = {
  vms:                          [vm('vms', 'a', [{ name: 'default' }, { name: 'nic-1', multus: 'vms/vlan100' }]), vm('vms', 'b', [{ name: 'default' }])],
  vmis:                         [vmi('vms', 'a', [{ name: 'default', ips: ['10.52.0.5'] }, { name: 'nic-1', multus: 'vms/vlan100', ips: ['192.168.100.5'] }]), vmi('vms', 'b', [{ name: 'default', ips: ['10.52.0.6'] }])],
  pods:                         [pod('vms', 'virt-launcher-a-x', '10.52.0.5', { launcherFor: 'a' }), pod('vms', 'virt-launcher-b-y', '10.52.0.6', { launcherFor: 'b' }), pod('apps', 'api', '10.52.1.7')],
  nodes:                        [node('node-1', '10.0.0.11')],
  services:                     [service('apps', 'api', ['10.53.0.7'])],
  networkAttachmentDefinitions: [nad('vms', 'vlan100', 100)],
};
const policies: Json[] = [
  policy('vms', 'b-in', { podSelector: { matchLabels: { 'vm.kubevirt.io/name': 'b' } }, ingress: [{ from: [{ podSelector: { matchLabels: { 'vm.kubevirt.io/name': 'a' } } }], ports: [{ port: 22 }] }] }),
];
const world = buildPolicyWorld({ ...objects, namespaces: [ns('vms'), ns('apps')], networkPolicies: policies });
const index = buildEndpointIndex(objects);
const flows = enrichEdges([
  row('10.52.0.5', '10.52.0.6', 22),
  row('10.52.0.5', '10.52.0.6', 80),
  row('192.168.100.5', '10.52.0.6', 22),
  row('10.52.1.7', '10.52.0.5', 8080, { serverPod: '', clientPod: 'api', clientNamespace: 'apps' }),
  row('10.0.0.11', '10.52.0.6', 22),
  row('203.0.113.9', '10.52.1.7', 443),
], index);

describe('verdicts on enriched flows', () => {
  const evaluator = flowEvaluator(world);
  const verdicts = flows.map((f) => evaluator.flow(f));

  it('names the matched rule, the blocking policy, the VLAN NIC and the unrestricted flows', () => {
    expect(verdicts.map((v) => v.verdict)).toEqual(['allowed', 'blocked', 'blocked', 'allowed', 'allowed', 'allowed']);
    expect(verdicts[0].ingress).toMatchObject({ state: 'allowed', policies: [{ namespace: 'vms', name: 'b-in' }], matches: [{ policy: 'b-in', rule: 0, peer: 0, port: 0 }] });
    expect(verdicts[2].egress).toMatchObject({ state: 'not-enforced', reasons: ['vlan-network'] });
    expect(verdicts[2].ingress).toMatchObject({ state: 'blocked', policies: [{ name: 'b-in' }] });
    // The node-1 address is the launcher pod's own node: always admitted.
    expect(verdicts[4].ingress).toMatchObject({ state: 'allowed', reasons: ['resident-node'] });
    expect(verdicts[5]).toMatchObject({ restricted: false, egress: { state: 'not-enforced', reasons: ['external-address'] }, ingress: { state: 'unrestricted' } });
  });
  it('describes the matched rule as data the page formats', () => {
    expect(ruleText(world, verdicts[0].ingress.matches[0])).toEqual({
      policy: 'b-in', namespace: 'vms', direction: 'ingress', ruleNumber: 1, peer: { kind: 'pods', podSelector: 'vm.kubevirt.io/name=a' }, port: 'TCP 22',
    });
    expect(ruleText(world, { ...verdicts[0].ingress.matches[0], policy: 'gone' })).toBeNull();
  });
  it('filters: flows no policy restricts, flows of VMs without policy', () => {
    expect(filterFlows(flows, 'unrestricted', evaluator).map((f) => `${ f.client.key }>${ f.server.key }`)).toEqual(['pod:apps/api>vm:vms/a', 'external:203.0.113.9>pod:apps/api']);
    expect([...vmsWithoutPolicy(world)]).toEqual(['vm:vms/a']);
    expect(filterFlows(flows, 'vm-without-policy', evaluator)).toHaveLength(4);
    expect(filterFlows(flows, 'all', evaluator)).toHaveLength(flows.length);
  });
  it('sums per traffic-map edge with the graph\'s own edge ids, and per peer', () => {
    const graph = buildTrafficGraph(flows, { groupBy: 'endpoint' });
    const byEdge = edgeVerdicts(flows, evaluator, { groupBy: 'endpoint' });

    expect([...byEdge.keys()].sort()).toEqual(graph.edges.map((e) => e.id).sort());
    expect(byEdge.get('vm:vms/a->vm:vms/b')?.summary).toMatchObject({
      total: 3, allowed: 1, blocked: 2, worst: 'blocked', matches: [{ policy: 'b-in' }]
    });
    const grouped = edgeVerdicts(flows, evaluator);

    expect([...grouped.keys()].sort()).toEqual(buildTrafficGraph(flows).edges.map((e) => e.id).sort());
    const peers = peerVerdicts(flows, evaluator, 'vm:vms/b');

    expect([...peers.keys()].sort()).toEqual(peerSummary(flows, 'vm:vms/b').map((p) => p.peer.key).sort());
    expect(peers.get('node:node-1')?.summary).toMatchObject({ allowed: 1, total: 1 });
    expect(summarizeFlows(flows, evaluator)).toMatchObject({
      total: 6, allowed: 4, blocked: 2, unrestricted: 2, worst: 'blocked'
    });
  });
  it('caches: the same pair, protocol and port give the same object', () => {
    expect(evaluator.flow(flows[0])).toBe(verdicts[0]);
  });
});

describe('l10n of policy codes', () => {
  const l10n = load(readFileSync(join(__dirname, '../../../pkg/harvester-network-monitoring/l10n/en-us.yaml'), 'utf8')) as Json;
  const lookup = (key: string) => key.split('.').reduce<any>((n, part) => (n && typeof n === 'object' ? n[part] : undefined), l10n);
  const keys = [
    ...VERDICTS.map(verdictKey), ...SIDE_STATES.map(sideStateKey), ...SIDE_REASONS.map(reasonKey), ...SKIP_REASONS.map(skipReasonKey),
    ...OUTCOMES.map(outcomeKey), ...YAML_PROBLEMS.map(yamlProblemKey), ...REQUEST_PROBLEMS.map(requestProblemKey), ...POLICY_FLOW_FILTERS.map(filterKey),
  ];

  it.each(keys.map((k) => [k]))('%s has English text', (key) => {
    expect(typeof lookup(key)).toBe('string');
  });
});
