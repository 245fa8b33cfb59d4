/**
 * DeepFlow's querier (`POST /v1/query/`, form fields db, sql and data_precision) over the seeded flow
 * edges. It parses the statement (querier-sql.ts), checks it the way DeepFlow v7.1.8 would fail it
 * (rules below, each with the DeepFlow source it follows; paths under deepflowio/deepflow
 * server/querier), checks tables and columns against the tags, metrics and stored columns DeepFlow has
 * (deepflow-schema.ts), and
 * evaluates it over per-minute rows derived from the edges: `network_map` has one row per edge and
 * minute (client `_0`, server `_1`), `network` one per endpoint side and minute, `l4_flow_log` one
 * flow per edge every ten minutes; with data_precision 1h, one row per hour holding its minutes' sums
 * (ROW_SECONDS). Traffic varies by minute and some edges stopped hours ago, so time ranges change both
 * totals and edge sets.
 *
 * Answers use the querier's wire shape (router/response.go Response): success is HTTP 200
 * {OPT_STATUS: "SUCCESS", DESCRIPTION: "", result: {columns, values, schemas}}; every failure a
 * statement can cause on the flow_metrics and flow_log databases is HTTP 500 {OPT_STATUS: "FAIL",
 * DESCRIPTION, result: null} (router/response.go JsonResponse: a plain error goes to
 * InternalErrorResponse with common.FAIL; the 400 BadRequestResponse is only for ServiceErrors with
 * RESOURCE_NOT_FOUND / INVALID_POST_DATA / …_NUM_EXCEEDED, which v7.1.8 raises only for Prometheus
 * metric and label lookups: engine/clickhouse/from.go, tag.go, filter.go, metrics/metrics.go).
 *
 * CONTRACT GATE: with the recordings in tests/contract/fixtures/deepflow-v7.1.8-translations.json, a statement
 * whose shape (tests/contract/shape.ts) is not among the shapes DeepFlow's real translator accepted
 * is refused, so browser tests cannot pass on SQL only this stand-in understands.
 */
import { HeldTotals } from './held-totals';
import { TableName } from '../../pkg/harvester-network-monitoring/domain/flows/query/schema';
import { describedNames, storedColumns } from './deepflow-schema';
import { FlowEndpoint } from './seed/cluster';
import { NODES } from './seed/constants';
import { FlowEdge } from './seed/flows';
import { hashString } from './seed/random';
import {
  Condition, Literal, SelectItem, SqlSyntaxError, Statement, parseStatement
} from './querier-sql';
import { ShapeContract, loadShapeContract, shapeKey } from '../../tests/contract/shape';

export interface QuerierAnswer {
  status: number;
  body: unknown;
  /** Text sent after the JSON body (a recovered panic writes a second document, see `panicked`). */
  trailer?: string;
}

type Value = string | number | null;
type Row = Record<string, Value>;

// `chost` stays in the rows: DeepFlow has the tag, though the extension does not group by it (schema.ts).
const ENDPOINT_TAGS: (keyof FlowEndpoint)[] = [
  'ip', 'pod', 'pod_ns', 'pod_node', 'pod_group', 'pod_cluster', 'pod_service', 'chost', 'auto_instance', 'auto_service',
];

const MINUTE = 60;
const FLOW_PERIOD = 600;
/** Edges whose hash falls in this bucket stopped between six and two hours ago. */
const STOPPED_EDGE_MODULUS = 5;

/** A failure the real querier reports as HTTP 500 OPT_STATUS "FAIL" with this DESCRIPTION. */
class QueryError extends Error {}

/** A statement on which the real querier panics (recorded: tests/contract/probes.json probe/slimit-in-literal). */
class QueryPanic extends Error {}

/** One edge, as the rows of every table are derived from it. */
interface EdgeSource {
  edge: FlowEdge;
  /** Its place in the edge list (its slot in the held totals). */
  index: number;
  key: number;
  /** Unix seconds of the first and last minute with traffic. */
  from: number;
  to: number;
}

/**
 * What every statement reads of an edge and does not depend on time: its hash and its tag rows (network_map's
 * `_0`/`_1` row, network's two sides), made once per edge rather than per statement and minute. The rows are
 * only read (copied where a row is returned).
 */
interface EdgeStatics {
  key: number;
  mapRow: Row;
  /** The rows a statement on each table visits, with whether the row is the server's side. */
  sides: Record<'map' | 'network', readonly (readonly [Row, boolean])[]>;
}

const STATICS = new WeakMap<FlowEdge, EdgeStatics>();

function staticsOf(edge: FlowEdge): EdgeStatics {
  let found = STATICS.get(edge);

  if (!found) {
    const mapRow = mapRowOf(edge);
    const sideRows: [Row, Row] = [sideRowOf(edge, edge.client, 0), sideRowOf(edge, edge.server, 1)];

    found = {
      key:   hashString(`${ edge.client.ip }|${ edge.server.ip }|${ edge.protocol }|${ edge.serverPort }`),
      mapRow,
      sides: { map: [[mapRow, false]], network: [[sideRows[0], false], [sideRows[1], true]] },
    };
    STATICS.set(edge, found);
  }

  return found;
}

/** Makes every edge's tag rows now (as ClickHouse has its rows stored), so the first statement does not pay for them. */
export function prepareFlowEdges(edges: readonly FlowEdge[]): void {
  edges.forEach(staticsOf);
}

function sources(edges: FlowEdge[], nowSeconds: number): EdgeSource[] {
  return edges.map((edge, index) => {
    const { key } = staticsOf(edge);
    const stopped = key % STOPPED_EDGE_MODULUS === 0;

    return {
      edge, index, key, from: 0, to: stopped ? nowSeconds - 2 * 3600 : Number.MAX_SAFE_INTEGER
    };
  }).map((s) => (s.to === Number.MAX_SAFE_INTEGER ? s : { ...s, from: nowSeconds - 6 * 3600 }));
}

/** Traffic repeats every 90 minutes, so long ranges aggregate one period per edge (see minuteRows). */
const PERIOD = 90 * MINUTE;

/** How many of a range's `minutes` minute `i` of `phases` stands for (minutes i, i + phases, i + 2 * phases, …). */
const phaseWeight = (minutes: number, phases: number, i: number) => Math.floor((minutes - 1 - i) / phases) + 1;

