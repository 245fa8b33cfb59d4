/**
 * Top talkers from the querier's per-address totals (topTalkersQuery grouped by `ip`): each
 * address is resolved to a VM, pod, node, Service or external endpoint and summed per VM, pod or
 * namespace. Per-address totals come from ClickHouse over the whole range, so the ranking is
 * exact even when the edge list the map uses is cut at its limit.
 */
import { Endpoint, EndpointKind } from './endpoint';
import { EndpointIndex } from './enrich';
import { TalkerColumns } from './queries';
import { RowOf } from './query-types';

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

function groupFor(e: Endpoint, by: TalkerGroupBy): Pick<RankedTalker, 'key' | 'kind' | 'name' | 'namespace'> | null {
  if (by === 'namespace') {
    return e.namespace ? {
      key: `namespace:${ e.namespace }`, kind: 'namespace', name: e.namespace, namespace: e.namespace
    } : null;
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

/** Talkers of one kind, biggest first by `rankBy` (ties by bytes, then key). */
export function rankTalkers(rows: readonly TalkerRow[], index: EndpointIndex, options: RankTalkersOptions): RankedTalker[] {
  const groups = new Map<string, RankedTalker>();

  for (const row of rows) {
    const endpoint = index.resolve(row.endpoint, row.namespace ? { namespace: row.namespace } : undefined);
    const g = groupFor(endpoint, options.by);

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
