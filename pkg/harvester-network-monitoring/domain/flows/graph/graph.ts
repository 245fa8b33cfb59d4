/**
 * The traffic map model: nodes (namespace groups, VMs, pods, Services, hosts, external groups) and
 * directed client -> server edges weighted by bytes, with RTT and retransmission rate for coloring.
 *
 * Grouping: by default every workload collapses into its namespace (the overview users ask for);
 * `focusNamespace` drills into one namespace (its members become individual nodes, others stay
 * grouped); `groupBy: 'endpoint'` shows every endpoint. External addresses collapse into a private
 * and a public group unless grouped by endpoint. With `workloads` (workloads.ts), pods shown on their
 * own collapse into one node per workload (Deployment, StatefulSet...) unless the workload is in
 * `expanded`; VMs stay VMs. Above `maxNodes` the model is withheld and
 * `tooLarge` tells the view to show the table instead (large graphs stop being readable and slow
 * the browser; Grafana's Node Graph caps at 1,500 nodes too).
 */
import { EnrichedFlow } from '../enrichment/aggregate';
import { FlowCategory } from '../enrichment/categories';
import { GRAPH_NODE_CAP } from '../query/constants';
import { Endpoint } from '../enrichment/endpoint';
import {
  WorkloadIndex, WorkloadRef, podKey, workloadId
} from '../enrichment/workloads';

export type GraphNodeKind = 'namespace' | 'workload' | 'vm' | 'pod' | 'service' | 'node' | 'external' | 'external-group';

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** Display text: an object name, a namespace, an address, or for external groups 'private' / 'public'. */
  label: string;
  namespace: string;
  /** Traffic touching the node, each edge counted once. */
  bytes: number;
  /** Distinct endpoints inside (1 for single endpoints). */
  members: number;
  /** A workload node's workload, or the workload of a pod shown because its workload is expanded. */
  workload?: WorkloadRef;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  bytes: number;
  bytesTx: number;
  bytesRx: number;
  packets: number;
  connections: number;
  failedConnections: number;
  retrans: number;
  /** retrans / packets, null without packets. */
  retransRate: number | null;
  /** Packet-weighted average RTT in microseconds, null without samples. */
  rttUs: number | null;
  categories: FlowCategory[];
  /** Traffic inside one group (e.g. within a namespace). */
  selfLoop: boolean;
}

export interface TrafficGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  totalNodes: number;
  totalEdges: number;
  /** More nodes than the cap: nodes and edges are empty and the view should show the table. */
  tooLarge: boolean;
  maxNodes: number;
  /** The options the graph was built with (to rebuild it with other workload grouping). */
  options: GraphOptions;
}

export interface GraphOptions {
  groupBy?: 'namespace' | 'endpoint';
  /** With groupBy 'namespace': show this namespace's endpoints individually. */
  focusNamespace?: string;
  maxNodes?: number;
  /** Pods' workloads: pods shown individually are grouped into them. */
  workloads?: WorkloadIndex;
  /** Workload node ids (workloadId) shown as their pods. */
  expanded?: ReadonlySet<string>;
}

export interface NodeRef {
  id: string;
  kind: GraphNodeKind;
  label: string;
  namespace: string;
  workload?: WorkloadRef;
}

function externalGroup(e: Endpoint): NodeRef {
  const isPrivate = e.scope === 'private' || e.scope === 'shared';
  const label = isPrivate ? 'private' : 'public';

  return {
    id: `external-group:${ label }`, kind: 'external-group', label, namespace: ''
  };
}

function single(e: Endpoint): NodeRef {
  return {
    id: e.key, kind: e.kind, label: e.name || e.ip, namespace: e.namespace
  };
}

function inWorkload(e: Endpoint, ref: NodeRef, options: GraphOptions): NodeRef {
  const workload = e.kind === 'pod' ? options.workloads?.get(podKey(e.namespace, e.name)) : undefined;

  if (!workload) {
    return ref;
  }
  const id = workloadId(workload);

  if (options.expanded?.has(id)) {
    return { ...ref, workload };
  }

  return {
    id, kind: 'workload', label: workload.name, namespace: workload.namespace, workload
  };
}