/** Diurnal-ish variation in [0.2, 1]; exactly periodic (t modulo PERIOD). */
function minuteFactor(key: number, t: number): number {
  return 0.6 + 0.4 * Math.sin((2 * Math.PI * (t % PERIOD)) / PERIOD + (key % 628) / 100);
}

/*
 * An edge's tag rows, each written out as one object literal (the tags of ENDPOINT_TAGS): a literal has a fixed
 * shape that holds its properties in the object. Rows made tag by tag in a loop were dictionaries (V8 turns an
 * object that gets this many properties one by one into a hash table): the 150,000 rows of 50,000 edges took 112 MB
 * of each querier thread instead of 41, and a full garbage collection 130 ms instead of 40, on the cores the
 * browser under test shares.
 */

/** network_map's row of an edge: the client's tags with `_0`, the server's with `_1`. */
function mapRowOf({ client: c, server: s, protocol, serverPort }: FlowEdge): Row {
  return {
    ip_0:            c.ip,
    pod_0:           c.pod,
    pod_ns_0:        c.pod_ns,
    pod_node_0:      c.pod_node,
    pod_group_0:     c.pod_group,
    pod_cluster_0:   c.pod_cluster,
    pod_service_0:   c.pod_service,
    chost_0:         c.chost,
    auto_instance_0: c.auto_instance,
    auto_service_0:  c.auto_service,
    ip_1:            s.ip,
    pod_1:           s.pod,
    pod_ns_1:        s.pod_ns,
    pod_node_1:      s.pod_node,
    pod_group_1:     s.pod_group,
    pod_cluster_1:   s.pod_cluster,
    pod_service_1:   s.pod_service,
    chost_1:         s.chost,
    auto_instance_1: s.auto_instance,
    auto_service_1:  s.auto_service,
    protocol,
    server_port:     serverPort,
  };
}

/** network's row of one side of an edge (role 0 the client, 1 the server). */
function sideRowOf({ protocol, serverPort }: FlowEdge, e: FlowEndpoint, role: 0 | 1): Row {
  return {
    ip:            e.ip,
    pod:           e.pod,
    pod_ns:        e.pod_ns,
    pod_node:      e.pod_node,
    pod_group:     e.pod_group,
    pod_cluster:   e.pod_cluster,
    pod_service:   e.pod_service,
    chost:         e.chost,
    auto_instance: e.auto_instance,
    auto_service:  e.auto_service,
    role,
    protocol,
    server_port:   serverPort,
  };
}

/** The metric columns of flow_metrics the stand-in fills, and which trade places when the other side is the point of view. */
const METRICS = ['byte', 'byte_tx', 'byte_rx', 'packet', 'packet_tx', 'packet_rx', 'new_flow', 'closed_flow', 'retrans', 'tcp_establish_fail', 'rtt'];
const METRIC_INDEX = new Map(METRICS.map((m, i) => [m, i]));
const SWAPPED = METRICS.map((m) => METRIC_INDEX.get(m.replace(/_tx$/, '_@').replace(/_rx$/, '_tx').replace(/_@$/, '_rx')) as number);

/**
 * Per-minute metrics of one edge from the point of view of one side (tx = what that side sent), in METRICS order
 * into `into` (NaN: no value, as rtt without TCP). Numbers in an array: statements visit millions of minutes.
 */
function metricValues(edge: FlowEdge, factor: number, swap: boolean, into: Float64Array): Float64Array {
  const tx = Math.round((swap ? edge.byteRx : edge.byteTx) * factor);
  const rx = Math.round((swap ? edge.byteTx : edge.byteRx) * factor);
  const ptx = Math.max(1, Math.round((swap ? edge.packetRx : edge.packetTx) * factor));
  const prx = Math.max(1, Math.round((swap ? edge.packetTx : edge.packetRx) * factor));

  into[0] = tx + rx;
  into[1] = tx;
  into[2] = rx;
  into[3] = ptx + prx;
  into[4] = ptx;
  into[5] = prx;
  into[6] = edge.newFlow;
  into[7] = edge.newFlow;
  into[8] = edge.retrans;
  into[9] = edge.tcpEstablishFail;
  into[10] = edge.rtt > 0 ? edge.rtt : NaN;

  return into;
}

const SCRATCH = new Float64Array(METRICS.length);

/** The same as a row (reused as `into` by callers that visit many minutes). */
function metrics(edge: FlowEdge, factor: number, swap: boolean, into: Row = {}): Row {
  const values = metricValues(edge, factor, swap, SCRATCH);

  METRICS.forEach((m, i) => {
    into[m] = Number.isNaN(values[i]) ? null : values[i];
  });

  return into;
}

/**
 * What an aggregate over a whole range reads of one edge's minutes: per metric the weighted sum, the weight (count)
 * of minutes with a value, and the least and greatest value (4 numbers per metric, in METRICS order). Every metric
 * is an integer, so a group's sums are the same whether minutes are added one by one or an edge's at once.
 */
type WindowTotals = Float64Array;

const TOTALS_WIDTH = METRICS.length * 4;

/**
 * Each edge's totals for the last range asked (from its client's point of view): a page's statements share their
 * range, so the second and third need not visit every minute again (3,000,000 minutes an hour at 50,000 edges).
 * Per edge list: shared with the other querier threads where the list was given a shared store (shareHeldTotals),
 * else this thread's own.
 */
const ownHeld = new WeakMap<readonly FlowEdge[], HeldTotals>();
const sharedHeld = new WeakMap<readonly FlowEdge[], HeldTotals>();

/**
 * Held totals of `edgeCount` edges for threads to share: each thread passes the store's buffer to shareHeldTotals,
 * and the owner forgets them all at once (HeldTotals.forget).
 */
export function sharedHeldTotals(edgeCount: number): HeldTotals {
  return new HeldTotals(edgeCount, TOTALS_WIDTH);
}

/** Statements over `edges` hold their totals in `buffer` (a sharedHeldTotals store's), with every thread given it. */
export function shareHeldTotals(edges: readonly FlowEdge[], buffer: SharedArrayBuffer | ArrayBuffer): void {
  sharedHeld.set(edges, new HeldTotals(edges.length, TOTALS_WIDTH, buffer));
}

