/**
 * One side of a flow, as NetworkPolicy sees it. The flow views identify an endpoint as a VM, pod,
 * node, Service or outside address (flows/enrich.ts); NetworkPolicy only knows pods on the pod
 * network, so a VM becomes its virt-launcher pod, a Service its backend pods, and everything else
 * an address.
 */
import { Endpoint as FlowEndpoint } from '../flows/enrichment/endpoint';
import { PolicyWorld, WorldPod, WorldService } from './policy-world';

/** Why one end of a flow cannot be placed in the policy model. */
export type EndProblem =
  /** The flow names a pod the cluster lists do not contain (deleted, or not readable). */
  | 'pod-not-listed'
  /** The VM's virt-launcher pod is not in the cluster lists. */
  | 'vm-pod-not-listed'
  /** The flow names a Service the cluster lists do not contain. */
  | 'service-not-listed'
  /** The flow carries no address for this end. */
  | 'no-address';

export type PolicyEnd =
  /** A pod on the pod network (a VM's NIC on the pod network is its virt-launcher pod). */
  | { kind: 'pod'; pod: WorldPod; ip: string }
  /** A pod sharing its node's network namespace. */
  | { kind: 'host-network'; pod?: WorldPod; node?: string; ip: string }
  | { kind: 'node'; node: string; ip: string }
  /** A VM NIC attached to a bridge (VLAN) network through Multus: outside the pod network. */
  | { kind: 'vlan'; nad: string; ip: string }
  | { kind: 'service'; service: WorldService; ip: string }
  | { kind: 'external'; ip: string }
  | { kind: 'unknown'; problem: EndProblem; ip: string };

function vmEnd(world: PolicyWorld, e: FlowEndpoint): PolicyEnd {
  if (e.network?.kind === 'multus') {
    return { kind: 'vlan', nad: e.network.nad, ip: e.ip };
  }
  const byIp = e.ip ? world.podsByIp.get(e.ip) : undefined;
  const pod = byIp && byIp.vm === e.name && byIp.namespace === e.namespace ? byIp : world.launchers.get(`${ e.namespace }/${ e.name }`)?.[0];

  return pod ? { kind: 'pod', pod, ip: e.ip } : { kind: 'unknown', problem: 'vm-pod-not-listed', ip: e.ip };
}

function podEnd(world: PolicyWorld, e: FlowEndpoint): PolicyEnd {
  const pod = world.pods.get(`${ e.namespace }/${ e.name }`) ?? (e.ip ? world.podsByIp.get(e.ip) : undefined);

  if (e.hostNetwork || pod?.target.hostNetwork) {
    return {
      kind: 'host-network', ...(pod ? { pod } : {}), node: pod?.target.node ?? e.node, ip: e.ip
    };
  }

  return pod ? { kind: 'pod', pod, ip: e.ip } : { kind: 'unknown', problem: 'pod-not-listed', ip: e.ip };
}

/** Places one end of a flow; never throws. */
export function policyEnd(world: PolicyWorld, e: FlowEndpoint): PolicyEnd {
  switch (e.kind) {
  case 'vm':
    return vmEnd(world, e);
  case 'pod':
    return podEnd(world, e);
  case 'node':
    return { kind: 'node', node: e.name, ip: e.ip || world.nodes.get(e.name)?.[0] || '' };
  case 'service': {
    const service = world.services.get(`${ e.namespace }/${ e.name }`);

    return service ? { kind: 'service', service, ip: e.ip } : { kind: 'unknown', problem: 'service-not-listed', ip: e.ip };
  }
  default:
    return e.ip ? { kind: 'external', ip: e.ip } : { kind: 'unknown', problem: 'no-address', ip: '' };
  }
}

/**
 * The addresses an end is seen with: the flow's own address, else what the cluster lists (a pod's
 * podIPs, a node's InternalIP/ExternalIP). Empty when neither says.
 */
export function endAddresses(world: PolicyWorld, end: PolicyEnd): string[] {
  if (end.ip) {
    return [end.ip];
  }
  switch (end.kind) {
  case 'pod':
    return end.pod.target.ips ?? [];
  case 'host-network':
  case 'node':
    return (end.node && world.nodes.get(end.node)) || (end.kind === 'host-network' ? end.pod?.target.ips ?? [] : []);
  default:
    return [];
  }
}
