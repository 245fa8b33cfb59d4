/**
 * What the Overview's agent table shows for each row: every cell as an l10n key with parameters (or
 * plain data such as a node name), so the component only translates.
 */
import { GrafanaUrlError, grafanaDashboardUrl, grafanaProxyBase } from '../grafana/url';
import { AGENT_DASHBOARD, agentDashboardVars } from '../grafana/catalog';
import { AgentNodeRow, AgentStatistics } from './health';
import { AGENT_STATE_PROXY, ControllerAgents } from './controller-agents';
import { EBPF_FEATURES, KERNEL_FEATURE_SOURCE } from './kernel';
import { AGENT_WINDOW_SECONDS } from './queries';

const A = 'networkMonitoring.agents';

export interface Text {
  key: string;
  params?: Record<string, string | number>;
}

export interface AgentRowView {
  node: string;
  status: AgentNodeRow['status'];
  statusText: Text;
  pod: Text | { plain: string };
  version: string;
  registration: Text;
  /** The agent's DeepFlow state from the controller, or unknown with the reason (null without an agent). */
  deepflowState: Text | null;
  kernel: string;
  /** The supported features' labels, or one text saying none / why unknown. */
  features: Text[];
  capture: Text;
  traffic: Text | { plain: string };
  drops: Text | { plain: string };
  /** Problems (sentence + fix) or, for unmonitored nodes, the reason. */
  problems: { severity: 'error' | 'warning' | 'info'; text: Text; fix?: Text }[];
  dashboardUrl: string | null;
}

export const WINDOW_MINUTES = AGENT_WINDOW_SECONDS / 60;

const unknown = (reason: string, params?: Record<string, string | number>): Text => ({ key: `${ A }.unknownReasons.${ reason }`, params });

function trafficReason(row: AgentNodeRow): Text {
  const t = row.traffic;

  if (t.state === 'unknown') {
    return t.reason === 'no-agent' || t.reason === 'loading' ? unknown(t.reason) : unknown('statistics', { state: t.reason });
  }

  return { key: `${ A }.noStatistics` };
}

function registrationText(row: AgentNodeRow): Text {
  const r = row.registration;

  switch (r.state) {
  case 'registered': return { key: `${ A }.registration.registered`, params: { name: r.name, id: r.agentId } };
  case 'not-listed': return { key: `${ A }.registration.not-listed` };
  default:
    return r.reason === 'no-agent' || r.reason === 'loading' ? unknown(r.reason) : unknown('statistics', { state: r.reason });
  }
}

/** The DeepFlow state cell: the state, not listed, or "unknown: <why>". Exceptions are among the problems. */
export function deepflowStateText(row: AgentNodeRow): Text {
  const c = row.controllerState;

  switch (c.state) {
  case 'listed': return c.deepflowState === 'other' ? { key: `${ A }.deepflowState.other`, params: { value: c.stateValue } } : { key: `${ A }.deepflowState.${ c.deepflowState }` };
  case 'not-listed': return { key: `${ A }.deepflowState.not-listed` };
  default: return c.reason === 'loading' || c.reason === 'no-agent' ? unknown(c.reason) : { key: `${ A }.deepflowStateUnknown.${ c.reason }` };
  }
}

/** The agent dashboard in the embedded Grafana, filtered to the node; null when no URL can be built. */
export function agentDashboardUrl(clusterId: string, node: string): string | null {
  const vars = agentDashboardVars(node);

  if (!vars) {
    return null;
  }
  try {
    return grafanaDashboardUrl({
      clusterId, uid: AGENT_DASHBOARD.uid, slug: AGENT_DASHBOARD.slug, vars, range: '1h', kiosk: false
    });
  } catch (e) {
    if (e instanceof GrafanaUrlError) {
      return null;
    }
    throw e;
  }
}

/** Whether the embedded Grafana has the chart's agent dashboard (installs of older chart versions lack it). */
export type DashboardAvailability = 'present' | 'missing' | 'unknown';

/**
 * Grafana's dashboard search for the agent dashboard's uid (HTTP API `GET /api/search?dashboardUIDs=`):
 * it answers 200 with the matching dashboards, so a missing dashboard is an empty list rather than a 404
 * the browser would log. Null for an unusable cluster id.
 */
export function agentDashboardSearchUrl(clusterId: string): string | null {
  try {
    return `${ grafanaProxyBase({ clusterId }) }/api/search?dashboardUIDs=${ encodeURIComponent(AGENT_DASHBOARD.uid) }`;
  } catch (e) {
    if (e instanceof GrafanaUrlError) {
      return null;
    }
    throw e;
  }
}

