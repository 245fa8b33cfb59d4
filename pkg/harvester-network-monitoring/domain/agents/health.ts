/**
 * Agent health per Harvester node: combines what the store knows (nodes, the agent DaemonSet and its
 * pods, Harvester's per-node cluster networks, the installed values) with DeepFlow's own agent
 * statistics from the querier into one row per node, each problem a sentence and a fix (l10n keys
 * under networkMonitoring.agents.problems.<id>.{text,fix}).
 *
 * Registration comes from the querier too: DeepFlow's list of registered agents (queries.ts). The agent's
 * DeepFlow state and exception bits come from the controller's agent list, read through the chart's read-only
 * agent-state proxy (controller-agents.ts; chart README, "Agent state and exceptions"); each exception becomes
 * a problem with its fix (deepflow-exceptions.ts).
 */
import { KubeObject, conditionsOf, labelsOf, nameOf } from '../stack/k8s';
import { arr, count, isRecord, str } from '../guards';
import { QueryFailure, RowOf } from '../flows/query/query-types';
import { AgentListColumns, DispatcherColumns, FlowMapColumns } from './queries';
import {
  EbpfFeature, KernelVerdict, kernelFeatures, kernelVerdict
} from './kernel';
import { ControllerAgents, ControllerUnknownReason } from './controller-agents';
import {
  DeepflowAgentState, UNKNOWN_EXCEPTION_ID, deepflowAgentState, deepflowException
} from './deepflow-exceptions';

export type Severity = 'error' | 'warning';

export type ProblemId =
  | 'agent-not-ready'
  | 'agent-restarting'
  | 'no-statistics'
  | 'stale-statistics'
  | 'no-packets'
  | 'kernel-drops'
  | 'agent-drops'
  | 'kernel-too-old'
  | 'kernel-no-kprobe'
  | 'bridge-not-captured'
  | 'agent-not-listed'
  | 'deepflow-lost'
  | 'deepflow-disabled'
  | 'deepflow-pending'
  | 'deepflow-exception';

export interface AgentProblem {
  id: ProblemId;
  severity: Severity;
  /** networkMonitoring.agents.problems.<id>.text (exceptions: networkMonitoring.agents.exceptions.<exception id>.text) */
  textKey: string;
  /** networkMonitoring.agents.problems.<id>.fix (exceptions: ….exceptions.<exception id>.fix) */
  fixKey: string;
  params: Record<string, string | number>;
}

export type NotMonitoredReason = 'node-selector' | 'node-affinity' | 'taint' | 'node-not-ready' | 'pod-missing';

export type PodState = 'running' | 'not-ready' | 'pending' | 'failed' | 'terminating';

export interface AgentPodSummary {
  name: string;
  state: PodState;
  /** The waiting/terminated reason of a container that is not ready, e.g. CrashLoopBackOff. */
  reason: string;
  restarts: number;
  /** The agent image's tag (or digest), '' when unknown. */
  version: string;
}

/** What the querier's statistics say about one agent host; `unknown` with a reason when they could not be read. */
export type AgentTraffic =
  | { state: 'ok'; packets: number; kernelDrops: number; agentDrops: number; lastSeen: number }
  | { state: 'no-statistics' }
  | { state: 'unknown'; reason: QueryFailure['state'] | 'loading' | 'no-agent' };

/**
 * Whether DeepFlow registered the node's agent: `registered` when DeepFlow's agent list has the node's
 * agent, `not-listed` when it has not (with whether the agent sends statistics all the same), unknown
 * when the list could not be read.
 */
export type AgentRegistration =
  | { state: 'registered'; name: string; agentId: number }
  | { state: 'not-listed'; sendsStatistics: boolean }
  | { state: 'unknown'; reason: QueryFailure['state'] | 'loading' | 'no-agent' };

/**
 * The agent in DeepFlow's controller list: its state (`other` for a value this extension does not know) and
 * exception bits; `not-listed` when the list has no agent for the node; unknown when the list could not be read.
 */