function heldFor(edges: readonly FlowEdge[]): HeldTotals {
  let store = sharedHeld.get(edges) ?? ownHeld.get(edges);

  if (!store) {
    store = new HeldTotals(edges.length, TOTALS_WIDTH);
    ownHeld.set(edges, store);
  }

  return store;
}

/** windowTotals' answer, valid until its next call (its callers read it at once): no allocation per edge. */
const WINDOW_TOTALS: WindowTotals = new Float64Array(TOTALS_WIDTH);
const WINDOW_MINUTE = new Float64Array(METRICS.length);

function windowTotals(held: HeldTotals, s: EdgeSource, from: number, minutes: number, phases: number): WindowTotals {
  const totals = WINDOW_TOTALS;

  if (held.get(s.index, from, minutes, phases, totals)) {
    return totals;
  }
  const minute = WINDOW_MINUTE;

  for (let m = 0; m < METRICS.length; m++) {
    totals[m * 4] = 0;
    totals[m * 4 + 1] = 0;
    totals[m * 4 + 2] = Infinity;
    totals[m * 4 + 3] = -Infinity;
  }
  for (let i = 0; i < phases; i++) {
    const t = from + i * MINUTE;
    const weight = phaseWeight(minutes, phases, i);

    metricValues(s.edge, minuteFactor(s.key, t), false, minute);
    for (let m = 0; m < METRICS.length; m++) {
      const v = minute[m];

      if (!Number.isNaN(v)) {
        totals[m * 4] += v * weight;
        totals[m * 4 + 1] += weight;
        totals[m * 4 + 2] = Math.min(totals[m * 4 + 2], v);
        totals[m * 4 + 3] = Math.max(totals[m * 4 + 3], v);
      }
    }
  }
  held.put(s.index, from, minutes, phases, totals);

  return totals;
}

function timeBounds(where: Condition): { start: number; end: number; rest: Condition[] } {
  const terms = where.kind === 'and' ? where.parts : [where];
  let start = -Infinity;
  let end = Infinity;
  const rest: Condition[] = [];

  terms.forEach((term) => {
    if (term.kind === 'compare' && term.column === 'time' && typeof term.value === 'number') {
      if (term.op === '>=' || term.op === '>') {
        start = Math.max(start, term.value + (term.op === '>' ? 1 : 0));
      } else if (term.op === '<=' || term.op === '<') {
        end = Math.min(end, term.value - (term.op === '<' ? 1 : 0));
      } else {
        rest.push(term);
      }
    } else {
      rest.push(term);
    }
  });
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new QueryError('a time range (time>=N AND time<=M) is required');
  }

  return { start, end, rest };
}

function compare(a: Value, op: string, b: Literal): boolean {
  if (a === null) {
    return false;
  }
  switch (op) {
  case '=': return a === b;
  case '!=': return a !== b;
  case '<': return a < b;
  case '<=': return a <= b;
  case '>': return a > b;
  default: return a >= b;
  }
}

/** An IN list as a set, made once per statement (a list of a thousand VM addresses is checked on every row). */
const IN_SETS = new WeakMap<Condition, Set<Literal>>();

function inSet(condition: Extract<Condition, { kind: 'in' }>): Set<Literal> {
  let set = IN_SETS.get(condition);

  if (!set) {
    set = new Set(condition.values);
    IN_SETS.set(condition, set);
  }

  return set;
}

/** `c='a' OR c='b' OR …` on one column (how the extension lists addresses) as that column and a set, else null. */
const EQUALS_ANY = new WeakMap<Condition, { column: string; values: Set<Literal> } | null>();

function equalsAny(condition: Extract<Condition, { parts: Condition[] }>): { column: string; values: Set<Literal> } | null {
  let found = EQUALS_ANY.get(condition);

  if (found === undefined) {
    const parts = condition.parts.filter((p): p is Extract<Condition, { kind: 'compare' }> => p.kind === 'compare' && p.op === '=');
    const column = parts[0]?.column;

    found = parts.length === condition.parts.length && parts.every((p) => p.column === column) ? { column, values: new Set(parts.map((p) => p.value)) } : null;
    EQUALS_ANY.set(condition, found);
  }

  return found;
}

/**
 * DeepFlow's stored address columns (fixtures/deepflow-v7.1.8-ddl.json: `is_ipv4` UInt8, `ip4…` IPv4, `ip6…` IPv6)
 * from a row's `ip` tags, which the `ip` tag's recorded translation reads back
 * (`if(is_ipv4=1, IPv4NumToString(ip4_0), IPv6NumToString(ip6_0))`): `is_ipv4` 1 on an IPv4 row (both ends of a
 * row are of one family), an `ip4` column the IPv4 address (0.0.0.0 on an IPv6 row, ClickHouse's IPv4 default),
 * an `ip6` column the IPv6 address (:: on an IPv4 row). A stored column's values are canonical, as the
 * extension writes its literals.
 */
const STORED_ADDRESS = /^(?:is_ipv4|ip([46])(_[01])?)$/;

interface StoredColumn {
  /** '' for is_ipv4. */
  family: '' | '4' | '6';
  /** The row's address tag it is read from. */
  tag: string;
}

type Leaf = Exclude<Condition, { parts: Condition[] }>;

/** The conditions of a statement on stored address columns, resolved once per statement (checkColumns). */
const STORED = new WeakMap<Leaf, StoredColumn>();

/** A stored address column of the table (DeepFlow also describes `is_ipv4` as a tag). */
const isAddressColumn = (table: TableName, name: string) => STORED_ADDRESS.test(name) && storedColumns(table).has(name);

/** Resolves the WHERE conditions on the stored address columns, which the stand-in reads from a row's addresses. */
function resolveStoredColumns(condition: Condition, table: TableName): void {
  if (condition.kind === 'and' || condition.kind === 'or') {
    condition.parts.forEach((p) => resolveStoredColumns(p, table));

    return;
  }
  const leaf = condition as Leaf;
  const m = isAddressColumn(table, leaf.column) ? STORED_ADDRESS.exec(leaf.column) : null;

  if (!m) {
    return;
  }
  // Both ends of a row are of one family: is_ipv4 follows the first end's address.
  STORED.set(leaf, { family: (m[1] ?? '') as StoredColumn['family'], tag: m[2] ? `ip${ m[2] }` : table === 'network' ? 'ip' : 'ip_0' });
}

