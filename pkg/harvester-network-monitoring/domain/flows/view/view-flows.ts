/**
 * The view-model of the Traffic Flows page: which queries one load runs (the edge list, the talker
 * view shown, the first page of flow records), and what the page renders from their outcomes:
 * categories, protocol and port breakdowns and the traffic map model, from one edge list.
 */
import {
  EdgeRow, EnrichedFlow, ProtocolBreakdownEntry, TrafficTotals, categoryBreakdown, enrichEdges, portBreakdown, protocolBreakdown, totals
} from '../enrichment/aggregate';
import { FLOW_CATEGORIES, FlowCategory } from '../enrichment/categories';
import { QUERY_LIMITS } from '../query/constants';
import { EndpointIndex } from '../enrichment/enrich';
import { TrafficGraph, buildTrafficGraph } from '../graph/graph';
import {
  EdgeColumns, EndpointScope, QueryWindow, edgesQuery
} from '../query/queries';
import { PreparedQuery } from '../query/query-types';
import { FlowObjects, vmNames } from './view-objects';
import { isUnresolved } from './view-peers';

/** Edge rows one load reads; the map, categories and breakdowns are computed over them. */
export const EDGE_LIMIT = 5000;

export interface NamespaceScope {
  /** The namespace tag, or the NIC addresses of its VMs (at most one query's list); none without a namespace. */
  scope?: EndpointScope;
  /** The namespace has more VM addresses than one query may list: some VM traffic may be missing. */
  truncated: boolean;
}

/**
 * The scope of a namespace filter: DeepFlow's namespace tag OR the addresses of the namespace's
 * VMs (untagged, see #3244). Without a namespace there is no scope: no query lists an address then (the VM
 * talkers rank every address, view-talkers.ts BUSIEST_ADDRESSES).
 */
export function namespaceScope(namespace: string, objects: FlowObjects, index: EndpointIndex): NamespaceScope {
  if (!namespace) {
    return { truncated: false };
  }
  const ips = new Set<string>();

  for (const vm of vmNames(objects, namespace)) {
    for (const ip of index.vm(vm.namespace, vm.name)?.ips ?? []) {
      ips.add(ip);
    }
  }
  const max = QUERY_LIMITS.maxAddresses;

  return { scope: { namespace, ips: [...ips].slice(0, max) }, truncated: ips.size > max };
}

/** The edge list the map and breakdowns use. Throws QueryBuildError on refused input. */
export function flowsEdgesQuery(window: QueryWindow, scope: EndpointScope | undefined): PreparedQuery<EdgeColumns> {
  return edgesQuery({ window, scope, limit: EDGE_LIMIT });
}

export interface CategoryRow extends TrafficTotals {
  category: FlowCategory;
  /** Share of all bytes, 0..1. */
  share: number;
}

export interface BreakdownRow extends ProtocolBreakdownEntry {
  share: number;
}

export interface OverviewModel {
  flows: EnrichedFlow[];
  totals: TrafficTotals;
  categories: CategoryRow[];
  protocols: BreakdownRow[];
  ports: BreakdownRow[];
  /** Distinct in-cluster-looking addresses no object explains (objects the user cannot list, or gone). */
  unresolved: number;
  /** The edge list hit EDGE_LIMIT: the smallest conversations are not included. */
  truncated: boolean;
}

const withShare = <T extends { bytes: number }>(rows: T[], all: number): (T & { share: number })[] => rows.map((r) => ({ ...r, share: all > 0 ? r.bytes / all : 0 }));

export function overviewModel(rows: readonly EdgeRow[], index: EndpointIndex, edgeLimit = EDGE_LIMIT): OverviewModel {
  const flows = enrichEdges(rows, index);
  const all = totals(flows);
  const byCategory = categoryBreakdown(flows);
  const unresolved = new Set<string>();

  for (const f of flows) {
    if (isUnresolved(f.client)) {
      unresolved.add(f.client.key);
    }
    if (isUnresolved(f.server)) {
      unresolved.add(f.server.key);
    }
  }

  return {
    flows,
    totals:     all,
    categories: FLOW_CATEGORIES.map((category) => ({
      category, ...byCategory[category], share: all.bytes > 0 ? byCategory[category].bytes / all.bytes : 0
    })).filter((c) => c.flows > 0),
    protocols:  withShare(protocolBreakdown(flows), all.bytes),
    ports:      withShare(portBreakdown(flows, 15), all.bytes),
    unresolved: unresolved.size,
    truncated:  rows.length >= edgeLimit,
  };
}

export interface MapOptions {
  /** The namespace opened in the map (drill-down), '' for the namespace overview. */
  focusNamespace: string;
  maxNodes?: number;
}

/** The traffic map: namespaces as groups, one namespace opened when focused. */
export function mapModel(flows: readonly EnrichedFlow[], options: MapOptions): TrafficGraph {
  return buildTrafficGraph(flows, { groupBy: 'namespace', focusNamespace: options.focusNamespace || undefined, maxNodes: options.maxNodes });
}

export interface ConversationRow {
  id: string;
  flow: EnrichedFlow;
  bytes: number;
}

/**
 * The biggest conversations (touching `namespace` when given), for the table that replaces a map
 * too large to draw and for readers who prefer a table.
 */
export function topConversations(flows: readonly EnrichedFlow[], limit = 200, namespace = ''): ConversationRow[] {
  return flows
    .map((flow, i) => ({ id: `${ i }`, flow, bytes: flow.bytesTx + flow.bytesRx }))
    .filter((c) => !namespace || c.flow.client.namespace === namespace || c.flow.server.namespace === namespace)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, limit);
}
