/**
 * A small Harvester cluster for the policy tests, as the API lists it: namespaces, pods (one a VM's
 * virt-launcher pod, one host-network), nodes and Services, plus flow endpoints shaped as the
 * flow views produce them (flows/enrich.ts).
 */
import { Endpoint } from '@pkg/domain/flows/enrichment/endpoint';
import { FlowLike, PolicyInput, PolicyWorld, buildPolicyWorld, flowEvaluator, FlowEvaluator } from '@pkg/domain/policy';

export type Json = Record<string, any>;

export function ns(name: string, labels: Record<string, string> = {}): Json {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function podObject(namespace: string, name: string, labels: Record<string, string>, opts: {
  ip?: string; node?: string; hostNetwork?: boolean; ports?: { name?: string; containerPort: number; protocol?: string }[]; phase?: string;
} = {}): Json {
  return {
    apiVersion: 'v1',
    kind:       'Pod',
    metadata:   { name, namespace, labels },
    spec:       {
      nodeName: opts.node ?? 'n1', ...(opts.hostNetwork ? { hostNetwork: true } : {}), containers: [{ name: 'c', image: 'x:1', ports: opts.ports ?? [] }],
    },
    status: { phase: opts.phase ?? 'Running', ...(opts.ip ? { podIP: opts.ip, podIPs: [{ ip: opts.ip }] } : {}) },
  };
}

export function nodeObject(name: string, ip: string): Json {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }] } };
}

export function serviceObject(namespace: string, name: string, clusterIP: string, selector: Record<string, string> | undefined, ports: Json[]): Json {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { clusterIP, clusterIPs: [clusterIP], ...(selector ? { selector } : {}), ports }
  };
}

export function policy(namespace: string, name: string, spec: Json): Json {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec
  };
}

/** The standard cluster: namespaces prod (team=a) and dev (team=b), two nodes, a VM, a host-network agent. */
export function baseInput(): PolicyInput {
  return {
    namespaces: [ns('prod', { team: 'a', env: 'production' }), ns('dev', { team: 'b' }), ns('kube-system')],
    nodes:      [nodeObject('n1', '192.168.10.11'), nodeObject('n2', '192.168.10.12')],
    pods:       [
      podObject('prod', 'web', { app: 'web', tier: 'front' }, { ip: '10.52.0.10', node: 'n1', ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }),
      podObject('prod', 'db', { app: 'db', 'pod-template-hash': 'abc123' }, { ip: '10.52.0.11', node: 'n2', ports: [{ name: 'pg', containerPort: 5432 }] }),
      podObject('prod', 'client', { app: 'client' }, { ip: '10.52.0.12', node: 'n2' }),
      podObject('dev', 'client', { app: 'client' }, { ip: '10.52.1.5', node: 'n1' }),
      podObject('dev', 'web', { app: 'web', role: 'api' }, { ip: '10.52.1.6', node: 'n2', ports: [{ name: 'http', containerPort: 8080 }] }),
      podObject('prod', 'nameless', {}, { ip: '10.52.0.13', node: 'n2' }),
      podObject('prod', 'virt-launcher-vm1-x7k2p', { 'vm.kubevirt.io/name': 'vm1', 'kubevirt.io': 'virt-launcher', app: 'vm1' }, { ip: '10.52.0.20', node: 'n1' }),
      podObject('kube-system', 'agent-abcde', { app: 'agent' }, { ip: '192.168.10.12', node: 'n2', hostNetwork: true }),
      podObject('kube-system', 'coredns-1', { 'k8s-app': 'kube-dns', 'app.kubernetes.io/name': 'rke2-coredns' }, { ip: '10.52.2.2', node: 'n2', ports: [{ name: 'udp-53', containerPort: 53, protocol: 'UDP' }, { name: 'tcp-53', containerPort: 53, protocol: 'TCP' }] }),
    ],
    services: [
      serviceObject('prod', 'web', '10.53.0.10', { app: 'web' }, [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'named', port: 81, targetPort: 'metrics' }]),
      serviceObject('prod', 'external-db', '10.53.0.20', undefined, [{ port: 5432 }]),
      serviceObject('kube-system', 'rke2-coredns-rke2-coredns', '10.53.0.53', { 'k8s-app': 'kube-dns' }, [{ name: 'udp-53', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'tcp-53', port: 53, protocol: 'TCP', targetPort: 53 }]),
    ],
    networkPolicies: [],
  };
}

/** Flow endpoints as the flow views resolve them. */
export const at = {
  pod: (namespace: string, name: string, ip: string): Endpoint => ({
    key: `pod:${ namespace }/${ name }`, kind: 'pod', name, namespace, ip, via: 'tag'
  }),
  hostPod: (namespace: string, name: string, ip: string, node: string): Endpoint => ({
    key: `pod:${ namespace }/${ name }`, kind: 'pod', name, namespace, ip, node, hostNetwork: true, via: 'tag'
  }),
  vm: (namespace: string, name: string, ip: string, nad?: string): Endpoint => ({
    key: `vm:${ namespace }/${ name }`, kind: 'vm', name, namespace, ip, network: nad ? { kind: 'multus', nad, vlan: 100 } : { kind: 'pod' }, via: 'ip'
  }),
  node: (name: string, ip: string): Endpoint => ({
    key: `node:${ name }`, kind: 'node', name, namespace: '', ip, node: name, via: 'ip'
  }),
  service: (namespace: string, name: string, ip: string): Endpoint => ({
    key: `service:${ namespace }/${ name }`, kind: 'service', name, namespace, ip, via: 'ip'
  }),
  ext: (ip: string): Endpoint => ({
    key: `external:${ ip }`, kind: 'external', name: ip, namespace: '', ip, via: 'none'
  }),
};

/** The named endpoints of baseInput. */
export const E = {
  web:       at.pod('prod', 'web', '10.52.0.10'),
  db:        at.pod('prod', 'db', '10.52.0.11'),
  client:    at.pod('prod', 'client', '10.52.0.12'),
  devClient: at.pod('dev', 'client', '10.52.1.5'),
  devWeb:    at.pod('dev', 'web', '10.52.1.6'),
  nameless:  at.pod('prod', 'nameless', '10.52.0.13'),
  vm1:       at.vm('prod', 'vm1', '10.52.0.20'),
  vm1Vlan:   at.vm('prod', 'vm1', '172.16.0.5', 'prod/vlan100'),
  agent:     at.hostPod('kube-system', 'agent-abcde', '192.168.10.12', 'n2'),
  n1:        at.node('n1', '192.168.10.11'),
  n2:        at.node('n2', '192.168.10.12'),
  webSvc:    at.service('prod', 'web', '10.53.0.10'),
  extDbSvc:  at.service('prod', 'external-db', '10.53.0.20'),
  dnsSvc:    at.service('kube-system', 'rke2-coredns-rke2-coredns', '10.53.0.53'),
  internet:  at.ext('203.0.113.7'),
  internet6: at.ext('2001:db8::7'),
};

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;
export const SCTP = 132;

export function flow(client: Endpoint, server: Endpoint, serverPort: number, protocol = TCP): FlowLike {
  return {
    client, server, serverPort, protocol
  };
}

export function worldWith(policies: Json[], change?: (input: PolicyInput) => void): PolicyWorld {
  const input = baseInput();

  input.networkPolicies = policies;
  change?.(input);

  return buildPolicyWorld(input);
}

export function evaluatorWith(policies: Json[], change?: (input: PolicyInput) => void): FlowEvaluator {
  return flowEvaluator(worldWith(policies, change));
}