function storedValue(row: Row, stored: StoredColumn): Value {
  const value = row[stored.tag];
  const ip = typeof value === 'string' ? value : '';
  const isIpv4 = ip.indexOf(':') < 0;

  if (!stored.family) {
    return isIpv4 ? 1 : 0;
  }

  return stored.family === '4' ? (isIpv4 ? ip : '0.0.0.0') : (isIpv4 ? '::' : ip);
}

/** A condition's value in a row: its tag, or a stored address column read from the row's addresses. */
function leafValue(row: Row, condition: Leaf): Value {
  const stored = STORED.get(condition);

  return stored ? storedValue(row, stored) : row[condition.column];
}

function matchesAll(row: Row, conditions: readonly Condition[]): boolean {
  for (const condition of conditions) {
    if (!matches(row, condition)) {
      return false;
    }
  }

  return true;
}

function matchesAny(row: Row, conditions: readonly Condition[]): boolean {
  for (const condition of conditions) {
    if (matches(row, condition)) {
      return true;
    }
  }

  return false;
}

function matches(row: Row, condition: Condition): boolean {
  switch (condition.kind) {
  case 'and': return matchesAll(row, condition.parts);
  case 'or': {
    const any = equalsAny(condition);

    return any ? row[any.column] !== null && any.values.has(row[any.column] as Literal) : matchesAny(row, condition.parts);
  }
  case 'exist': return row[condition.column] !== '' && row[condition.column] !== null && row[condition.column] !== undefined;
  case 'in': return inSet(condition).has(leafValue(row, condition) as Literal);
  default: return compare(leafValue(row, condition), condition.op, condition.value);
  }
}

function columnsOf(condition: Condition): string[] {
  if (condition.kind === 'and' || condition.kind === 'or') {
    return condition.parts.flatMap(columnsOf);
  }

  return [(condition as Exclude<Condition, { parts: Condition[] }>).column];
}

/**
 * The tags and metrics this stand-in makes in its rows (mapRowOf, sideRowOf, metrics, flowRecord): of what DeepFlow
 * describes, a statement may name only these here.
 */
const MODELLED: Record<TableName, ReadonlySet<string>> = {
  network:     new Set(['time', ...ENDPOINT_TAGS, 'protocol', 'server_port', 'role', ...METRICS]),
  network_map: new Set(['time', ...ENDPOINT_TAGS.flatMap((t) => [`${ t }_0`, `${ t }_1`]), 'protocol', 'server_port', ...METRICS]),
  l4_flow_log: new Set([
    'time', ...ENDPOINT_TAGS.flatMap((t) => [`${ t }_0`, `${ t }_1`]), 'protocol', 'server_port', 'client_port', 'start_time', 'end_time',
    'close_type', 'status', 'duration', ...METRICS,
  ]),
};

function checkColumns(statement: Statement, table: TableName): void {
  const described = describedNames(table);
  const known = (name: string) => described.tags.has(name) || described.metrics.has(name);
  // Stored columns pass the translator as written (deepflow-schema.ts), in WHERE only.
  const whereKnown = (name: string) => known(name) || storedColumns(table).has(name);
  const aliases = new Set(statement.select.filter((s) => s.kind !== 'column').map((s) => (s as { alias: string }).alias));
  const names = [
    ...statement.select.map((s) => (s.kind === 'column' ? s.name : s.kind === 'aggregate' ? s.metric : 'time')),
    ...statement.groupBy.filter((g) => !aliases.has(g)),
    ...statement.orderBy.map((o) => o.column).filter((c) => !aliases.has(c)),
  ];
  const whereColumns = columnsOf(statement.where);
  const unknown = names.find((n) => !known(n)) ?? whereColumns.find((n) => !whereKnown(n));

  if (unknown) {
    throw new QueryError(`unknown tag or metric "${ unknown }" in ${ table }`);
  }
  const modelled = (name: string) => MODELLED[table].has(name);
  const unmodelled = names.find((n) => !modelled(n)) ?? whereColumns.find((n) => !modelled(n) && !isAddressColumn(table, n));

  if (unmodelled) {
    throw new QueryError(`the sandbox querier does not model DeepFlow's ${ known(unmodelled) ? '' : 'stored column ' }"${ unmodelled }" in ${ table }`);
  }
  statement.select.forEach((s) => {
    if (s.kind === 'aggregate' && !['Sum', 'Avg', 'Max', 'Min'].includes(s.fn)) {
      throw new QueryError(`function ${ s.fn } is not supported here`);
    }
  });
  resolveStoredColumns(statement.where, table);
}

interface Accumulator {
  keyValues: Row;
  sums: number[];
  counts: number[];
  mins: number[];
  maxs: number[];
  /** What the group's tag rows are visited with, when its group does not change from minute to minute. */
  receiver?: Receiver;
}

/** Sum, Avg, Min or Max (checkColumns refuses others) of a group; null without values, as ClickHouse's Avg/Min/Max. */
function aggregateValue(fn: string, sum: number, count: number, min: number, max: number): number | null {
  if (fn === 'Sum') {
    return sum;
  }
  if (count === 0) {
    return null;
  }

  return fn === 'Avg' ? sum / count : fn === 'Min' ? min : max;
}

/**
 * The rows of one tag row (an edge's side): called once per tag row, it answers with what receives that row's
 * minutes of traffic (or `weight` minutes with the same values, when time does not matter). `metricsAt` is
 * valid during the call only (it is reused): a receiver that keeps it copies it.
 */
type Visit = (tags: Row) => Receiver;

interface Receiver {
  minute: (metricsAt: Row, t: number, weight?: number) => void;
  /** All of a tag row's minutes at once (an aggregate over the whole range); `swap`: from the server's side. */
  totals?: (totals: WindowTotals, swap: boolean) => void;
}

