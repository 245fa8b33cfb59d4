/**
 * The view-model of a VM's or pod's Network tab: who the subject is in flow data (its key and the
 * scope its traffic is found by), the two queries the tab runs (peers, traffic over time), and the
 * peer rows it renders. DeepFlow does not tag virt-launcher pods (deepflowio/deepflow#3244), so a
 * VM is found by its NIC addresses and, when tagged, its launcher pod.
 */
import { EnrichedFlow, PeerSummary, enrichEdges, peerSummary, totals, TrafficTotals } from '../enrichment/aggregate';
import { QUERY_LIMITS } from '../query/constants';
import { Endpoint, EndpointKind } from '../enrichment/endpoint';
import { EndpointIndex } from '../enrichment/enrich';
import { meta } from '../enrichment/objects';
import { arr, isRecord, text } from '../../guards';
import { parseIp } from '../../net/ip';
import {
  EdgeColumns, EndpointScope, QueryWindow, SeriesColumns, bucketSecondsFor, podPeersQuery, trafficSeriesQuery, vmPeersQuery
} from '../query/queries';
import { PreparedQuery, QueryOutcome, RowOf } from '../query/query-types';

export type SubjectProblem = 'no-addresses';

export interface FlowSubject {
  kind: 'vm' | 'pod';
  namespace: string;
  name: string;
  /** The endpoint key its flows resolve to (a virt-launcher pod resolves to its VM). */
  key: string;
  scope: EndpointScope;
  ips: string[];
  launcherPod?: string;
  /** The pod shares its node's network: its traffic is attributed to the node. */
  hostNetwork?: boolean;
  /** A virt-launcher pod: its traffic is the VM's. */
  launcherOf?: string;
}

export type SubjectResult = { ok: true; subject: FlowSubject } | { ok: false; problem: SubjectProblem };

const capIps = (ips: string[]) => ips.slice(0, QUERY_LIMITS.maxAddresses);

/** The VM as flow data knows it: its NIC addresses (from its VMI) and its launcher pod. */
export function vmSubject(index: EndpointIndex, namespace: string, name: string): SubjectResult {
  const info = index.vm(namespace, name);
  const ips = capIps(info?.ips ?? []);
  const launcherPod = info?.launcherPod;

  if (ips.length === 0 && !launcherPod) {
    // A stopped VM has no instance, so no addresses to look for.
    return { ok: false, problem: 'no-addresses' };
  }
  const scope: EndpointScope = { ips };

  if (launcherPod) {
    scope.namespace = namespace;
    scope.pods = [launcherPod];
  }

  return {
    ok:      true,
    subject: {
      kind: 'vm', namespace, name, key: `vm:${ namespace }/${ name }`, scope, ips, launcherPod
    },
  };
}

/** The pod as flow data knows it, from its object (addresses, host network, launcher label). */
export function podSubject(index: EndpointIndex, pod: unknown): SubjectResult {
  const m = meta(pod);
  const status = isRecord(pod) && isRecord(pod.status) ? pod.status : {};
  const spec = isRecord(pod) && isRecord(pod.spec) ? pod.spec : {};
  const ips: string[] = [];

  for (const raw of [status.podIP, ...arr(status.podIPs).map((p) => (isRecord(p) ? p.ip : undefined))]) {
    const ip = parseIp(raw)?.text;

    if (ip && !ips.includes(ip)) {
      ips.push(ip);
    }
  }
  if (!m.name || !m.namespace) {
    return { ok: false, problem: 'no-addresses' };
  }
  const hostNetwork = spec.hostNetwork === true;
  const resolved = index.resolve(ips[0] ?? '', { pod: m.name, namespace: m.namespace });
  const launcherOf = text(m.labels['vm.kubevirt.io/name']) || undefined;

  return {
    ok:      true,
    subject: {
      kind:       'pod',
      namespace:  m.namespace,
      name:       m.name,
      key:        resolved.key,
      scope:      { namespace: m.namespace, pods: [m.name], ips: hostNetwork ? [] : capIps(ips) },
      ips:        capIps(ips),
      hostNetwork,
      launcherOf,
    },
  };
}

export interface SubjectQueries {
  peers: PreparedQuery<EdgeColumns>;
  series: PreparedQuery<SeriesColumns>;
  bucketSeconds: number;
}

/** The tab's two querier calls. Throws QueryBuildError for input the builders refuse. */
export function subjectQueries(subject: FlowSubject, window: QueryWindow, peerLimit = 500): SubjectQueries {
  const bucketSeconds = bucketSecondsFor(window.range, 120, window.precision);
  const peers = subject.kind === 'vm' ? vmPeersQuery({
    window, vm: { namespace: subject.namespace, ips: subject.ips, launcherPod: subject.launcherPod }, limit: peerLimit
  }) : podPeersQuery({
    window, namespace: subject.namespace, pod: subject.name, ips: subject.scope.ips, limit: peerLimit
  });
  const series = trafficSeriesQuery({ window, endpoint: subject.scope, bucketSeconds });

  return { peers, series, bucketSeconds };
}

export interface PeerRow extends PeerSummary {
  kind: EndpointKind;
  /** An in-cluster-looking address that matched no object the user may arr. */
  unresolved: boolean;
}

export interface PeersModel {
  rows: PeerRow[];
  totals: TrafficTotals;
  /** Peers shown by address only although they look like cluster addresses. */
  unresolved: number;
  /** The edge arr hit its limit: smaller peers may be missing. */
  truncated: boolean;
  /** Flows in the answer that involve the subject. */
  flows: number;
}

/** An address that looks internal but resolved to no object: probably one the user cannot arr. */
export function isUnresolved(e: Endpoint): boolean {
  return e.kind === 'external' && (e.scope === 'private' || e.scope === 'shared');
}

export function peersModel(
  rows: readonly RowOf<EdgeColumns>[], index: EndpointIndex, subjectKey: string, limit: number
): PeersModel {
  const flows: EnrichedFlow[] = enrichEdges(rows, index).filter((f) => f.client.key === subjectKey || f.server.key === subjectKey);
  const peers = peerSummary(flows, subjectKey).map((p) => ({
    ...p, kind: p.peer.kind, unresolved: isUnresolved(p.peer)
  }));

  return {
    rows:       peers,
    totals:     totals(flows),
    unresolved: peers.filter((p) => p.unresolved).length,
    truncated:  rows.length >= limit,
    flows:      flows.length,
  };
}

/** The peers model of an outcome, or null when it carries no rows. */
export function peersFromOutcome(
  outcome: QueryOutcome<RowOf<EdgeColumns>>, index: EndpointIndex, subjectKey: string, limit: number
): PeersModel | null {
  return outcome.state === 'ok' ? peersModel(outcome.rows, index, subjectKey, limit) : null;
}
