/**
 * The cluster the DeepFlow contract is recorded for and run against: every statement in the
 * contract is built from these objects, and the ClickHouse seed (clickhouse/seed.py reads
 * scenario.json, written from here) carries flows between exactly these endpoints.
 *
 * - namespace `vms`: VM `web-vm` on the pod network (10.52.0.10) and on VLAN 100 (192.168.100.10 and
 *   fd00:100::10); VM `db-vm` on VLAN 100 only (192.168.100.11), found through its virt-launcher pod.
 * - namespace `shop`: pods `web-0`, `web-1`, Service `db`; a pod named `slimit` (a valid Kubernetes name
 *   DeepFlow's querier cannot filter by).
 * - nodes `node-1`, `node-2`; external addresses 203.0.113.5, 8.8.8.8 and 2001:db8::53.
 */
import { buildEndpointIndex } from '../../pkg/harvester-network-monitoring/domain/flows/enrichment/enrich';
import { FlowObjects } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-objects';
import {
  nad, node, pod, service, vm, vmi
} from '../fixtures/querier/cluster';

/** 2026-01-01T00:00:00Z: every contract statement is built for this "now". */
export const CONTRACT_NOW_SECONDS = 1767225600;

const webVmNets = [
  { name: 'default', ips: ['10.52.0.10'] },
  { name: 'vlan', multus: 'vms/vlan100', ips: ['192.168.100.10', 'fd00:100::10'] },
];
const dbVmNets = [{ name: 'vlan', multus: 'vms/vlan100', ips: ['192.168.100.11'] }];

export const CONTRACT_OBJECTS: FlowObjects = {
  namespaces:                   [{ metadata: { name: 'vms' } }, { metadata: { name: 'shop' } }],
  networkAttachmentDefinitions: [nad('vms', 'vlan100', 100)],
  vms:                          [vm('vms', 'web-vm', webVmNets), vm('vms', 'db-vm', dbVmNets)],
  vmis:                         [vmi('vms', 'web-vm', webVmNets, { node: 'node-1' }), vmi('vms', 'db-vm', dbVmNets, { node: 'node-2' })],
  pods:                         [
    pod('vms', 'virt-launcher-web-vm-x7k2p', '10.52.0.10', { node: 'node-1', launcherFor: 'web-vm' }),
    pod('vms', 'virt-launcher-db-vm-q9w4z', '10.52.0.11', { node: 'node-2', launcherFor: 'db-vm' }),
    pod('shop', 'web-0', '10.52.1.20', { node: 'node-1' }),
    pod('shop', 'web-1', '10.52.1.21', { node: 'node-2' }),
    pod('shop', 'slimit', '10.52.1.22', { node: 'node-2' }),
    pod('kube-system', 'kube-proxy-node-1', '10.0.0.11', { node: 'node-1', hostNetwork: true }),
  ],
  services: [service('shop', 'db', ['10.53.0.10'])],
  nodes:    [node('node-1', '10.0.0.11'), node('node-2', '10.0.0.12')],
};

export const contractIndex = () => buildEndpointIndex(CONTRACT_OBJECTS);

/** The endpoints of the scenario as DeepFlow would tag them, for the ClickHouse seed. */
export interface SeedEndpoint {
  ip: string;
  /** DeepFlow's pod tag (virt-launcher pods are not tagged by DeepFlow, #3244). */
  pod?: string;
  namespace?: string;
  node?: string;
  service?: string;
}

export const SEED_ENDPOINTS: Record<string, SeedEndpoint> = {
  webVmPodNet: { ip: '10.52.0.10' },
  webVmVlan:   { ip: '192.168.100.10' },
  webVmVlan6:  { ip: 'fd00:100::10' },
  dbVmVlan:    { ip: '192.168.100.11' },
  web0:        {
    ip: '10.52.1.20', pod: 'web-0', namespace: 'shop', node: 'node-1'
  },
  web1: {
    ip: '10.52.1.21', pod: 'web-1', namespace: 'shop', node: 'node-2'
  },
  dbService: { ip: '10.53.0.10', namespace: 'shop', service: 'db' },
  node1:     { ip: '10.0.0.11', node: 'node-1' },
  node2:     { ip: '10.0.0.12', node: 'node-2' },
  external:  { ip: '203.0.113.5' },
  dns:       { ip: '8.8.8.8' },
  dns6:      { ip: '2001:db8::53' },
};

