/**
 * Generated Harvester clusters and flow sets for the proposal tests (unit and real API server):
 * namespaces with pods of assorted labels (some only volatile ones, some none, some host-network),
 * VMs with pod-network and VLAN NICs, Services with numeric and named target ports and one without
 * selector, nodes (one IPv6), outside addresses; flows mostly TCP/UDP, some SCTP and ICMP. Seeded:
 * the same seed gives the same cluster.
 */
import { Endpoint } from '@pkg/domain/flows/enrichment/endpoint';
import { FlowLike, PolicyInput } from '@pkg/domain/policy';
import { seededRandom } from '../../../sandbox/backend/seed/seeded-random';
import {
  Json, at, flow, nodeObject, ns, podObject, policy, serviceObject
} from './world';

export interface Generated {
  input: PolicyInput;
  endpoints: Endpoint[];
  vms: { namespace: string; name: string }[];
  namespaces: string[];
}

const LABEL_POOL = [
  { app: 'web' }, { app: 'api', tier: 'back' }, { 'app.kubernetes.io/name': 'store', 'pod-template-hash': 'h1' }, { 'k8s-app': 'metrics' },
  { team: 'x', 'controller-revision-hash': 'r1' }, {}, { role: 'worker' }, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0' },
];

export function generate(seed: number, names: readonly string[] = ['alpha', 'beta', 'gamma']): Generated {
  const rand = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const namespaces = names.slice(0, 2 + Math.floor(rand() * 2));
  const nodes = [nodeObject('n1', '192.168.10.11'), nodeObject('n2', '192.168.10.12'), nodeObject('n3', 'fd00:10::13')];
  const pods: Json[] = [];
  const services: Json[] = [];
  const endpoints: Endpoint[] = [at.node('n1', '192.168.10.11'), at.node('n2', '192.168.10.12'), at.node('n3', 'fd00:10::13')];
  const vms: Generated['vms'] = [];
  let ipCounter = 1;
  const nextIp = () => `10.52.${ Math.floor(ipCounter / 250) }.${ (ipCounter++ % 250) + 1 }`;

  for (const namespace of namespaces) {
    for (let i = 0; i < 3 + Math.floor(rand() * 4); i++) {
      const name = `pod-${ i }`;
      const labels = { ...pick(LABEL_POOL) } as Record<string, string>;
      const ip = nextIp();
      const ports = rand() < 0.5 ? [{ name: 'http', containerPort: 8000 + i }, { name: 'udp-x', containerPort: 5000 + i, protocol: 'UDP' }] : [];

      if (rand() < 0.1) {
        const node = pick(['n1', 'n2']);
        const nodeIp = node === 'n1' ? '192.168.10.11' : '192.168.10.12';

        pods.push(podObject(namespace, name, labels, { ip: nodeIp, node, hostNetwork: true }));
        endpoints.push(at.hostPod(namespace, name, nodeIp, node));
        continue;
      }
      pods.push(podObject(namespace, name, labels, { ip, node: pick(['n1', 'n2', 'n3']), ports }));
      endpoints.push(at.pod(namespace, name, ip));
    }
    for (let v = 0; v < 1 + Math.floor(rand() * 2); v++) {
      const name = `vm-${ namespace }-${ v }`;
      const ip = nextIp();

      pods.push(podObject(namespace, `virt-launcher-${ name }-abcde`, { 'vm.kubevirt.io/name': name, 'kubevirt.io': 'virt-launcher', 'kubevirt.io/created-by': `uid-${ v }` }, { ip, node: pick(['n1', 'n2']) }));
      vms.push({ namespace, name });
      endpoints.push(at.vm(namespace, name, ip));
      if (rand() < 0.5) {
        endpoints.push(at.vm(namespace, name, `172.16.${ v }.${ 10 + namespaces.indexOf(namespace) }`, `${ namespace }/vlan100`));
      }
    }
    // A Service for the web pods (named target port), one with a numeric target port, one without selector.
    const clusterIp = `10.53.${ namespaces.indexOf(namespace) }.`;

    services.push(serviceObject(namespace, 'web', `${ clusterIp }1`, { app: 'web' }, [{ port: 80, targetPort: 8080 }, { port: 81, targetPort: 'http' }]));
    services.push(serviceObject(namespace, 'manual', `${ clusterIp }2`, undefined, [{ port: 5432 }]));
    endpoints.push(at.service(namespace, 'web', `${ clusterIp }1`), at.service(namespace, 'manual', `${ clusterIp }2`));
  }
  for (let i = 0; i < 6; i++) {
    endpoints.push(at.ext(rand() < 0.7 ? `203.0.113.${ i + 1 }` : `2001:db8::${ i + 1 }`));
  }
  endpoints.push({ key: 'external:unknown', kind: 'external', name: '', namespace: '', ip: '', via: 'none' });

  return {
    input: {
      namespaces: [...namespaces.map((n) => ns(n, { tier: n === namespaces[0] ? 'front' : 'back' })), ns('kube-system')], nodes, pods, services, networkPolicies: [],
    },
    endpoints,
    vms,
    namespaces,
  };
}

/** Random existing policies: default denies, narrow allows, ipBlocks. */
export function randomPolicies(seed: number, g: Generated): Json[] {
  const rand = seededRandom(seed * 7919);
  const out: Json[] = [];

  g.namespaces.forEach((namespace, i) => {
    if (rand() < 0.5) {
      out.push(policy(namespace, 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    }
    if (rand() < 0.5) {
      out.push(policy(namespace, `allow-${ i }`, {
        podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { tier: 'front' } } }], ports: [{ port: 8080 }] }],
      }));
    }
    if (rand() < 0.3) {
      out.push(policy(namespace, `egress-${ i }`, { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/28', except: ['203.0.113.4/32'] } }] }] }));
    }
  });

  return out;
}

export function randomFlows(seed: number, g: Generated, count: number): FlowLike[] {
  const rand = seededRandom(seed * 104729);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const flows: FlowLike[] = [];

  for (let i = 0; i < count; i++) {
    const client = pick(g.endpoints.filter((e) => e.kind !== 'service'));
    const server = pick(g.endpoints);
    const r = rand();
    const protocol = r < 0.7 ? 6 : r < 0.9 ? 17 : r < 0.95 ? 132 : 1;
    const port = protocol === 1 ? 0 : server.kind === 'service' ? pick([80, 81, 5432]) : rand() < 0.3 ? 3000 + Math.floor(rand() * 5) : 1 + Math.floor(rand() * 65535);

    flows.push(flow(client, server, port, protocol));
  }

  return flows;
}
