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

export const VLAN = { namespace: 'vm-dev', name: 'vlan100', id: 100, subnet: '172.16.100' } as const;