/** Flows (client, server, port, protocol, bytes sent by the client / server, new flows) in the seed. */
export interface SeedFlow {
  client: keyof typeof SEED_ENDPOINTS;
  server: keyof typeof SEED_ENDPOINTS;
  port: number;
  protocol: number;
  bytesTx: number;
  bytesRx: number;
  newFlows: number;
}

export const SEED_FLOWS: SeedFlow[] = [
  // VM <-> pod, both ways
  {
    client: 'web0', server: 'webVmPodNet', port: 8080, protocol: 6, bytesTx: 4000, bytesRx: 16000, newFlows: 8
  },
  {
    client: 'webVmPodNet', server: 'dbService', port: 5432, protocol: 6, bytesTx: 3000, bytesRx: 9000, newFlows: 6
  },
  // VM <-> VM on VLAN 100; the VM's IPv6 address to an external IPv6 DNS server
  {
    client: 'webVmVlan', server: 'dbVmVlan', port: 3306, protocol: 6, bytesTx: 2000, bytesRx: 7000, newFlows: 4
  },
  {
    client: 'webVmVlan6', server: 'dns6', port: 53, protocol: 17, bytesTx: 100, bytesRx: 100, newFlows: 1
  },
  // external -> VM, VM -> external DNS
  {
    client: 'external', server: 'webVmPodNet', port: 443, protocol: 6, bytesTx: 50000, bytesRx: 200000, newFlows: 40
  },
  {
    client: 'dbVmVlan', server: 'dns', port: 53, protocol: 17, bytesTx: 300, bytesRx: 900, newFlows: 12
  },
  // node -> VM (a probe over the pod network), node -> node
  {
    client: 'node1', server: 'webVmPodNet', port: 9100, protocol: 6, bytesTx: 500, bytesRx: 1500, newFlows: 2
  },
  {
    client: 'node1', server: 'node2', port: 10250, protocol: 6, bytesTx: 700, bytesRx: 300, newFlows: 2
  },
  // pod -> pod, pod -> external
  {
    client: 'web1', server: 'web0', port: 8080, protocol: 6, bytesTx: 1200, bytesRx: 2400, newFlows: 3
  },
  {
    client: 'web1', server: 'dns', port: 53, protocol: 17, bytesTx: 200, bytesRx: 600, newFlows: 5
  },
];

/**
 * DeepFlow agents' own statistics (deepflow_tenant.deepflow_collector, one row per sample as the ingester writes
 * them: the virtual table, tag names/values and float metric names/values). node-1's agent is healthy; node-2's
 * agent drops packets in the kernel and in its flow map; node-3's agent is outside the Overview's window.
 */
export interface SeedAgentSample {
  /** Seconds before CONTRACT_NOW_SECONDS. */
  ago: number;
  table: 'deepflow_agent_dispatcher' | 'deepflow_agent_flow_map';
  host: string;
  metrics: Record<string, number>;
}

export const SEED_AGENT_STATS: SeedAgentSample[] = [
  { ago: 120, table: 'deepflow_agent_dispatcher', host: 'node-1', metrics: { rx: 5000, kernel_drops: 0, retired: 0 } },
  { ago: 60, table: 'deepflow_agent_dispatcher', host: 'node-1', metrics: { rx: 7000, kernel_drops: 0, retired: 0 } },
  { ago: 60, table: 'deepflow_agent_flow_map', host: 'node-1', metrics: { drop_by_window: 0, drop_by_capacity: 0, concurrent: 12 } },
  { ago: 300, table: 'deepflow_agent_dispatcher', host: 'node-2', metrics: { rx: 9000, kernel_drops: 40 } },
  { ago: 30, table: 'deepflow_agent_dispatcher', host: 'node-2', metrics: { rx: 1000, kernel_drops: 2 } },
  { ago: 30, table: 'deepflow_agent_flow_map', host: 'node-2', metrics: { drop_by_window: 3, drop_by_capacity: 4 } },
  { ago: 7200, table: 'deepflow_agent_dispatcher', host: 'node-3', metrics: { rx: 100, kernel_drops: 0 } },
];

/**
 * DeepFlow's registered agents (the controller's ch_vtap table behind the flow_tag.vtap_map dictionary): id and
 * name as the controller names a pod-node agent, `<node>-P<pod node id>` (trisolaris/vtap/vtap_discovery.go).
 * node-1 and node-3 are registered; node-2's agent sends statistics but is no longer listed (deleted in DeepFlow).
 */
export const SEED_AGENTS: { id: number; name: string }[] = [
  { id: 1, name: 'node-1-P1' },
  { id: 3, name: 'node-3-P3' },
];
