import {
  COMPONENTS, ComponentId, STACK, TYPES
} from './constants';
import { KubeObject, conditionsOf, labelsOf, nameOf, namespaceOf } from './k8s';
import { count, isRecord, str } from '../guards';

export type StackState =
  'not-installed' | 'installing' | 'upgrading' | 'healthy' | 'degraded' | 'failed' | 'disabled' | 'disabling' | 'uninstalling';

/**
 * ready: all replicas ready; partial: some; unavailable: none of >0 desired, or scaled to 0; missing: no workload;
 * external: the install uses an existing database instead (clickhouse.external / mysql.external), so no workload is expected.
 */
export type ComponentState = 'ready' | 'partial' | 'unavailable' | 'missing' | 'external';

export interface ComponentStatus {
  id: ComponentId;
  namespace: string;
  kind?: string;
  name?: string;
  ready: number;
  desired: number;
  state: ComponentState;
}

export interface AddonSummary {
  name: string;
  namespace: string;
  enabled: boolean;
  status?: string;
  chart?: string;
  version?: string;
  repo?: string;
  inProgress: boolean;
  failedMessage?: string;
}

export interface StackObjects {
  addon?: KubeObject | null;
  /** The HelmChart of a bundled-chart (air-gapped) install. */
  helmChart?: KubeObject | null;
  workloads: KubeObject[];
  nodes?: KubeObject[];
  /** Components the installed values delegate to an existing database. */
  external?: ComponentId[];
}

/** What the user manages the install through. */
export type ManagedBy = 'addon' | 'helmchart' | 'helm';

export interface StackStatus {
  state: StackState;
  components: ComponentStatus[];
  addon?: AddonSummary;
  managedBy?: ManagedBy;
  /** Nodes that do not run an agent (the agent DaemonSet schedules fewer pods than there are nodes). */
  nodesWithoutAgent: number;
  nodeCount?: number;
}

/** A workload younger than this that is not ready yet counts as still starting, not as degraded. */
export const STARTUP_GRACE_MS = 10 * 60 * 1000;

function workloadReadiness(workload: KubeObject): { ready: number; desired: number } {
  const status = isRecord(workload.status) ? workload.status : {};

  // Steve objects carry `type`; objects parsed from manifests carry `kind`.
  if (workload.kind === 'DaemonSet' || (workload as { type?: string }).type === TYPES.daemonSet) {
    return { ready: count(status.numberReady), desired: count(status.desiredNumberScheduled) };
  }
  const spec = isRecord(workload.spec) ? workload.spec : {};
  // Kubernetes defaults an unset replicas field to 1.
  const desired = spec.replicas === undefined ? 1 : count(spec.replicas);

  return { ready: count(status.readyReplicas), desired };
}

function componentState(ready: number, desired: number): ComponentState {
  if (desired > 0 && ready >= desired) {
    return 'ready';
  }

  return ready > 0 ? 'partial' : 'unavailable';
}

function findComponentWorkload(workloads: KubeObject[], id: ComponentId, namespace: string): KubeObject | undefined {
  return workloads.find((w) => namespaceOf(w) === namespace && labelsOf(w)[STACK.componentLabel] === id);
}

export function evaluateComponents(workloads: KubeObject[], external: readonly ComponentId[] = []): ComponentStatus[] {
  return COMPONENTS.map(({ id, namespace }) => {
    const workload = findComponentWorkload(workloads, id, namespace);

    if (!workload) {
      return {
        id, namespace, ready: 0, desired: 0, state: external.includes(id) ? 'external' : 'missing'
      };
    }
    const { ready, desired } = workloadReadiness(workload);

    return {
      id, namespace, kind: str(workload.kind), name: nameOf(workload), ready, desired, state: componentState(ready, desired)
    };
  });
}

export function summarizeAddon(addon: KubeObject): AddonSummary {
  const spec = isRecord(addon.spec) ? addon.spec : {};
  const status = isRecord(addon.status) ? str(addon.status.status) : undefined;
  const conditions = conditionsOf(addon);
  const failed = conditions.find((c) => c.type === 'OperationFailed' && c.status === 'True');
  const inProgress = conditions.some((c) => c.type === 'OperationInProgress' && c.status === 'True') ||
    status === 'AddonEnabling' || status === 'AddonUpdating' || status === 'AddonDisabling';

  return {
    name:          nameOf(addon),
    namespace:     namespaceOf(addon),
    enabled:       spec.enabled === true,
    status,
    chart:         str(spec.chart),
    version:       str(spec.version),
    repo:          str(spec.repo),
    inProgress,
    failedMessage: failed ? (str(failed.message) || str(failed.reason) || '') : undefined,
  };
}