export type AgentControllerState =
  | { state: 'listed'; name: string; agentId: number; deepflowState: DeepflowAgentState | 'other'; stateValue: number; exceptions: number[] }
  | { state: 'not-listed' }
  | { state: 'unknown'; reason: ControllerUnknownReason | 'loading' | 'no-agent' };

export type CaptureCheck =
  | { state: 'ok'; bridges: string[]; notCaptured: string[] }
  | { state: 'unknown'; reason: 'no-pattern' | 'invalid-pattern' };

export interface AgentNodeRow {
  node: string;
  status: 'healthy' | 'problems' | 'not-monitored';
  notMonitored?: { reason: NotMonitoredReason; params: Record<string, string> };
  pod: AgentPodSummary | null;
  registration: AgentRegistration;
  /** DeepFlow state and exceptions, from the controller's agent list (through the read-only proxy). */
  controllerState: AgentControllerState;
  kernel: { version: string; verdict: KernelVerdict; features: Record<EbpfFeature, boolean> | null };
  capture: CaptureCheck;
  traffic: AgentTraffic;
  problems: AgentProblem[];
}

export interface AgentStatistics {
  /** 'ok' when both statements answered; otherwise the first failure (or 'loading'). */
  state: 'ok' | 'loading' | QueryFailure['state'];
  dispatcher: RowOf<DispatcherColumns>[];
  flowMap: RowOf<FlowMapColumns>[];
  /** DeepFlow's registered agents. */
  agents: RowOf<AgentListColumns>[];
}

export interface AgentHealthInput {
  nodes: KubeObject[];
  /** The agent DaemonSet (null when it is missing: then every node is "not monitored"). */
  daemonSet: KubeObject | null;
  /** Pods of the agent DaemonSet. */
  pods: KubeObject[];
  /** Harvester VlanStatus objects (network.harvesterhci.io): which cluster networks each node carries. */
  vlanStatuses: KubeObject[];
  /** The agent's interface pattern in effect (installed values over chart defaults); '' when unknown. */
  interfaceRegex: string;
  statistics: AgentStatistics;
  /** The controller's agent list (state and exceptions); loading when absent. */
  controller?: ControllerAgents;
  /** Unix seconds. */
  nowSeconds: number;
}

/** A host whose newest statistics are older than this has stopped reporting (the agent sends every 10 s). */
export const STALE_AFTER_SECONDS = 5 * 60;

/** Restarts at or above this count are reported. */
export const RESTART_WARNING = 5;

const P = 'networkMonitoring.agents.problems';

function problem(id: ProblemId, severity: Severity, params: Record<string, string | number> = {}): AgentProblem {
  return {
    id, severity, textKey: `${ P }.${ id }.text`, fixKey: `${ P }.${ id }.fix`, params
  };
}

// ---------------------------------------------------------------- pods

function imageVersion(image: string): string {
  const at = image.indexOf('@');

  if (at >= 0) {
    return image.slice(at + 1, at + 1 + 19);
  }
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');

  return colon > slash ? image.slice(colon + 1) : '';
}

export function summarizePod(pod: KubeObject): AgentPodSummary {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const status = isRecord(pod.status) ? pod.status : {};
  const containers = arr<unknown>(spec.containers).filter(isRecord);
  const statuses = arr<unknown>(status.containerStatuses).filter(isRecord);
  const restarts = statuses.reduce((n, s) => n + count(s.restartCount), 0);
  const notReady = statuses.find((s) => s.ready !== true);
  const reasonOf = (s: Record<string, any> | undefined) => (s && isRecord(s.state) ? (
    str(s.state.waiting?.reason) || str(s.state.terminated?.reason) || ''
  ) : '');
  const image = str(containers[0]?.image) || str(statuses[0]?.image) || '';
  let state: PodState;

  if (isRecord(pod.metadata) && pod.metadata.deletionTimestamp) {
    state = 'terminating';
  } else if (status.phase === 'Failed') {
    state = 'failed';
  } else if (status.phase === 'Pending' || !status.phase) {
    state = 'pending';
  } else {
    const ready = conditionsOf(pod).some((c) => c.type === 'Ready' && c.status === 'True');

    state = ready ? 'running' : 'not-ready';
  }

  return {
    name: nameOf(pod), state, reason: state === 'running' ? '' : reasonOf(notReady) || str(status.reason) || '', restarts, version: imageVersion(image)
  };
}