function aggregateRows(statement: Statement, each: (visit: Visit) => void): Row[] {
  const aggregates = statement.select.filter((s): s is Extract<SelectItem, { kind: 'aggregate' }> => s.kind === 'aggregate');
  const bucket = statement.select.find((s): s is Extract<SelectItem, { kind: 'bucket' }> => s.kind === 'bucket');
  const groups = new Map<string, Accumulator>();
  const groupOf = (tags: Row, t: number): Accumulator => {
    const values = statement.groupBy.map((g) => (bucket && g === bucket.alias ? Math.floor(t / bucket.seconds) * bucket.seconds : tags[g]));
    const key = JSON.stringify(values);
    let acc = groups.get(key);

    if (!acc) {
      const keyValues: Row = {};

      statement.groupBy.forEach((g, i) => {
        keyValues[g] = values[i];
      });
      acc = {
        keyValues, sums: aggregates.map(() => 0), counts: aggregates.map(() => 0), mins: aggregates.map(() => Infinity), maxs: aggregates.map(() => -Infinity)
      };
      groups.set(key, acc);
    }

    return acc;
  };
  const add = (acc: Accumulator, row: Row, weight: number) => {
    for (let i = 0; i < aggregates.length; i++) {
      const v = row[aggregates[i].metric];

      if (typeof v === 'number') {
        acc.sums[i] += v * weight;
        acc.counts[i] += weight;
        acc.mins[i] = Math.min(acc.mins[i], v);
        acc.maxs[i] = Math.max(acc.maxs[i], v);
      }
    }
  };

  const metricOf = aggregates.map((a) => METRIC_INDEX.get(a.metric));
  const addTotals = (acc: Accumulator, totals: WindowTotals, swap: boolean) => {
    for (let i = 0; i < aggregates.length; i++) {
      const m = metricOf[i];
      const j = m === undefined ? -1 : (swap ? SWAPPED[m] : m) * 4;

      if (j >= 0 && totals[j + 1] > 0) {
        acc.sums[i] += totals[j];
        acc.counts[i] += totals[j + 1];
        acc.mins[i] = Math.min(acc.mins[i], totals[j + 2]);
        acc.maxs[i] = Math.max(acc.maxs[i], totals[j + 3]);
      }
    }
  };

  each((tags) => {
    if (bucket) {
      return { minute: (row, t, weight = 1) => add(groupOf(tags, t), row, weight) };
    }
    // Without time buckets a tag row's group does not change from minute to minute: found once, and its receiver
    // made once per group (a statement visits up to 100,000 tag rows).
    const acc = groupOf(tags, 0);

    acc.receiver ??= { minute: (row, _t, weight = 1) => add(acc, row, weight), totals: (totals, swap) => addTotals(acc, totals, swap) };

    return acc.receiver;
  });

  const valueOf = (acc: Accumulator, alias: string): Value => {
    const i = aggregates.findIndex((a) => a.alias === alias);

    return i < 0 ? acc.keyValues[alias] ?? null : aggregateValue(aggregates[i].fn, acc.sums[i], acc.counts[i], acc.mins[i], acc.maxs[i]);
  };
  // Tens of thousands of groups, of which LIMIT keeps a few thousand: ordered by their sort columns only, and
  // whole rows made for the groups kept (in the order evaluate's stable sort gives them again).
  const compare = rowOrder(statement.orderBy);
  const kept = [...groups.values()]
    .map((acc) => ({ acc, sort: Object.fromEntries(statement.orderBy.map(({ column }) => [column, valueOf(acc, column)])) as Row }))
    .sort((a, b) => compare(a.sort, b.sort))
    .slice(0, statement.offset + statement.limit);

  return kept.map(({ acc }) => {
    const out: Row = { ...acc.keyValues };

    aggregates.forEach((a, i) => {
      out[a.alias] = aggregateValue(a.fn, acc.sums[i], acc.counts[i], acc.mins[i], acc.maxs[i]);
    });

    return out;
  });
}

/** An edge's minutes in a range starting at minute `first`: the first, how many, and how many a held total visits. */
function edgeMinutes(s: EdgeSource, first: number, end: number, held: boolean): { from: number; minutes: number; phases: number } {
  const from = Math.max(first, s.from);
  const minutes = Math.max(0, Math.floor((Math.min(end, s.to) - from) / MINUTE) + 1);

  return { from, minutes, phases: held ? Math.min(minutes, PERIOD / MINUTE) : minutes };
}

/** Edges a thread claims at a time when it fills the held totals. */
const FILL_CHUNK = 500;

/**
 * Before a statement adds up its edges: the totals of those with a row it reads, computed in chunks that every
 * thread answering a statement over the same range claims in turn (HeldTotals.claim). A page's statements sent
 * together then compute each edge's minutes once between them; each had computed nearly all of them itself.
 */
function fillHeld(held: HeldTotals, list: EdgeSource[], first: number, bounds: { end: number; rest: Condition[] }, sidesOf: 'map' | 'network'): void {
  for (let at = held.claim(first, bounds.end, FILL_CHUNK, list.length); at >= 0; at = held.claim(first, bounds.end, FILL_CHUNK, list.length)) {
    for (let k = at; k < Math.min(list.length, at + FILL_CHUNK); k++) {
      const s = list[k];
      const { from, minutes, phases } = edgeMinutes(s, first, bounds.end, true);

      if (phases && staticsOf(s.edge).sides[sidesOf].some(([row]) => matchesAll(row, bounds.rest))) {
        windowTotals(held, s, from, minutes, phases);
      }
    }
  }
}

/**
 * Calls visit(tags) for every tag row that passes the non-time conditions, and what it answers with for every
 * minute of that row's traffic.
 * With `held` (an aggregate over the whole range: its totals are held there) a minute stands for every minute of
 * the same phase of the PERIOD in the range (visit's weight): the sums are the same, and a week costs what 90
 * minutes do.
 */
function minuteRows(table: TableName, list: EdgeSource[], bounds: { start: number; end: number; rest: Condition[] }, rowSeconds: number, held?: HeldTotals) {
  return (visit: Visit) => {
    const first = Math.ceil(bounds.start / MINUTE) * MINUTE;
    const minute: Row = {};

    const sidesOf = table.startsWith('network_map') ? 'map' : 'network';

    if (held) {
      fillHeld(held, list, first, bounds, sidesOf);
    }
    list.forEach((s) => {
      staticsOf(s.edge).sides[sidesOf].forEach(([staticRow, swap]) => {
        if (!matchesAll(staticRow, bounds.rest)) {
          return;
        }
        const { from, minutes, phases } = edgeMinutes(s, first, bounds.end, !!held);

        if (!phases) {
          // No traffic in the range: the row makes no group.
          return;
        }
        const receiver = visit(staticRow);

        if (held && receiver.totals) {
          receiver.totals(windowTotals(held, s, from, minutes, phases), swap);

          return;
        }
        for (let i = 0; i < phases; i++) {
          const t = from + i * MINUTE;
          const weight = held ? phaseWeight(minutes, phases, i) : 1;

          // A minute of an hourly row is in that row's bucket (its time is the hour's start).
          receiver.minute(metrics(s.edge, minuteFactor(s.key, t), swap, minute), t - (t % rowSeconds), weight);
        }
      });
    });
  };
}

