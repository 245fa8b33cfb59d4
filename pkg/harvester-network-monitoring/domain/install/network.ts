import { KubeObject, nameOf } from '../stack/k8s';
import { arr, isRecord, str } from '../guards';
import { firstAddress, hostCidr, isRange, parseCidr } from '../net/cidr';

/**
 * The NetworkPolicy source addresses the chart needs (networkPolicy.nodeCIDRs / apiServerCIDRs), derived
 * from the cluster's Node objects. On Harvester (RKE2, Canal) host-network agents, NodePort traffic and
 * the API server's proxy reach a pod from the node's InternalIP (pod on the same node) or, across nodes,
 * from flannel.1, whose address is the first address of the node's spec.podCIDR (chart README,
 * "Where API-server-proxied traffic comes from").
 */
export interface NodeSources {
  node: string;
  controlPlane: boolean;
  /** InternalIP addresses as /32 (/128). */
  internal: string[];
  /** The node's pod ranges and the flannel.1 address each gives (/32, /128). */
  tunnels: { podCIDR: string; cidr: string }[];
}

export interface NetworkProposal {
  nodes: NodeSources[];
  /** Every node's addresses: networkPolicy.nodeCIDRs. */
  nodeCIDRs: string[];
  /** The control-plane nodes' addresses; empty when they are all nodes (the chart then uses nodeCIDRs). */
  apiServerCIDRs: string[];
}

const CONTROL_PLANE_LABELS = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];

function isControlPlane(node: KubeObject): boolean {
  const labels = isRecord(node.metadata?.labels) ? node.metadata.labels : {};

  return CONTROL_PLANE_LABELS.some((l) => labels[l] === 'true');
}

function single(ip: string): string | undefined {
  const c = parseCidr(ip);

  return c && !isRange(c) ? hostCidr(c.bytes) : undefined;
}

export function nodeSources(node: KubeObject): NodeSources {
  const internal = arr<any>(node.status?.addresses)
    .filter((a) => isRecord(a) && a.type === 'InternalIP')
    .map((a) => single(str(a.address) || '')).filter((c): c is string => !!c);
  const podCIDRs = [...new Set([str(node.spec?.podCIDR), ...arr<unknown>(node.spec?.podCIDRs).map(str)].filter((c): c is string => !!c))];
  const tunnels = podCIDRs.map((podCIDR) => {
    const c = parseCidr(podCIDR);

    return c ? { podCIDR, cidr: hostCidr(firstAddress(c)) } : undefined;
  }).filter((t): t is { podCIDR: string; cidr: string } => !!t);

  return {
    node: nameOf(node), controlPlane: isControlPlane(node), internal: [...new Set(internal)], tunnels
  };
}

const addressesOf = (sources: NodeSources[]) => [...new Set(sources.flatMap((s) => [...s.internal, ...s.tunnels.map((t) => t.cidr)]))].sort();

/**
 * Every address traffic from these nodes can arrive from (InternalIP and tunnel address, as /32 or /128): what the
 * wizard proposes as networkPolicy.nodeCIDRs and what the live Security Review checks the policies against.
 */
export function nodeAddresses(nodes: KubeObject[]): string[] {
  return addressesOf(nodes.filter(isRecord).map(nodeSources));
}

export function proposeNetworkCidrs(nodes: KubeObject[]): NetworkProposal {
  const sources = nodes.filter(isRecord).map(nodeSources).filter((s) => s.node).sort((a, b) => a.node.localeCompare(b.node));
  const nodeCIDRs = addressesOf(sources);
  const controlPlane = sources.filter((s) => s.controlPlane);
  const api = addressesOf(controlPlane);

  return {
    nodes:          sources,
    nodeCIDRs,
    apiServerCIDRs: !controlPlane.length || api.join() === nodeCIDRs.join() ? [] : api,
  };
}

/** "a, b c\nd" -> [a, b, c, d]: how the wizard's CIDR fields are typed. */
export function cidrList(text: string): string[] {
  return text.split(/[\s,]+/).map((c) => c.trim()).filter(Boolean);
}