// ---------------------------------------------------------------- scheduling

type Requirement = { key?: string; operator?: string; values?: string[] };

function matchesRequirement(labels: Record<string, string>, r: Requirement): boolean {
  const key = r.key || '';
  const has = Object.prototype.hasOwnProperty.call(labels, key);
  const values = arr<string>(r.values);

  switch (r.operator) {
  case 'In': return has && values.includes(labels[key]);
  case 'NotIn': return !has || !values.includes(labels[key]);
  case 'Exists': return has;
  case 'DoesNotExist': return !has;
  case 'Gt': return has && Number(labels[key]) > Number(values[0]);
  case 'Lt': return has && Number(labels[key]) < Number(values[0]);
  default: return false;
  }
}

/** Required node affinity (nodeSelectorTerms are ORed, requirements in a term ANDed); true without one. */
export function matchesRequiredAffinity(node: KubeObject, podSpec: Record<string, any>): boolean {
  const terms = arr<unknown>(podSpec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).filter(isRecord);

  if (!terms.length) {
    return true;
  }
  const labels = labelsOf(node);
  const fields = { 'metadata.name': nameOf(node) };

  return terms.some((t) => arr<Requirement>(t.matchExpressions).every((r) => matchesRequirement(labels, r)) &&
    arr<Requirement>(t.matchFields).every((r) => matchesRequirement(fields, r)));
}

type Toleration = { key?: string; operator?: string; value?: string; effect?: string };
type Taint = { key?: string; value?: string; effect?: string };

function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) {
      return false;
    }
    if (!t.key) {
      return t.operator === 'Exists';
    }
    if (t.key !== taint.key) {
      return false;
    }

    return t.operator === 'Exists' || (t.value || '') === (taint.value || '');
  });
}

/** The first NoSchedule/NoExecute taint of the node the pod template does not tolerate. */
export function untoleratedTaint(node: KubeObject, podSpec: Record<string, any>): Taint | undefined {
  const taints = arr<Taint>(isRecord(node.spec) ? node.spec.taints : undefined).filter(isRecord);
  const tolerations = arr<Toleration>(podSpec?.tolerations).filter(isRecord);

  return taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
}

/** Why a node runs no agent pod. */
export function whyNotMonitored(node: KubeObject, daemonSet: KubeObject | null): { reason: NotMonitoredReason; params: Record<string, string> } {
  const podSpec = daemonSet?.spec?.template?.spec;
  const spec = isRecord(podSpec) ? podSpec : {};
  const selector = isRecord(spec.nodeSelector) ? spec.nodeSelector as Record<string, string> : {};
  const labels = labelsOf(node);
  const missing = Object.entries(selector).find(([k, v]) => labels[k] !== v);

  if (missing) {
    return { reason: 'node-selector', params: { selector: `${ missing[0] }=${ missing[1] }` } };
  }
  if (!matchesRequiredAffinity(node, spec)) {
    return { reason: 'node-affinity', params: {} };
  }
  const taint = untoleratedTaint(node, spec);

  if (taint) {
    return { reason: 'taint', params: { taint: `${ taint.key || '' }${ taint.value ? `=${ taint.value }` : '' }:${ taint.effect }` } };
  }
  if (!conditionsOf(node).some((c) => c.type === 'Ready' && c.status === 'True')) {
    return { reason: 'node-not-ready', params: {} };
  }

  return { reason: 'pod-missing', params: {} };
}