const isoMicros = (seconds: number) => new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${ String(Math.round((seconds % 1) * 1e6)).padStart(6, '0') }Z`);

/** One flow record of an edge, closed near `t` (one every FLOW_PERIOD). */
function flowTimes(s: EdgeSource, t: number): { end: number; durationUs: number; jitter: number } {
  const jitter = (s.key + t) % 97;

  return { end: t - jitter, durationUs: (1 + ((s.key + t) % 240)) * 1e6 + jitter * 1013, jitter };
}

function flowRecord(s: EdgeSource, staticRow: Row, t: number): Row {
  const { end, durationUs } = flowTimes(s, t);
  const m = metrics(s.edge, minuteFactor(s.key, t) * (durationUs / 60e6), false);

  return {
    ...staticRow,
    ...m,
    time:        end,
    start_time:  end - durationUs / 1e6,
    end_time:    end,
    client_port: 32768 + ((s.key + t) % 28000),
    duration:    durationUs,
    close_type:  s.edge.tcpEstablishFail ? 2 : 1,
    status:      s.edge.tcpEstablishFail ? 3 : 0,
  };
}

const TIME_COLUMNS = new Set(['time', 'start_time', 'end_time', 'duration']);

interface FlowCandidate { s: EdgeSource; staticRow: Row; t: number; sort: Row }

/**
 * The flow records of the range in `orderBy` order, at least the first `keep` of them. A week holds hundreds of
 * thousands: ordered by time only the sort columns are computed, and the candidates are cut back to `keep`
 * whenever they grow large (the sort is stable, so ties keep their order); whole rows are built for the rest.
 */
function flowRows(list: EdgeSource[], bounds: { start: number; end: number; rest: Condition[] }, orderBy: Statement['orderBy'], keep: number): Row[] {
  let candidates: FlowCandidate[] = [];
  let worst: Row | undefined;
  const cutAt = 2 * keep + 1024;
  const first = Math.ceil(bounds.start / FLOW_PERIOD) * FLOW_PERIOD;
  const byTime = orderBy.every((o) => TIME_COLUMNS.has(o.column));
  const compare = rowOrder(orderBy);
  const sortCandidates = () => candidates.sort((a, b) => compare(a.sort, b.sort));

  list.forEach((s) => {
    const staticRow = staticsOf(s.edge).mapRow;

    if (!matchesAll(staticRow, bounds.rest)) {
      return;
    }
    for (let t = Math.max(first, s.from); t <= Math.min(bounds.end, s.to); t += FLOW_PERIOD) {
      const { end, durationUs } = flowTimes(s, t);

      if (end < bounds.start) {
        continue;
      }
      if (candidates.length >= cutAt) {
        candidates = sortCandidates().slice(0, keep);
        worst = candidates[candidates.length - 1]?.sort;
      }
      const sort = byTime ? {
        time: end, end_time: end, start_time: end - durationUs / 1e6, duration: durationUs
      } : flowRecord(s, staticRow, t);

      // After a cut, a record that sorts after the last one kept (or ties it, coming later) is never returned.
      if (worst && compare(sort, worst) >= 0) {
        continue;
      }
      candidates.push({
        s, staticRow, t, sort
      });
    }
  });

  return sortCandidates().map((c) => (byTime ? flowRecord(c.s, c.staticRow, c.t) : c.sort));
}

function rowOrder(orderBy: Statement['orderBy']): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const { column, dir } of orderBy) {
      const x = a[column];
      const y = b[column];

      if (x !== y) {
        const less = x === null || (y !== null && x < y);

        return (less ? -1 : 1) * (dir === 'asc' ? 1 : -1);
      }
    }

    return 0;
  };
}

function sortRows(rows: Row[], orderBy: Statement['orderBy']): Row[] {
  return rows.sort(rowOrder(orderBy));
}

function outputName(item: SelectItem): string {
  return item.kind === 'column' ? item.name : item.alias;
}

function schemaOf(values: Value[][], index: number): Record<string, string> {
  const sample = values.find((row) => row[index] !== null)?.[index];
  const type = typeof sample === 'number' ? (Number.isInteger(sample) ? 'Int' : 'Float64') : 'String';

  return {
    label_type: '', pre_as: '', unit: '', value_type: type
  };
}

/**
 * The minutes a statement on rows of `rowSeconds` reads: the rows whose start is in the range (ClickHouse filters on
 * a row's `time`, its start), each with every minute of its row up to now.
 */
function rowBounds(bounds: ReturnType<typeof timeBounds>, rowSeconds: number, nowSeconds: number): ReturnType<typeof timeBounds> {
  if (rowSeconds === MINUTE) {
    return bounds;
  }

  return {
    ...bounds,
    start: Math.ceil(bounds.start / rowSeconds) * rowSeconds,
    end:   Math.min(Math.floor(bounds.end / rowSeconds) * rowSeconds + rowSeconds - 1, nowSeconds),
  };
}

function evaluate(statement: Statement, edges: FlowEdge[], nowSeconds: number, rowSeconds: number): { columns: string[]; values: Value[][] } {
  const table = statement.table as TableName;

  checkColumns(statement, table);
  const hasAggregates = statement.select.some((s) => s.kind !== 'column');

  if (rowSeconds !== MINUTE && (!hasAggregates || statement.select.some((s) => s.kind === 'aggregate' && !['Sum', 'Avg'].includes(s.fn)))) {
    // Such an answer depends on each row's own values, which this stand-in does not make for rollups.
    throw new QueryError('the sandbox querier answers hourly rows with Sum and Avg aggregates only');
  }
  const bounds = rowBounds(timeBounds(statement.where), rowSeconds, nowSeconds);
  const list = sources(edges, nowSeconds);
  let rows: Row[];

  if (table === 'l4_flow_log') {
    rows = flowRows(list, bounds, statement.orderBy, statement.offset + statement.limit);
  } else if (hasAggregates) {
    const bucketed = statement.select.some((s) => s.kind === 'bucket');

    rows = aggregateRows(statement, minuteRows(table, list, bounds, rowSeconds, bucketed ? undefined : heldFor(edges)));
  } else {
    rows = [];
    minuteRows(table, list, bounds, rowSeconds)((tags) => ({ minute: (m, t) => rows.push({ ...tags, ...m, time: t }) }));
  }
  const page = sortRows(rows, statement.orderBy).slice(statement.offset, statement.offset + statement.limit);
  const columns = statement.select.map(outputName);
  const timeColumns = new Set(['start_time', 'end_time']);
  const values = page.map((row) => columns.map((c) => {
    const v = row[c] ?? (c.endsWith('rtt') ? null : '');

    return timeColumns.has(c) && typeof v === 'number' ? isoMicros(v) : v;
  }));

  return { columns, values };
}

const DB_OF: Record<TableName, string> = { network: 'flow_metrics', network_map: 'flow_metrics', l4_flow_log: 'flow_log' };

/**
 * The flow_metrics.network* data sources of a fresh DeepFlow v7.1.8 install (server/controller/db/metadb/migrator/
 * schema/rawsql/mysql/dml_insert.sql: ids 1 "1s", 2 "1m", 21 "1h", 22 "1d"), whose tables the ingester creates
 * (`network.1m`, `network.1h`, …: tests/contract/fixtures/deepflow-v7.1.8-ddl.json).
 */
const PRECISIONS = ['1s', '1m', '1h', '1d'];

/**
 * The seconds one row covers, for the precisions this stand-in models (what the extension reads). An hourly row
 * holds the sums of its hour's minute rows: `<table>.1h_mv` inserts the minute rows' sumState per
 * toStartOfHour(time) (the recorded DDL), and the querier's Sum and Avg over the rollup read the finalized sums.
 */
const ROW_SECONDS: Record<string, number> = { '1m': MINUTE, '1h': 3600 };

function firstAggregate(statement: Statement): string {
  const a = statement.select.find((s): s is Extract<SelectItem, { kind: 'aggregate' }> => s.kind === 'aggregate');

  return a ? `${ a.fn }(${ a.metric })` : statement.select.map((s) => (s.kind === 'column' ? s.name : s.alias)).join(', ');
}

function ipListInCondition(condition: Condition): Extract<Condition, { kind: 'in' }> | undefined {
  if (condition.kind === 'and' || condition.kind === 'or') {
    return condition.parts.map(ipListInCondition).find(Boolean);
  }

  return condition.kind === 'in' && /^ip(_[01])?$/.test(condition.column) && condition.values.length > 1 ? condition : undefined;
}

/** The checks DeepFlow v7.1.8 fails a statement on, in the order its code path meets them. */
function checkLikeDeepFlow(db: string, precision: string, sql: string): Statement {
  // engine/clickhouse/clickhouse.go ExecuteQuery -> QuerySlimitSql -> ParseSlimitSql: any text containing
  // "SLIMIT" or "slimit" (strings.Contains, so also inside a string literal) is rewritten around its SLIMIT
  // keyword, which our statements do not have: the rewrite fails (or panics) and the query fails.
  if (sql.includes('SLIMIT') || sql.includes('slimit')) {
    throw new QueryPanic('runtime error: index out of range [1] with length 1');
  }
  let statement: Statement;

  try {
    statement = parseStatement(sql);
  } catch (err) {
    if (err instanceof SqlSyntaxError) {
      // engine/clickhouse/clickhouse.go: sqlparser.Parse errors are returned as they are (JsonResponse -> 500 FAIL).
      throw new QueryError(`syntax error: ${ err.message }`);
    }
    throw err;
  }
  const table = statement.table;

  if (table.includes('.')) {
    // The querier knows the bare table names only (db_descriptions/clickhouse/metrics/flow_metrics/network,
    // network_map); with `network.1m` in FROM the metric lookup finds nothing and GetMetrics fails the
    // select (engine/clickhouse/clickhouse.go parseSelectAlias: "function: %s not support").
    throw new QueryError(`function: ${ firstAggregate(statement) } not support`);
  }
  if (!Object.prototype.hasOwnProperty.call(DB_OF, table)) {
    throw new QueryError(`table ${ db }.${ table } not found`);
  }
  if (DB_OF[table as TableName] !== db) {
    throw new QueryError(`table ${ table } is not in database ${ db }`);
  }
  // engine/clickhouse/clickhouse.go TransFrom: the table is `<db>.\`<table>.<data_precision>\`` when the
  // data_precision form field (router/query.go executeQuery -> args.DataSource) is set, else `<db>.\`<table>\``.
  // flow_metrics stores network / network_map only per precision, flow_log l4_flow_log only bare, so any
  // other combination names a table ClickHouse does not have.
  const stored = precision ? `${ table }.${ precision }` : table;

  if (db === 'flow_metrics' ? !PRECISIONS.includes(precision) : precision !== '') {
    throw new QueryError(`code: 60, message: Table ${ db }.${ stored } does not exist. (UNKNOWN_TABLE)`);
  }
  if (db === 'flow_metrics' && !ROW_SECONDS[precision]) {
    throw new QueryError(`the sandbox querier models ${ Object.keys(ROW_SECONDS).join(' and ') } rows only, not ${ precision }`);
  }
  // engine/clickhouse/tag/translation.go: ip, ip_0, ip_1 filters translate to
  // `if(is_ipv4=1, ip4 %s toIPv4OrNull(%s), ip6 %s toIPv6OrNull(%s))`, so `ip IN ('a', 'b')` becomes
  // toIPv4OrNull(('a', 'b')): the translator accepts it, ClickHouse refuses the tuple argument.
  const ipList = ipListInCondition(statement.where);

  if (ipList) {
    throw new QueryError(`code: 43, message: Illegal type Tuple(${ ipList.values.map(() => 'String').join(', ') }) of first argument of function toIPv4OrNull. (ILLEGAL_TYPE_OF_ARGUMENT)`);
  }

  return statement;
}

