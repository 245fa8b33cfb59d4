/**
 * Top talkers, ranked by ClickHouse over the whole range by what the view shows, so its LIMIT cuts
 * the right list (ranking addresses first let external addresses push the cluster's workloads out):
 * pods by DeepFlow's pod tag, namespaces by its pod_ns tag plus the untagged traffic of the
 * namespace's VMs, VMs by their NIC addresses (DeepFlow does not tag virt-launcher pods, #3244).
 */
import { Endpoint, EndpointKind } from '../enrichment/endpoint';
import { EndpointIndex } from '../enrichment/enrich';
import { EndpointScope, QueryWindow, TalkerColumns, topTalkersQuery } from '../query/queries';
import { PreparedQuery, RowOf } from '../query/query-types';

export type TalkerRow = RowOf<TalkerColumns>;

export type TalkerGroupBy = 'vm' | 'pod' | 'namespace';
export type TalkerRankBy = 'bytes' | 'connections';

export const TALKER_GROUPS: readonly TalkerGroupBy[] = ['vm', 'pod', 'namespace'];

export interface RankedTalker {
  key: string;
  kind: EndpointKind | 'namespace';
  name: string;
  namespace: string;
  bytes: number;
  /** Bytes the talker sent / received. */
  bytesOut: number;
  bytesIn: number;
  packets: number;
  connections: number;
  /** Addresses summed into this talker (a VM with several NICs, a namespace with many endpoints). */
  addresses: number;
}

/** Rows per talker query: enough to fill the top ten after rows that resolve elsewhere are dropped. */
export const TALKER_QUERY_LIMIT = 50;

/**
 * Rows of the all-namespaces address query, the busiest addresses first, of which the VMs' are kept. It lists no
 * address, so it needs no cluster object and starts with the edges, before the VM lists arrive: a cluster may also
 * have more VM addresses than one statement lists (QUERY_LIMITS.maxAddresses). Over the scale seed's hour
 * (6,000,000 `network` rows) it costs ClickHouse what an empty statement does (tests/bench/clickhouse-flows-bench.py).
 */
export const BUSIEST_ADDRESSES = 1000;

/** The querier calls one talker view needs: tag totals, and totals of the VMs' addresses. */
export interface TalkerQueries {
  tagged?: PreparedQuery<TalkerColumns>;
  addresses?: PreparedQuery<TalkerColumns>;
}

export interface TalkerResults {
  tagged?: readonly TalkerRow[];
  addresses?: readonly TalkerRow[];
}

/**
 * Throws QueryBuildError for input the builders refuse. With a namespace scope the address query lists the NIC
 * addresses of its VMs (the scope's `ips`; none, no query); without one it ranks every address (BUSIEST_ADDRESSES),
 * so it needs no cluster object and the page starts it with the edges.
 */
export function talkerQueries(by: TalkerGroupBy, rankBy: TalkerRankBy, window: QueryWindow, scope: EndpointScope | undefined): TalkerQueries {
  const base = { window, rankBy, limit: TALKER_QUERY_LIMIT };
  let addresses: PreparedQuery<TalkerColumns> | undefined;

  if (!scope) {
    addresses = topTalkersQuery({ ...base, groupBy: 'address', limit: BUSIEST_ADDRESSES });
  } else if (scope.ips?.length) {
    addresses = topTalkersQuery({
      ...base, groupBy: 'address', addresses: [...scope.ips], limit: TALKER_QUERY_LIMIT * 4
    });
  }

  if (by === 'vm') {
    return { addresses };
  }

  return {
    tagged: topTalkersQuery({ ...base, groupBy: by, scope }), ...(by === 'namespace' ? { addresses } : {})
  };
}

/** The all-namespaces address query answered all the rows it asked for: VMs quieter than those may be missing. */
export function busiestAddressesFull(scope: EndpointScope | undefined, addresses: readonly TalkerRow[] | undefined): boolean {
  return !scope && (addresses?.length ?? 0) >= BUSIEST_ADDRESSES;
}

function groupFor(e: Endpoint, by: TalkerGroupBy): TalkerGroup | null {
  if (by === 'namespace') {
    return namespaceGroup(e.namespace);
  }

  return e.kind === by ? {
    key: e.key, kind: e.kind, name: e.name, namespace: e.namespace
  } : null;
}

export interface RankTalkersOptions {
  by: TalkerGroupBy;
  rankBy: TalkerRankBy;
  limit?: number;
  /** Keep only talkers in this namespace (the page's namespace filter). */
  namespace?: string;
}

type TalkerGroup = Pick<RankedTalker, 'key' | 'kind' | 'name' | 'namespace'>;

function namespaceGroup(namespace: string): TalkerGroup | null {
  return namespace ? {
    key: `namespace:${ namespace }`, kind: 'namespace', name: namespace, namespace
  } : null;
}

function groupOfRow(row: TalkerRow, from: keyof TalkerResults, by: TalkerGroupBy, index: EndpointIndex): TalkerGroup | null {
  if (from === 'addresses') {
    const endpoint = index.resolve(row.endpoint);

    // VMs' addresses only (the all-namespaces query answers every address); traffic with a namespace tag is in the
    // tag totals already.
    return endpoint.kind !== 'vm' || (by === 'namespace' && row.namespace) ? null : groupFor(endpoint, by);
  }

  return by === 'namespace' ? namespaceGroup(row.endpoint) : groupFor(index.resolve('', { pod: row.endpoint, namespace: row.namespace }), by);
}

/** Talkers of one kind, biggest first by `rankBy` (ties by bytes, then key). */
export function rankTalkers(results: TalkerResults, index: EndpointIndex, options: RankTalkersOptions): RankedTalker[] {
  const groups = new Map<string, RankedTalker>();
  const rows = (['tagged', 'addresses'] as const).flatMap((from) => (results[from] ?? []).map((row) => ({ row, from })));

  for (const { row, from } of rows) {
    const g = groupOfRow(row, from, options.by, index);

    if (!g || (options.namespace && g.namespace !== options.namespace)) {
      continue;
    }
    let acc = groups.get(g.key);

    if (!acc) {
      acc = {
        ...g, bytes: 0, bytesOut: 0, bytesIn: 0, packets: 0, connections: 0, addresses: 0
      };
      groups.set(g.key, acc);
    }
    acc.bytes += row.bytes;
    acc.bytesOut += row.bytesTx;
    acc.bytesIn += row.bytesRx;
    acc.packets += row.packets;
    acc.connections += row.newFlows;
    acc.addresses += 1;
  }
  const metric = options.rankBy;

  return [...groups.values()]
    .sort((a, b) => b[metric] - a[metric] || b.bytes - a.bytes || a.key.localeCompare(b.key))
    .slice(0, options.limit ?? 10);
}
