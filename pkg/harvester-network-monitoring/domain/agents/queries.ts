/**
 * What the Overview asks DeepFlow's querier about its agents: per agent host, over the last minutes,
 * the packets its dispatcher captured and dropped in the kernel, and the packets its flow map dropped.
 * Both read DeepFlow's own agent statistics (database `deepflow_tenant`, see AGENT_TABLES in
 * flows/schema.ts) and are grouped by `tag.host`, the agent's host name (the node name for the chart's
 * host-network DaemonSet).
 *
 * Those rows carry no agent ID (DeepFlow v7.1.8 server/ingester/ext_metrics/dbwriter/ext_metrics.go
 * Columns: deepflow_tenant tables have no universal tags), so registration is read from DeepFlow's agent
 * list instead: `show tag agent values` answers from the flow_tag.vtap_map dictionary, i.e. the controller's
 * table of registered agents (querier engine/clickhouse/tag/description.go GetTagValues, tag "agent";
 * controller tagrecorder/ch_vtap.go). It is asked on flow_log: on flow_metrics with data_precision the
 * querier reads `vtap_map.1m`, which does not exist (recorded in the contract).
 */
import { ColumnSpecs, PreparedQuery } from '../flows/query/query-types';
import {
  SqlFragment, agentAggregate, agentField, alias, latestTime, selectStatement, sql, timeCondition
} from '../flows/query/sql';
import { QueryWindow, rangeEndingAt } from '../flows/query/queries';

/** How far back the Overview looks: the agent sends its statistics every 10 s; 15 minutes smooths restarts. */
export const AGENT_WINDOW_SECONDS = 15 * 60;

/** More hosts than any Harvester cluster has nodes. */
export const AGENT_HOST_LIMIT = 1000;

export const DISPATCHER_COLUMNS = {
  host:        { column: 'host', kind: 'text' },
  rx:          { column: 'rx', kind: 'count' },
  kernelDrops: { column: 'kernel_drops', kind: 'count' },
  lastSeen:    { column: 'last_seen', kind: 'time' },
} as const satisfies ColumnSpecs;

export const FLOW_MAP_COLUMNS = {
  host:           { column: 'host', kind: 'text' },
  dropByWindow:   { column: 'drop_by_window', kind: 'count' },
  dropByCapacity: { column: 'drop_by_capacity', kind: 'count' },
} as const satisfies ColumnSpecs;

/** One registered agent: its ID and name in DeepFlow's agent list. */
export const AGENT_LIST_COLUMNS = {
  id:   { column: 'value', kind: 'count' },
  name: { column: 'display_name', kind: 'text' },
} as const satisfies ColumnSpecs;

export type DispatcherColumns = typeof DISPATCHER_COLUMNS;
export type AgentListColumns = typeof AGENT_LIST_COLUMNS;
export type FlowMapColumns = typeof FLOW_MAP_COLUMNS;

function hostColumn(table: 'deepflow_agent_dispatcher' | 'deepflow_agent_flow_map'): SqlFragment {
  return sql`${ agentField(table, 'tag', 'host') } AS ${ alias('host') }`;
}

/** The last `AGENT_WINDOW_SECONDS` up to now. */
export function agentWindow(nowSeconds: number): QueryWindow {
  return { range: rangeEndingAt(nowSeconds, AGENT_WINDOW_SECONDS), nowSeconds: Math.floor(nowSeconds) };
}

/** Dispatcher (AF_PACKET capture) per host: packets received, packets the kernel dropped, newest sample. */
export function agentDispatcherQuery(window: QueryWindow): PreparedQuery<DispatcherColumns> {
  const t = 'deepflow_agent_dispatcher';
  const stmt = selectStatement({
    select:  [hostColumn(t), agentAggregate('Sum', t, 'rx', 'rx'), agentAggregate('Sum', t, 'kernel_drops', 'kernel_drops'), latestTime('last_seen')],
    from:    t,
    where:   [timeCondition(window.range, window.nowSeconds)],
    groupBy: [agentField(t, 'tag', 'host')],
    limit:   AGENT_HOST_LIMIT,
  });

  return { db: 'deepflow_tenant', sql: stmt.text, columns: DISPATCHER_COLUMNS };
}

/** Flow map per host: packets dropped because the agent could not keep up (out of window / out of capacity). */
export function agentFlowMapQuery(window: QueryWindow): PreparedQuery<FlowMapColumns> {
  const t = 'deepflow_agent_flow_map';
  const stmt = selectStatement({
    select:  [hostColumn(t), agentAggregate('Sum', t, 'drop_by_window', 'drop_by_window'), agentAggregate('Sum', t, 'drop_by_capacity', 'drop_by_capacity')],
    from:    t,
    where:   [timeCondition(window.range, window.nowSeconds)],
    groupBy: [agentField(t, 'tag', 'host')],
    limit:   AGENT_HOST_LIMIT,
  });

  return { db: 'deepflow_tenant', sql: stmt.text, columns: FLOW_MAP_COLUMNS };
}

/** DeepFlow's list of registered agents (see the header); fixed text, nothing interpolated. */
export function agentListQuery(): PreparedQuery<AgentListColumns> {
  return { db: 'flow_log', sql: sql`show tag agent values from l4_flow_log`.text, columns: AGENT_LIST_COLUMNS };
}