export interface QuerierOptions {
  /**
   * The shapes DeepFlow's translator accepted. Default: the recorded contract
   * (tests/contract/shape.ts loadShapeContract); null turns the gate off (unit tests of the evaluation).
   */
  contract?: ShapeContract | null;
}

let recordedContract: ShapeContract | undefined;

function defaultContract(): ShapeContract {
  recordedContract ??= loadShapeContract();

  return recordedContract;
}

/** router/response.go InternalErrorResponse: HTTP 500, OPT_STATUS "FAIL" (common.FAIL), the error as DESCRIPTION. */
function fail(description: string): QuerierAnswer {
  return {
    status: 500,
    body:   {
      OPT_STATUS: 'FAIL', DESCRIPTION: description, result: null, debug: null
    }
  };
}

/**
 * querier/querier.go ErrHandle recovers a panic with BadRequestResponse (HTTP 400, OPT_STATUS
 * "SERVER_ERROR", the panic as DESCRIPTION) and then writes `{}` after it: two JSON documents in one body
 * (recorded from DeepFlow v7.1.8 for the slimit probe).
 */
function panicked(description: string): QuerierAnswer {
  return {
    status: 400,
    body:   {
      OPT_STATUS: 'SERVER_ERROR', DESCRIPTION: description, result: null, debug: null
    },
    trailer: '{}'
  };
}

