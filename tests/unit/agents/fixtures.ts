import { AgentHealthInput, AgentStatistics } from '@pkg/domain/agents/health';
import { ControllerAgents, parseControllerAgents } from '@pkg/domain/agents/controller-agents';
import { SeedAgent, vtapListAnswer } from '../../../sandbox/backend/deepflow-controller';

export const NOW = 1767225600;

export function node(name: string, opts: { kernel?: string; labels?: Record<string, string>; taints?: unknown[]; ready?: boolean } = {}) {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec:     { taints: opts.taints || [] },
    status:   {
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
      nodeInfo:   { kernelVersion: opts.kernel ?? '5.14.21-150500.55.68-default', osImage: 'Harvester v1.6.0', architecture: 'amd64' },
    },
  };
}

export function agentPod(nodeName: string, opts: { phase?: string; ready?: boolean; restarts?: number; waiting?: string; created?: string } = {}) {
  const ready = opts.ready ?? true;

  return {
    metadata: { name: `hnm-agent-${ nodeName }`, namespace: 'harvester-network-monitoring-agent', creationTimestamp: opts.created || '2026-01-01T00:00:00Z', labels: { 'app.kubernetes.io/component': 'agent' } },
    spec:     { nodeName, containers: [{ name: 'agent', image: 'docker.io/deepflowce/deepflow-agent:v7.1.8' }] },
    status:   {
      phase:             opts.phase || 'Running',
      conditions:        [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ ready, restartCount: opts.restarts || 0, state: opts.waiting ? { waiting: { reason: opts.waiting } } : { running: {} } }],
    },
  };
}

export function daemonSet(podSpec: Record<string, unknown> = {}) {
  return {
    kind:     'DaemonSet',
    metadata: { name: 'hnm-agent', namespace: 'harvester-network-monitoring-agent', labels: { 'app.kubernetes.io/component': 'agent' } },
    spec:     { selector: { matchLabels: { 'app.kubernetes.io/component': 'agent' } }, template: { spec: podSpec } },
  };
}

export function vlanStatus(nodeName: string, clusterNetwork: string) {
  return { metadata: { name: `${ clusterNetwork }-${ nodeName }` }, status: { node: nodeName, clusterNetwork } };
}

type HostStats = { rx?: number; kernelDrops?: number; agentDrops?: number; ago?: number };

/**
 * One dispatcher row per host; every host's agent is in DeepFlow's agent list as `<host>-P<n>` (DeepFlow's
 * name for a pod-node agent) unless `registered` names other hosts.
 */
export function stats(hosts: Record<string, HostStats>, registered: string[] = Object.keys(hosts)): AgentStatistics {
  return {
    state:      'ok',
    agents:     registered.map((host, i) => ({ id: i + 1, name: `${ host }-P${ i + 1 }` })),
    dispatcher: Object.entries(hosts).map(([host, h]) => ({
      host, rx: h.rx ?? 1000, kernelDrops: h.kernelDrops ?? 0, lastSeen: NOW - (h.ago ?? 20)
    })),
    flowMap: Object.entries(hosts).map(([host, h]) => ({ host, dropByWindow: 0, dropByCapacity: h.agentDrops ?? 0 })),
  };
}

type HostAgent = { state?: number; exceptions?: number; name?: string };

/**
 * DeepFlow's controller list (GET /v1/vtaps/) for these hosts, in the wire shape DeepFlow 7.1.8 builds (the e2e
 * backend's builder), parsed as the Overview parses it. Agents are named `<host>-P<n>` like the querier's list.
 */
export function controller(hosts: Record<string, HostAgent>): ControllerAgents {
  const agents: SeedAgent[] = Object.entries(hosts).map(([host, h], i) => ({
    name: h.name ?? `${ host }-P${ i + 1 }`, ip: `192.168.10.${ 11 + i }`, state: h.state, exceptions: h.exceptions
  }));

  return parseControllerAgents(JSON.stringify(vtapListAnswer(agents)));
}

export const HARVESTER_REGEX = '^(mgmt-br|mgmt-bo|[a-zA-Z0-9_.-]+-br|[a-zA-Z0-9_.-]+-bo|cali.*|veth.*|tap.*|eth.*|en[osipx].*)$';

export function input(overrides: Partial<AgentHealthInput> = {}): AgentHealthInput {
  return {
    nodes:          [node('node-1')],
    daemonSet:      daemonSet(),
    pods:           [agentPod('node-1')],
    vlanStatuses:   [],
    interfaceRegex: HARVESTER_REGEX,
    statistics:     stats({ 'node-1': {} }),
    controller:     controller({ 'node-1': {} }),
    nowSeconds:     NOW,
    ...overrides,
  };
}