// ---------------------------------------------------------------- capture

/** The Linux bridges Harvester creates on a node: `mgmt-br` and `<cluster network>-br` per cluster network the node carries. */
export function nodeBridges(node: string, vlanStatuses: KubeObject[]): string[] {
  const networks = vlanStatuses
    .map((s) => (isRecord(s.status) ? s.status : {}))
    .filter((s) => s.node === node && typeof s.clusterNetwork === 'string' && s.clusterNetwork)
    .map((s) => s.clusterNetwork as string);

  return ['mgmt-br', ...[...new Set(networks)].filter((n) => n !== 'mgmt').sort().map((n) => `${ n }-br`)];
}

/**
 * Which bridges the interface pattern leaves out. The agent matches names with Rust's `regex`; the
 * pattern is tested here with JavaScript's RegExp, which agrees for the anchored alternations the
 * chart and the wizard produce. A pattern JavaScript cannot compile is reported as unknown.
 */
export function captureCheck(bridges: string[], interfaceRegex: string): CaptureCheck {
  if (!interfaceRegex) {
    return { state: 'unknown', reason: 'no-pattern' };
  }
  let re: RegExp;

  try {
    re = new RegExp(interfaceRegex);
  } catch {
    return { state: 'unknown', reason: 'invalid-pattern' };
  }

  return { state: 'ok', bridges, notCaptured: bridges.filter((b) => !re.test(b)) };
}

// ---------------------------------------------------------------- statistics

function trafficFor(node: string, statistics: AgentStatistics): AgentTraffic {
  if (statistics.state !== 'ok') {
    return { state: 'unknown', reason: statistics.state };
  }
  const host = node.toLowerCase();
  const rows = statistics.dispatcher.filter((r) => r.host.toLowerCase() === host);
  const flowMap = statistics.flowMap.filter((r) => r.host.toLowerCase() === host);

  if (!rows.length) {
    return { state: 'no-statistics' };
  }

  return {
    state:       'ok',
    packets:     rows.reduce((n, r) => n + r.rx, 0),
    kernelDrops: rows.reduce((n, r) => n + r.kernelDrops, 0),
    agentDrops:  flowMap.reduce((n, r) => n + r.dropByWindow + r.dropByCapacity, 0),
    lastSeen:    Math.max(...rows.map((r) => r.lastSeen)),
  };
}

/**
 * The name DeepFlow gives an agent it registered for a Kubernetes node: `<node name>-P<pod node id>`
 * (server/controller/trisolaris/vtap/vtap_discovery.go LookUpVTapByPodNode, v7.1.8). Node names are
 * lower-case DNS names, so the upper-case `P` suffix cannot be part of another node's name.
 */
export function isAgentNameFor(node: string, agentName: string): boolean {
  const suffix = agentName.slice(node.length);

  return agentName.startsWith(node) && /^-P\d+$/.test(suffix);
}

/** Registration from DeepFlow's agent list; when the node is not listed, whether its agent still sends statistics. */
export function registrationFor(node: string, statistics: AgentStatistics): AgentRegistration {
  if (statistics.state !== 'ok') {
    return { state: 'unknown', reason: statistics.state };
  }
  const listed = (statistics.agents ?? []).filter((a) => isAgentNameFor(node, a.name)).sort((a, b) => b.id - a.id)[0];

  if (listed) {
    return { state: 'registered', name: listed.name, agentId: listed.id };
  }
  const host = node.toLowerCase();

  return { state: 'not-listed', sendsStatistics: statistics.dispatcher.some((r) => r.host.toLowerCase() === host) };
}