/**
 * DeepFlow's agent statistics (database deepflow_tenant, see AGENT_TABLES in flows/schema.ts): the two
 * statements of the Overview's agent table, answered per seeded node. The querier translates them into one
 * SELECT over deepflow_tenant.deepflow_collector grouped by the `host` tag (recorded in the contract). Every
 * agent reports every 10 s; harvester-node-2's agent drops packets in the kernel and in its flow map.
 */
const AGENT_STATEMENT = new RegExp(
  '^SELECT `tag\\.host` AS host, (.+) FROM (deepflow_agent_dispatcher|deepflow_agent_flow_map) ' +
  'WHERE time>=(\\d+) AND time<=(\\d+) GROUP BY `tag\\.host` LIMIT (\\d+)$'
);

const AGENT_METRICS: Record<string, (host: string, samples: number) => number> = {
  rx:               (host, n) => n * (host === NODES[0].name ? 12000 : 8000),
  kernel_drops:     (host, n) => (host === NODES[2].name ? 3 * n : 0),
  drop_by_window:   () => 0,
  drop_by_capacity: (host, n) => (host === NODES[2].name ? n : 0),
};

function answerAgentStatistics(sql: string, nowSeconds: number): { columns: string[]; values: Value[][] } {
  const m = AGENT_STATEMENT.exec(sql);

  if (!m) {
    throw new QueryError(`syntax error: unsupported statement on deepflow_tenant`);
  }
  const [, select, , start, end] = m;
  const samples = Math.max(0, Math.floor((Math.min(Number(end), nowSeconds) - Number(start)) / 10));
  const items = select.split(', ').map((item) => {
    const agg = /^Sum\(`metrics\.(\w+)`\) AS (\w+)$/.exec(item);

    if (agg && AGENT_METRICS[agg[1]]) {
      return { alias: agg[2], value: (host: string) => AGENT_METRICS[agg[1]](host, samples) };
    }
    if (/^Max\(time\) AS last_seen$/.test(item)) {
      return { alias: 'last_seen', value: () => Math.min(Number(end), nowSeconds) - 5 };
    }
    throw new QueryError(`function: ${ item } not support`);
  });

  return {
    columns: ['host', 'tag.host', ...items.map((i) => i.alias)],
    values:  samples ? NODES.map((n) => [n.name, n.name, ...items.map((i) => i.value(n.name))]) : [],
  };
}

/**
 * DeepFlow's list of registered agents (`show tag agent values`, answered from the flow_tag.vtap_map
 * dictionary: columns value = agent ID, display_name = name). Every seeded node's agent is registered, named
 * as the controller names a pod-node agent, `<node>-P<pod node id>` (trisolaris/vtap/vtap_discovery.go, v7.1.8).
 */
const AGENT_LIST_STATEMENT = /^show tag agent values from l4_flow_log$/;

function answerAgentList(): { columns: string[]; values: Value[][] } {
  return { columns: ['value', 'display_name'], values: NODES.map((n, i) => [i + 1, `${ n.name }-P${ i + 1 }`]) };
}

/** The querier's answer to one form-encoded request. */
export function answerQuerier(form: URLSearchParams, edges: FlowEdge[], now: Date, options: QuerierOptions = {}): QuerierAnswer {
  const db = form.get('db') ?? '';
  const sql = form.get('sql') ?? '';
  const precision = form.get('data_precision') ?? '';

  try {
    if (!db || !sql) {
      // router/query.go executeQuery passes empty fields on to service.Execute, which fails them.
      throw new QueryError('db and sql are required');
    }
    const contract = options.contract === undefined ? defaultContract() : options.contract;
    const gate = () => {
      if (contract && !contract.shapes.has(shapeKey({ db, data_precision: precision, sql }))) {
        throw new QueryError(`statement shape not in the ${ contract.source }: DeepFlow's translator was never recorded accepting it ` +
          '(add it to tests/contract/statements.ts and re-record with scripts/record-deepflow-contract.sh)');
      }
    };
    let answer: { columns: string[]; values: Value[][] };

    if (db === 'deepflow_tenant') {
      gate();
      answer = answerAgentStatistics(sql, Math.floor(now.getTime() / 1000));
    } else if (db === 'flow_log' && AGENT_LIST_STATEMENT.test(sql)) {
      gate();
      answer = answerAgentList();
    } else {
      const statement = checkLikeDeepFlow(db, precision, sql);

      gate();
      answer = evaluate(statement, edges, Math.floor(now.getTime() / 1000), ROW_SECONDS[precision] ?? MINUTE);
    }
    const { columns, values } = answer;

    return {
      status: 200,
      body:   {
        OPT_STATUS: 'SUCCESS', DESCRIPTION: '', result: { columns, values, schemas: columns.map((_, i) => schemaOf(values, i)) }, debug: null
      }
    };
  } catch (err) {
    const message = String((err as Error)?.message || err);

    return err instanceof QueryPanic ? panicked(message) : fail(message);
  }
}