export function nodeRefFor(e: Endpoint, options: GraphOptions): NodeRef {
  if (options.groupBy === 'endpoint') {
    return inWorkload(e, single(e), options);
  }
  if (e.kind === 'external') {
    return externalGroup(e);
  }
  if (e.kind === 'node' || !e.namespace || e.namespace === options.focusNamespace) {
    return inWorkload(e, single(e), options);
  }

  return {
    id: `namespace:${ e.namespace }`, kind: 'namespace', label: e.namespace, namespace: e.namespace
  };
}

interface EdgeAcc extends GraphEdge {
  rttWeighted: number;
  rttWeight: number;
}

export function buildTrafficGraph(flows: readonly EnrichedFlow[], options: GraphOptions = {}): TrafficGraph {
  const maxNodes = options.maxNodes ?? GRAPH_NODE_CAP;
  const nodes = new Map<string, GraphNode & { memberKeys: Set<string> }>();
  const edges = new Map<string, EdgeAcc>();
  const edgesBySource = new Map<GraphNode, Map<GraphNode, EdgeAcc>>();
  const refCache = new Map<string, NodeRef>();
  const refOf = (e: Endpoint): NodeRef => {
    let ref = refCache.get(e.key);

    if (!ref) {
      ref = nodeRefFor(e, options);
      refCache.set(e.key, ref);
    }

    return ref;
  };
  const touch = (ref: NodeRef, e: Endpoint) => {
    let n = nodes.get(ref.id);

    if (!n) {
      n = {
        ...ref, bytes: 0, members: 0, memberKeys: new Set()
      };
      nodes.set(ref.id, n);
    }
    n.memberKeys.add(e.key);

    return n;
  };

  for (const f of flows) {
    const src = refOf(f.client);
    const dst = refOf(f.server);
    const bytes = f.bytesTx + f.bytesRx;
    const packets = f.packetsTx + f.packetsRx;
    const srcNode = touch(src, f.client);
    const dstNode = touch(dst, f.server);

    srcNode.bytes += bytes;
    if (dstNode !== srcNode) {
      dstNode.bytes += bytes;
    }
    let targets = edgesBySource.get(srcNode);

    if (!targets) {
      targets = new Map();
      edgesBySource.set(srcNode, targets);
    }
    let edge = targets.get(dstNode);

    if (!edge) {
      const id = `${ src.id }->${ dst.id }`;

      edge = {
        id, source: src.id, target: dst.id, bytes: 0, bytesTx: 0, bytesRx: 0, packets: 0, connections: 0, failedConnections: 0, retrans: 0, retransRate: null, rttUs: null, categories: [], selfLoop: src.id === dst.id, rttWeighted: 0, rttWeight: 0
      };
      edges.set(id, edge);
      targets.set(dstNode, edge);
    }
    edge.bytes += bytes;
    edge.bytesTx += f.bytesTx;
    edge.bytesRx += f.bytesRx;
    edge.packets += packets;
    edge.connections += f.connections;
    edge.failedConnections += f.failedConnections;
    edge.retrans += f.retrans;
    if (f.rttUs !== null) {
      const w = Math.max(1, packets);

      edge.rttWeighted += f.rttUs * w;
      edge.rttWeight += w;
    }
    if (!edge.categories.includes(f.category)) {
      edge.categories.push(f.category);
    }
  }

  const base = {
    totalNodes: nodes.size, totalEdges: edges.size, maxNodes, options
  };

  if (nodes.size > maxNodes) {
    return {
      ...base, nodes: [], edges: [], tooLarge: true
    };
  }

  return {
    ...base,
    tooLarge: false,
    nodes:    [...nodes.values()].map(({ memberKeys, ...n }) => ({ ...n, members: memberKeys.size })),
    edges:    [...edges.values()].map(({ rttWeighted, rttWeight, ...e }) => ({
      ...e,
      rttUs:       rttWeight > 0 ? rttWeighted / rttWeight : null,
      retransRate: e.packets > 0 ? e.retrans / e.packets : null,
    })),
  };
}