/** Age of the youngest of the install's objects (its workloads and its Addon). */
function youngestAgeMs(objects: KubeObject[], now: number): number {
  const created = objects
    .map((o) => Date.parse(o.metadata?.creationTimestamp || ''))
    .filter((t) => Number.isFinite(t));

  return created.length ? now - Math.max(...created) : Number.POSITIVE_INFINITY;
}

function stateFromComponents(components: ComponentStatus[], objects: KubeObject[], now: number): StackState {
  if (components.every((c) => c.state === 'ready' || c.state === 'external')) {
    return 'healthy';
  }

  return youngestAgeMs(objects, now) < STARTUP_GRACE_MS ? 'installing' : 'degraded';
}

function stateFromAddon(addon: AddonSummary, isDeleting: boolean): StackState | undefined {
  if (isDeleting) {
    return 'uninstalling';
  }
  if (!addon.enabled) {
    return addon.status === 'AddonDisabling' ? 'disabling' : 'disabled';
  }
  if (addon.failedMessage !== undefined || addon.status === 'AddonFailed') {
    return 'failed';
  }
  if (addon.inProgress) {
    return addon.status === 'AddonUpdating' ? 'upgrading' : 'installing';
  }

  return undefined;
}

/**
 * Derives the state of the monitoring stack from its Addon (if any) and its workloads. A stack
 * installed with plain helm (no Addon) is recognized by its workloads alone.
 */
export function evaluateStack(objects: StackObjects, now: number = Date.now()): StackStatus {
  const workloads = objects.workloads.filter(isRecord) as KubeObject[];
  const components = evaluateComponents(workloads, objects.external);
  const addonObject = isRecord(objects.addon) ? objects.addon : undefined;
  const addon = addonObject ? summarizeAddon(addonObject) : undefined;
  const nodeCount = Array.isArray(objects.nodes) ? objects.nodes.length : undefined;
  const agent = components.find((c) => c.id === 'agent');
  const nodesWithoutAgent = nodeCount !== undefined && agent && agent.state !== 'missing' ? Math.max(0, nodeCount - agent.desired) : 0;
  const anyWorkload = components.some((c) => c.state !== 'missing' && c.state !== 'external');

  let state: StackState;

  if (addon && addonObject) {
    // An Addon created moments ago that Harvester has not picked up yet (no status, no workloads) is starting, not degraded.
    state = stateFromAddon(addon, !!addonObject.metadata?.deletionTimestamp) || stateFromComponents(components, [...workloads, addonObject], now);
  } else {
    state = anyWorkload ? stateFromComponents(components, workloads, now) : 'not-installed';
  }

  let managedBy: ManagedBy | undefined;

  if (addon) {
    managedBy = 'addon';
  } else if (isRecord(objects.helmChart)) {
    managedBy = 'helmchart';
    if (!anyWorkload) {
      state = 'installing'; // the helm-controller job has not created the workloads yet
    }
  } else if (anyWorkload) {
    managedBy = 'helm';
  }

  return {
    state, components, addon, managedBy, nodesWithoutAgent, nodeCount
  };
}

export type NextAction = 'install' | 'troubleshoot' | 'open-flows' | 'open-grafana' | 'open-security-review';

/**
 * Where the Overview sends the user next for each state. Progress and the lifecycle buttons
 * (edit, enable, disable, uninstall) are on the Overview itself.
 */
export function nextActions(state: StackState): NextAction[] {
  switch (state) {
  case 'not-installed':
    return ['install'];
  case 'failed':
  case 'degraded':
    return ['troubleshoot', 'open-security-review'];
  case 'healthy':
    return ['open-flows', 'open-grafana', 'open-security-review'];
  default:
    return [];
  }
}

/** States in which the Overview shows the progress panel. */
export function showsProgress(state: StackState): boolean {
  return ['installing', 'upgrading', 'failed', 'degraded', 'disabling', 'uninstalling'].includes(state);
}

/**
 * Whether the stack is there, the one decision every page and tab uses: 'not-installed' only when
 * the objects loaded and none of the stack's exists; when a load failed (forbidden, missing schema)
 * absence proves nothing, so pages show the load problems instead of offering an install.
 */
export type StackPresence = 'loading' | 'installed' | 'not-installed' | 'unknown';

export function stackPresence(state: StackState, loading: boolean, loadProblems: number): StackPresence {
  if (loading) {
    return 'loading';
  }
  if (state !== 'not-installed') {
    return 'installed';
  }

  return loadProblems > 0 ? 'unknown' : 'not-installed';
}
