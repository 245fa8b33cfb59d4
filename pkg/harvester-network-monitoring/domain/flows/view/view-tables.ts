/**
 * Rows for the shell's SortableTable (@rancher/shell 3.0.8 components/SortableTable): it keys rows by one
 * field path (`keyField`) and sorts by field paths (a header's `sort`, utils/sort.js sortBy), so a key or a
 * sort value computed from several fields has to be a field of the row.
 */
import { EnrichedFlowRecord, PeerSummary, ProtocolBreakdownEntry } from '../enrichment/aggregate';
import { FLOW_SORT_COLUMNS, FlowSortColumn } from '../query/queries';
import { RecordSort } from './view-records';

export type Keyed<T> = T & { key: string };

/** Peers with their bytes and packets both ways: the Packets column, and the biggest-first order. */
export function peerTableRows<T extends PeerSummary>(rows: readonly T[]): (T & { bytes: number; packets: number })[] {
  return rows.map((r) => ({ ...r, bytes: r.bytesOut + r.bytesIn, packets: r.packetsOut + r.packetsIn }));
}

/** Port breakdown rows keyed by protocol and port (the same port number is often seen over TCP and UDP). */
export function portTableRows<T extends ProtocolBreakdownEntry>(rows: readonly T[]): Keyed<T>[] {
  return rows.map((r) => ({ ...r, key: `${ r.protocol }/${ r.serverPort ?? '' }` }));
}

/** Flow records keyed by their 5-tuple and times: one row of DeepFlow's l4_flow_log per connection and period. */
export function recordTableRows<T extends EnrichedFlowRecord>(rows: readonly T[]): Keyed<T>[] {
  return rows.map((r) => ({
    ...r, key: `${ r.startTime }|${ r.endTime }|${ r.protocol }|${ r.clientIp }|${ r.clientPort }|${ r.serverIp }|${ r.serverPort }`
  }));
}

/**
 * The records table sorts on the server: a sortable header's `sort` is `<l4_flow_log column>:desc` (the shell's
 * way to sort biggest or latest first on the first click, e.g. its Age column's `creationTimestamp:desc`), and the
 * table's `descending` flips it: a new header starts descending (latest, biggest first), the same header flips.
 */
export function recordHeaderSort(column: FlowSortColumn): string {
  return `${ column }:desc`;
}

/** The table's `descending` that shows `sort` on its column's header. */
export function recordTableDescending(sort: RecordSort): boolean {
  return sort.direction === 'asc';
}

/**
 * The RecordSort SortableTable asks for in its `pagination-changed` event ({ sort: its sort fields, descending }),
 * or null when its first sort field is not a records header's (see recordHeaderSort).
 */
export function recordSortOf(sortFields: readonly string[], descending: boolean): RecordSort | null {
  const match = /^([a-z_]+):desc$/.exec(sortFields[0] ?? '');
  const column = FLOW_SORT_COLUMNS.find((c) => c === match?.[1]);

  return column ? { column, direction: descending ? 'asc' : 'desc' } : null;
}