/** The node's agent in the controller's list, matched by name as registration is (the newest ID wins). */
export function controllerStateFor(node: string, controller: ControllerAgents | undefined): AgentControllerState {
  if (!controller || controller.state === 'loading') {
    return { state: 'unknown', reason: 'loading' };
  }
  if (controller.state !== 'ok') {
    return { state: 'unknown', reason: controller.reason };
  }
  const listed = controller.agents.filter((a) => isAgentNameFor(node, a.name)).sort((a, b) => b.id - a.id)[0];

  if (!listed) {
    return { state: 'not-listed' };
  }

  return {
    state:         'listed',
    name:          listed.name,
    agentId:       listed.id,
    deepflowState: deepflowAgentState(listed.state) ?? 'other',
    stateValue:    listed.state,
    exceptions:    listed.exceptions,
  };
}

const X = 'networkMonitoring.agents.exceptions';

/**
 * A problem per DeepFlow state that needs attention and per exception (bits sharing one sentence, e.g. the
 * Enterprise license bits, give one problem naming each bit).
 */
export function controllerProblems(controller: AgentControllerState, pod: AgentPodSummary): AgentProblem[] {
  if (controller.state !== 'listed') {
    return [];
  }
  const out: AgentProblem[] = [];

  if (controller.deepflowState === 'lost') {
    out.push(problem('deepflow-lost', 'error', { pod: pod.name, name: controller.name }));
  } else if (controller.deepflowState === 'disabled') {
    out.push(problem('deepflow-disabled', 'warning', { name: controller.name }));
  } else if (controller.deepflowState === 'pending') {
    out.push(problem('deepflow-pending', 'warning', { name: controller.name }));
  }
  const byId = new Map<string, { severity: Severity; names: string[] }>();

  for (const value of controller.exceptions) {
    const known = deepflowException(value);
    const id = known?.id ?? UNKNOWN_EXCEPTION_ID;
    const entry = byId.get(id) ?? { severity: known?.severity ?? 'warning', names: [] };

    entry.names.push(known?.name ?? `0x${ value.toString(16) }`);
    if (known?.severity === 'error') {
      entry.severity = 'error';
    }
    byId.set(id, entry);
  }
  for (const [id, { severity, names }] of byId) {
    out.push({
      id: 'deepflow-exception', severity, textKey: `${ X }.${ id }.text`, fixKey: `${ X }.${ id }.fix`, params: { bits: names.join(', '), pod: pod.name }
    });
  }

  return out;
}

/** Not listed but sending: DeepFlow dropped it. Not listed and silent is already `no-statistics`. */
function registrationProblems(registration: AgentRegistration, pod: AgentPodSummary): AgentProblem[] {
  return registration.state === 'not-listed' && registration.sendsStatistics ? [problem('agent-not-listed', 'warning', { pod: pod.name })] : [];
}

// ---------------------------------------------------------------- rows

function nodeInfo(node: KubeObject) {
  const info = isRecord(node.status) && isRecord(node.status.nodeInfo) ? node.status.nodeInfo : {};

  return { kernelVersion: str(info.kernelVersion), osImage: str(info.osImage), architecture: str(info.architecture) };
}

function kernelProblems(verdict: KernelVerdict, version: string): AgentProblem[] {
  if (verdict.kind === 'too-old') {
    return [problem('kernel-too-old', 'warning', { kernel: version })];
  }
  if (verdict.kind === 'row' && !verdict.row.features.kprobe) {
    return [problem('kernel-no-kprobe', 'warning', { kernel: version })];
  }

  return [];
}

function podProblems(pod: AgentPodSummary): AgentProblem[] {
  const out: AgentProblem[] = [];

  if (pod.state !== 'running') {
    out.push(problem('agent-not-ready', 'error', { pod: pod.name, state: pod.state, reason: pod.reason || pod.state }));
  }
  if (pod.restarts >= RESTART_WARNING) {
    out.push(problem('agent-restarting', 'warning', { pod: pod.name, restarts: pod.restarts }));
  }

  return out;
}

