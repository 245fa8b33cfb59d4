/**
 * The dashboards the Grafana page offers: DeepFlow's network dashboards (UIDs and variables as in
 * deepflowio/deepflow-dashboards) and the chart's own per-VM dashboard. Each entry knows which
 * variables to set for a deep link from a VM or pod.
 *
 * DeepFlow's K8s dashboards filter by `namespace` and `workload` (pod_group). A VM shows up there
 * only when the server's KubeVirt plugin turns its virt-launcher pod into a workload named after
 * the VM (REFERENCE: deepflowio/deepflow#3244); our dashboard finds the VM by its addresses.
 */
import { VarValue } from './url';

export type DashboardId =
  | 'harvester-vm-network'
  | 'harvester-agents'
  | 'network-k8s-pod-map'
  | 'network-k8s-pod'
  | 'network-flow-log'
  | 'network-cloud-host'
  | 'network-cloud-host-map';

export interface DeepLinkTarget {
  kind: 'vm' | 'pod';
  namespace: string;
  name: string;
  /** For pods: the owning workload (Deployment, StatefulSet, ...), which DeepFlow calls pod_group. */
  workload?: string;
}

export interface DashboardEntry {
  id: DashboardId;
  uid: string;
  slug: string;
  /** l10n key of the dashboard's title. */
  labelKey: string;
  /** l10n key of a one-line description. */
  descriptionKey: string;
  source: 'harvester' | 'deepflow';
  /** Variables the dashboard defines (besides `datasource`). */
  variables: readonly string[];
  /** Kinds this dashboard can be opened for. */
  linksFor: readonly DeepLinkTarget['kind'][];
}

const L10N = 'networkMonitoring.grafana.dashboards';

const entry = (id: DashboardId, uid: string, source: DashboardEntry['source'], variables: string[], linksFor: DeepLinkTarget['kind'][]): DashboardEntry => ({
  id, uid, slug: id, labelKey: `${ L10N }.${ id }.label`, descriptionKey: `${ L10N }.${ id }.description`, source, variables, linksFor
});

/** In the order the Grafana page lists them. */
export const DASHBOARDS: readonly DashboardEntry[] = [
  entry('harvester-vm-network', 'harvester-vm-network', 'harvester', ['namespace', 'vm'], ['vm']),
  entry('harvester-agents', 'harvester-agents', 'harvester', ['node'], []),
  entry('network-k8s-pod-map', 'Network_K8s_Pod_Map', 'deepflow', ['cluster', 'namespace', 'workload'], ['vm', 'pod']),
  entry('network-k8s-pod', 'Network_K8s_Pod', 'deepflow', ['cluster', 'namespace', 'workload'], ['vm', 'pod']),
  entry('network-flow-log', 'Network_Flow_Log', 'deepflow', ['cluster', 'namespace', 'workload', 'vm'], ['vm', 'pod']),
  entry('network-cloud-host', 'Network_Cloud_Host', 'deepflow', ['vm'], []),
  entry('network-cloud-host-map', 'Network_Cloud_Host_Map', 'deepflow', ['vm'], []),
];

export function dashboardById(id: string): DashboardEntry | undefined {
  return DASHBOARDS.find((d) => d.id === id);
}

/** The variables for opening `dashboard` focused on `target`, or null when it cannot focus on it. */
export function dashboardVarsFor(dashboard: DashboardEntry, target: DeepLinkTarget): Record<string, VarValue> | null {
  if (!dashboard.linksFor.includes(target.kind) || !target.namespace || !target.name) {
    return null;
  }
  if (dashboard.id === 'harvester-vm-network') {
    return { namespace: target.namespace, vm: target.name };
  }
  // DeepFlow's K8s dashboards: a VM is a workload named after it (KubeVirt plugin); a pod's workload is its owner.
  const workload = target.kind === 'vm' ? target.name : target.workload;

  return workload ? { namespace: target.namespace, workload } : { namespace: target.namespace };
}

export interface DeepLink {
  dashboard: DashboardEntry;
  vars: Record<string, VarValue>;
}

/** The preferred dashboard for a VM or pod, with its variables: our VM dashboard for VMs, DeepFlow's pod view for pods. */
export function deepLinkFor(target: DeepLinkTarget): DeepLink | null {
  const preferred: DashboardId = target.kind === 'vm' ? 'harvester-vm-network' : 'network-k8s-pod';
  const dashboard = dashboardById(preferred) as DashboardEntry;
  const vars = dashboardVarsFor(dashboard, target);

  return vars ? { dashboard, vars } : null;
}

/** Every dashboard that can focus on the target, with its variables. */
export function deepLinksFor(target: DeepLinkTarget): DeepLink[] {
  return DASHBOARDS.flatMap((dashboard) => {
    const vars = dashboardVarsFor(dashboard, target);

    return vars ? [{ dashboard, vars }] : [];
  });
}

/**
 * The chart's "Harvester Agents" dashboard (files/dashboards/harvester-agents.json): one node's DeepFlow
 * agent from DeepFlow's own agent statistics, variable `node` = the agent's host name (`tag.host`), which
 * is the node name for the chart's host-network DaemonSet. DeepFlow's own "DeepFlow Agent" dashboard
 * (deepflowio/deepflow-dashboards) is not provisioned by the chart.
 */
export const AGENT_DASHBOARD = dashboardById('harvester-agents') as DashboardEntry;

/** Variables that focus the agent dashboard on one node's agent. */
export function agentDashboardVars(node: string): Record<string, VarValue> | null {
  return node ? { node } : null;
}