/**
 * The search's answer (its text may be shortened by the probe): missing on an empty list, present when the
 * uid is listed, unknown otherwise (other status, unreadable text).
 */
export function dashboardAvailability(status: number, body: string): DashboardAvailability {
  if (status !== 200) {
    return 'unknown';
  }
  if (/^\s*\[\s*\]\s*$/.test(body)) {
    return 'missing';
  }

  // The uid is a constant of letters and dashes: no regular expression characters to escape.
  return new RegExp(`"uid"\\s*:\\s*"${ AGENT_DASHBOARD.uid }"`).test(body) ? 'present' : 'unknown';
}

/** A row's view; the dashboard link is left out only when Grafana said the dashboard does not exist. */
export function agentRowView(row: AgentNodeRow, clusterId: string, dashboard: DashboardAvailability = 'unknown'): AgentRowView {
  const features = row.kernel.features;
  const supported = features ? EBPF_FEATURES.filter((f) => features[f]) : [];
  const t = row.traffic;

  return {
    node:          row.node,
    status:        row.status,
    statusText:    { key: `${ A }.status.${ row.status }` },
    pod:           row.pod ? { plain: row.pod.name } : unknown('no-agent'),
    version:       row.pod?.version || '',
    registration:  registrationText(row),
    deepflowState: row.pod ? deepflowStateText(row) : null,
    kernel:        row.kernel.version,
    features:      !features ? [unknown(row.kernel.verdict.kind === 'unknown' ? row.kernel.verdict.reason : 'not-in-table')] : supported.length ? supported.map((f) => ({ key: `${ A }.features.${ f }` })) : [{ key: `${ A }.features.none` }],
    capture:       row.capture.state === 'unknown' ? unknown(row.capture.reason) : row.capture.notCaptured.length ? { key: `${ A }.notCapturedList`, params: { bridges: row.capture.notCaptured.join(', ') } } : { key: `${ A }.allCaptured`, params: { bridges: row.capture.bridges.join(', ') } },
    traffic:       t.state === 'ok' ? { plain: String(t.packets) } : trafficReason(row),
    drops:         t.state === 'ok' ? { plain: `${ t.kernelDrops } / ${ t.agentDrops }` } : trafficReason(row),
    problems:      row.notMonitored ? [{ severity: 'info', text: { key: `${ A }.notMonitored.${ row.notMonitored.reason }`, params: row.notMonitored.params } }] : row.problems.map((p) => ({ severity: p.severity, text: { key: p.textKey, params: p.params }, fix: { key: p.fixKey, params: p.params } })),
    dashboardUrl:  row.pod && dashboard !== 'missing' ? agentDashboardUrl(clusterId, row.node) : null,
  };
}

/** Where the DeepFlow state comes from, or why it could not be read and what to do. */
export function controllerNote(controller: ControllerAgents): Text | null {
  const params = {
    port: AGENT_STATE_PROXY.port, path: AGENT_STATE_PROXY.path, service: AGENT_STATE_PROXY.service, namespace: AGENT_STATE_PROXY.namespace
  };

  if (controller.state === 'loading') {
    return null;
  }
  if (controller.state === 'ok') {
    return { key: `${ A }.controllerStateNote`, params };
  }

  return {
    key:    `${ A }.controllerNotes.${ controller.reason }`,
    params: {
      ...params, status: controller.status ?? '', detail: controller.detail || '-'
    }
  };
}

/** The notes above the table: the window, statistics failures, where DeepFlow states come from and the kernel table's source. */
export function agentTableNotes(statistics: AgentStatistics, dashboard: DashboardAvailability = 'unknown', controller: ControllerAgents = { state: 'loading' }): Text[] {
  const notes: Text[] = [{ key: `${ A }.intro`, params: { minutes: WINDOW_MINUTES } }];

  if (statistics.state !== 'ok' && statistics.state !== 'loading') {
    notes.push({ key: `${ A }.statisticsUnknown`, params: { state: statistics.state } });
  }
  const note = controllerNote(controller);

  if (note) {
    notes.push(note);
  }
  notes.push({ key: `${ A }.featureSource`, params: { seed: KERNEL_FEATURE_SOURCE.seed } });
  if (dashboard === 'missing') {
    notes.push({ key: `${ A }.dashboardMissing` });
  }

  return notes;
}
