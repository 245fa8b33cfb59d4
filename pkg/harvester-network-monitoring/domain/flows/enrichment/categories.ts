/**
 * Flow categories as users of Antrea's flow dashboards and GoFlow2 know them, extended with the
 * Harvester case: traffic between two different VM networks (VLANs) is inter-VLAN.
 */
import { Endpoint, networkKey } from './endpoint';

export type FlowCategory =
  | 'inter-vlan'
  | 'workload-to-workload'
  | 'to-service'
  | 'to-external'
  | 'from-external'
  | 'node-to-node'
  | 'node-workload'
  | 'other';

export const FLOW_CATEGORIES: readonly FlowCategory[] = [
  'workload-to-workload', 'inter-vlan', 'to-service', 'to-external', 'from-external', 'node-to-node', 'node-workload', 'other',
];

const isWorkload = (e: Endpoint) => e.kind === 'vm' || e.kind === 'pod';

/** The category of a client -> server flow. */
export function categorize(client: Endpoint, server: Endpoint): FlowCategory {
  if (server.kind === 'service') {
    return 'to-service';
  }
  if (isWorkload(client) && isWorkload(server)) {
    const a = networkKey(client.network);
    const b = networkKey(server.network);

    return a && b && a !== b ? 'inter-vlan' : 'workload-to-workload';
  }
  if (server.kind === 'external' && client.kind !== 'external') {
    return 'to-external';
  }
  if (client.kind === 'external' && server.kind !== 'external') {
    return 'from-external';
  }
  if (client.kind === 'node' && server.kind === 'node') {
    return 'node-to-node';
  }
  if ((client.kind === 'node' && isWorkload(server)) || (isWorkload(client) && server.kind === 'node')) {
    return 'node-workload';
  }

  return 'other';
}