function trafficProblems(traffic: AgentTraffic, nowSeconds: number, windowMinutes: number): AgentProblem[] {
  if (traffic.state === 'no-statistics') {
    return [problem('no-statistics', 'error', { minutes: windowMinutes })];
  }
  if (traffic.state !== 'ok') {
    return [];
  }
  const out: AgentProblem[] = [];
  const age = nowSeconds - traffic.lastSeen;

  if (age > STALE_AFTER_SECONDS) {
    out.push(problem('stale-statistics', 'error', { minutes: Math.floor(age / 60) }));
  }
  if (traffic.packets === 0) {
    out.push(problem('no-packets', 'warning', { minutes: windowMinutes }));
  }
  if (traffic.kernelDrops > 0) {
    out.push(problem('kernel-drops', 'error', { count: traffic.kernelDrops, minutes: windowMinutes }));
  }
  if (traffic.agentDrops > 0) {
    out.push(problem('agent-drops', 'warning', { count: traffic.agentDrops, minutes: windowMinutes }));
  }

  return out;
}

function captureProblems(capture: CaptureCheck): AgentProblem[] {
  if (capture.state !== 'ok') {
    return [];
  }

  return capture.notCaptured.map((bridge) => problem('bridge-not-captured', 'error', {
    bridge, network: bridge.replace(/-br$/, '')
  }));
}

/** Pods of the DaemonSet by node name (the newest wins when a node briefly has two during a rollout). */
function podsByNode(pods: KubeObject[]): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();

  for (const pod of pods) {
    const node = str(pod?.spec?.nodeName);

    if (!node) {
      continue;
    }
    const prev = out.get(node);
    const created = (p: KubeObject) => str(p.metadata?.creationTimestamp) || '';

    if (!prev || created(pod) > created(prev)) {
      out.set(node, pod);
    }
  }

  return out;
}

export function agentHealthRows(input: AgentHealthInput, windowMinutes = 15): AgentNodeRow[] {
  const byNode = podsByNode(input.pods);

  return input.nodes.filter(isRecord).map((node): AgentNodeRow => {
    const name = nameOf(node);
    const system = nodeInfo(node);
    const verdict = kernelVerdict(system);
    const kernel = { version: system.kernelVersion || '', verdict, features: kernelFeatures(verdict) };
    const capture = captureCheck(nodeBridges(name, input.vlanStatuses), input.interfaceRegex);
    const podObject = byNode.get(name);

    if (!podObject) {
      return {
        node:            name,
        status:          'not-monitored',
        notMonitored:    whyNotMonitored(node, input.daemonSet),
        pod:             null,
        registration:    { state: 'unknown', reason: 'no-agent' },
        controllerState: { state: 'unknown', reason: 'no-agent' },
        kernel,
        capture,
        traffic:         { state: 'unknown', reason: 'no-agent' },
        problems:        [],
      };
    }
    const pod = summarizePod(podObject);
    const traffic = trafficFor(name, input.statistics);
    const registration = registrationFor(name, input.statistics);
    const controllerState = controllerStateFor(name, input.controller);
    const problems = [
      ...podProblems(pod),
      ...trafficProblems(traffic, input.nowSeconds, windowMinutes),
      ...registrationProblems(registration, pod),
      ...controllerProblems(controllerState, pod),
      ...captureProblems(capture),
      ...kernelProblems(verdict, kernel.version),
    ];

    return {
      node:            name,
      status:          problems.length ? 'problems' : 'healthy',
      pod,
      registration,
      controllerState,
      kernel,
      capture,
      traffic,
      problems,
    };
  }).sort((a, b) => a.node.localeCompare(b.node));
}

/** Overall: how many nodes are healthy, have problems, are not monitored. */
export function agentHealthSummary(rows: AgentNodeRow[]): Record<AgentNodeRow['status'], number> {
  const out = { healthy: 0, problems: 0, 'not-monitored': 0 };

  rows.forEach((r) => {
    out[r.status]++;
  });

  return out;
}
