/** Identity of the mocked Rancher and its one Harvester cluster; the scenarios navigate with these. */
export const CLUSTER_ID = 'c-m-e2eharv1';
export const CLUSTER_NAME = 'harvester-e2e';
export const HARVESTER_VERSION = 'v1.4.1';
export const RANCHER_VERSION = 'v2.13.1';
export const USER_ID = 'user-e2eadm';

/** Where the e2e "installed" extension came from: the wizard should propose this repository. */
export const EXTENSION_REPO_NAME = 'hnm-e2e-charts';
export const EXTENSION_REPO_URL = 'https://charts.e2e.example/harvester-network-monitoring/';

export const STACK_NAMESPACE = 'harvester-network-monitoring';
export const AGENT_NAMESPACE = 'harvester-network-monitoring-agent';
export const ADDON_NAME = 'harvester-network-monitoring';

export const NODES = [
  { name: 'harvester-node-0', ip: '192.168.10.11', podCidr: 0 },
  { name: 'harvester-node-1', ip: '192.168.10.12', podCidr: 1 },
  { name: 'harvester-node-2', ip: '192.168.10.13', podCidr: 2 },
] as const;

/**
 * What the Overview's "Agents per node" table should find on each seeded node (issue 20): node 0 is healthy,
 * node 1 carries a cluster network whose bridge the installed interface pattern (INSTALLED_INTERFACE_REGEX)
 * leaves out and runs a kernel older than DeepFlow's eBPF needs (the install wizard warns about it: the agent
 * still captures there), node 2's agent drops packets (the querier stand-in answers its statistics with drops)
 * and DeepFlow's controller reports an exception for it (through the read-only agent-state proxy).
 */
export const AGENT_SCENARIO = {
  healthyNode:      NODES[0].name,
  uncapturedBridge: { node: NODES[1].name, clusterNetwork: 'backup', vlanConfig: 'backup-node1' },
  oldKernel:        { node: NODES[1].name, kernel: '4.4.180-94.97-default' },
  dropsNode:        NODES[2].name,
  // DeepFlow's controller lists node 2's agent with RX_PPS_THRESHOLD_EXCEEDED (64, message/agent.proto v7.1.8):
  // it hit its capture rate limit, which fits its drops (sandbox/backend/deepflow-controller.ts).
  exceptionNode:    { node: NODES[2].name, bit: 64 },
} as const;

/** The kernel every other seeded node runs (Harvester v1.4's SLE Micro 5.5). */
export const NODE_KERNEL = '5.14.21-150500.55.97-default';

/** The installed `agent.interfaceRegex`: the chart's default without the `<network>-br|-bo` wildcards. */
export const INSTALLED_INTERFACE_REGEX = '^(mgmt-br|mgmt-bo|cali.*|veth.*|tap.*|eth.*|en[osipx].*)$';

export const VLAN = { namespace: 'vm-dev', name: 'vlan100', id: 100, subnet: '172.16.100' } as const;
