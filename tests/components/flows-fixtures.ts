/**
 * Shared fixtures of the flow view tests: a small Harvester cluster in the store, a fake
 * window.fetch that answers like DeepFlow's querier (routed by the SQL it receives) and counts
 * calls, and a recording 2D canvas context (jsdom has none).
 */
import { TYPES } from '@pkg/domain/stack/constants';
import { EDGE_COLUMNS, FLOW_RECORD_COLUMNS } from '@pkg/domain/flows/query/queries';
import { fakeStore } from '../support/mount';
import {
  healthyWorkloads, addon, nodes as stackNodes
} from '../fixtures/stack/objects';
import {
  nad, node, pod, service, vm, vmi
} from '../fixtures/querier/cluster';

export const HOSTILE = '<img src=x onerror="window.__hacked=1">\'"';

export function clusterObjects() {
  return {
    [TYPES.vm]: [
      vm('vms', 'web-1', [{ name: 'default' }, { name: 'nic1', multus: 'vms/vlan100' }]),
      vm('vms', 'db-1', [{ name: 'nic1', multus: 'vms/vlan200' }]),
      vm('vms', 'stopped', [{ name: 'default' }]),
    ],
    [TYPES.vmi]: [
      vmi('vms', 'web-1', [{ name: 'default', ips: ['10.52.0.10'] }, { name: 'nic1', multus: 'vms/vlan100', ips: ['192.168.100.10'] }]),
      vmi('vms', 'db-1', [{ name: 'nic1', multus: 'vms/vlan200', ips: ['192.168.100.11'] }]),
    ],
    [TYPES.pod]: [
      pod('vms', 'virt-launcher-web-1-abcde', '10.52.0.10', { launcherFor: 'web-1' }),
      pod('shop', 'web-0', '10.52.1.20'),
      pod('shop', 'web-1', '10.52.1.21'),
    ],
    [TYPES.node]:      [node('node-1', '10.0.0.11'), node('node-2', '10.0.0.12')],
    [TYPES.service]:   [service('shop', 'db', ['10.53.0.10'])],
    [TYPES.nad]:       [nad('vms', 'vlan100', 100), nad('vms', 'vlan200', 200)],
    [TYPES.namespace]: ['vms', 'shop', 'default'].map((name) => ({ metadata: { name } })),
  } as Record<string, unknown[]>;
}

interface StoreOptions {
  installed?: boolean;
  /** Types whose list is refused. */
  forbidden?: string[];
  objects?: Record<string, unknown[]>;
  find?: (type: string, id: string) => unknown;
  /** The pod list answers once this settles (a large cluster's slow list). */
  podsAfter?: Promise<void>;
  /** The stack's Addon list answers once this settles. */
  stackAfter?: Promise<void>;
  /** The node list answers once this settles (a large cluster's hundred nodes). */
  nodesAfter?: Promise<void>;
}

/** A gate for flowStore's `podsAfter` (or `stackAfter`, `nodesAfter`): the list answers when `podsListed` is called. */
export function podsGate() {
  let podsListed = () => undefined as void;
  const gate = new Promise<void>((resolve) => {
    podsListed = resolve;
  });

  return { gate, podsListed };
}

export function flowStore(options: StoreOptions = {}) {
  const workloads = healthyWorkloads();
  const stack: Record<string, unknown[]> = options.installed === false ? { [TYPES.node]: stackNodes(2) } : {
    [TYPES.addon]:       [addon('AddonDeploySuccessful')],
    [TYPES.daemonSet]:   workloads.filter((w) => w.kind === 'DaemonSet'),
    [TYPES.deployment]:  workloads.filter((w) => w.kind === 'Deployment'),
    [TYPES.statefulSet]: workloads.filter((w) => w.kind === 'StatefulSet'),
    [TYPES.node]:        stackNodes(2),
  };
  const objects = options.objects ?? clusterObjects();

  return fakeStore({
    getters:  { 'harvester/all': (type: string) => stack[type] || [], 'prefs/theme': 'light' },
    dispatch: (action: string, payload?: any) => {
      if (options.forbidden?.includes(payload?.type)) {
        return Promise.reject({ _status: 403, message: 'forbidden' });
      }
      if (action === 'harvester/find') {
        const found = options.find ? options.find(payload.type, payload.id) : (objects[payload.type] ?? []).find((o: any) => `${ o.metadata?.namespace }/${ o.metadata?.name }` === payload.id);

        return found ? Promise.resolve(found) : Promise.reject({ _status: 404, message: 'not found' });
      }
      if (action === 'harvester/findAll') {
        // The stack loader lists some of these types too; it only needs arrays. Like a store that holds the whole
        // list, this one answers a labelSelector read with every object (the caller picks).
        const list = objects[payload.type] ?? stack[payload.type] ?? [];
        const gates: Record<string, Promise<void> | undefined> = { [TYPES.addon]: options.stackAfter, [TYPES.node]: options.nodesAfter };
        const slow = payload.type === TYPES.pod && !payload.opt?.labelSelector ? options.podsAfter : gates[payload.type];

        return slow ? slow.then(() => list) : Promise.resolve(list);
      }

      return Promise.resolve([]);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Querier answers

export function querierBody(columns: string[], values: unknown[][]) {
  return JSON.stringify({
    OPT_STATUS: 'SUCCESS', DESCRIPTION: '', result: { columns, values, schemas: [] }
  });
}

const EDGE_COLUMN_NAMES = Object.values(EDGE_COLUMNS).map((c) => c.column);

/** One network_map row; keys are the querier's column names. */
export function edgeValues(partial: Record<string, unknown>): unknown[] {
  const defaults: Record<string, unknown> = {
    protocol: 6, server_port: 80, sum_byte: 0, sum_byte_tx: 0, sum_byte_rx: 0, sum_packet_tx: 1, sum_packet_rx: 1, avg_rtt: null, sum_retrans: 0, sum_tcp_establish_fail: 0, sum_new_flow: 1
  };

  return EDGE_COLUMN_NAMES.map((c) => (c in partial ? partial[c] : c in defaults ? defaults[c] : ''));
}

export function edgesBody(rows: Record<string, unknown>[]) {
  return querierBody(EDGE_COLUMN_NAMES, rows.map(edgeValues));
}

export const DEFAULT_EDGES: Record<string, unknown>[] = [
  // VM web-1 (pod network) -> pod shop/web-0
  {
    ip_0: '10.52.0.10', ip_1: '10.52.1.20', server_port: 8080, sum_byte_tx: 4000, sum_byte_rx: 6000, sum_packet_tx: 40, sum_packet_rx: 60, avg_rtt: 300, sum_new_flow: 5
  },
  // VM web-1 (VLAN 100) -> VM db-1 (VLAN 200)
  {
    ip_0: '192.168.100.10', ip_1: '192.168.100.11', server_port: 5432, sum_byte_tx: 20000, sum_byte_rx: 80000, sum_packet_tx: 100, sum_packet_rx: 200, avg_rtt: 30000, sum_retrans: 9, sum_new_flow: 3
  },
  // pod shop/web-1 -> Service shop/db
  {
    ip_0: '10.52.1.21', ip_1: '10.53.0.10', server_port: 5432, sum_byte_tx: 100, sum_byte_rx: 200, sum_new_flow: 7
  },
  // pod -> public DNS
  {
    ip_0: '10.52.1.20', ip_1: '8.8.8.8', protocol: 17, server_port: 53, sum_byte_tx: 50, sum_byte_rx: 150, sum_new_flow: 20
  },
  // an in-cluster address that matches no object
  {
    ip_0: '10.52.9.9', ip_1: '10.52.1.20', sum_byte_tx: 5, sum_byte_rx: 5
  },
  // hostile DeepFlow tags on an unknown pod
  {
    ip_0: '10.99.0.1', ip_1: '10.52.1.20', pod_0: HOSTILE, pod_ns_0: `ns-${ HOSTILE }`, sum_byte_tx: 10, sum_byte_rx: 10
  },
];

export type TalkerGroup = 'address' | 'pod' | 'namespace';

export const TALKER_METRIC_COLUMNS = ['sum_byte_tx', 'sum_byte_rx', 'sum_byte', 'sum_packet', 'sum_new_flow'];

/** Which talker query a statement is, by its GROUP BY (topTalkersQuery). */
export function talkerGroupOf(sql: string): TalkerGroup {
  if (/GROUP BY ip, pod_ns\b/.test(sql)) {
    return 'address';
  }

  return /GROUP BY pod_ns, pod\b/.test(sql) ? 'pod' : 'namespace';
}

/**
 * The talker query's answer, per grouping:
 * - address (VM NICs, with pod_ns): VM web-1's two addresses, one also with tagged traffic, and VM db-1;
 * - pod: shop/web-1 (few bytes, many connections), shop/web-0;
 * - namespace: shop, and vms' tagged traffic (its VMs' untagged traffic comes from the address rows).
 */
export function talkersBody(group: TalkerGroup = 'address') {
  const rows: Record<TalkerGroup, { columns: string[]; values: unknown[][] }> = {
    address: {
      columns: ['ip', 'pod_ns'],
      values:  [
        ['192.168.100.10', '', 20000, 80000, 100000, 300, 3],
        ['10.52.0.10', '', 4000, 6000, 10000, 100, 5],
        ['10.52.0.10', 'vms', 200, 300, 500, 4, 1],
        ['192.168.100.11', '', 80000, 20000, 100000, 300, 3],
      ],
    },
    pod: {
      columns: ['pod_ns', 'pod'],
      values:  [
        ['shop', 'web-0', 6050, 4150, 10200, 104, 25],
        ['shop', 'web-1', 100, 200, 300, 2, 700],
      ],
    },
    namespace: {
      columns: ['pod_ns'],
      values:  [
        ['shop', 6150, 4350, 10500, 106, 725],
        ['vms', 200, 300, 500, 4, 1],
      ],
    },
  };
  const { columns, values } = rows[group];

  return querierBody([...columns, ...TALKER_METRIC_COLUMNS], values);
}

export function seriesBody(nowSeconds = Math.floor(Date.now() / 1000)) {
  const t = nowSeconds - (nowSeconds % 60) - 600;

  return querierBody(['time_bucket', 'sum_byte_tx', 'sum_byte_rx', 'sum_packet', 'sum_new_flow', 'sum_retrans'], [
    [t, 1000, 2000, 30, 2, 0],
    [t + 60, 3000, 1000, 30, 2, 1],
  ]);
}

const RECORD_COLUMN_NAMES = Object.values(FLOW_RECORD_COLUMNS).map((c) => c.column);

export function recordsBody(count = 2) {
  const now = Math.floor(Date.now() / 1000);
  const row = (i: number): Record<string, unknown> => ({
    start_time:  now - 100 - i,
    end_time:    now - 90 - i,
    ip_0:        '10.52.0.10',
    ip_1:        '10.52.1.20',
    client_port: 40000 + i,
    server_port: 8080,
    protocol:    6,
    pod_0:       i === 0 ? HOSTILE : '',
    pod_ns_0:    i === 0 ? 'shop' : '',
    byte:        1000 + i,
    byte_tx:     400,
    byte_rx:     600 + i,
    packet:      10,
    rtt:         250,
    duration:    1000000,
    retrans:     0,
    close_type:  1,
    status:      0,
  });

  return querierBody(RECORD_COLUMN_NAMES, Array.from({ length: count }, (_, i) => RECORD_COLUMN_NAMES.map((c) => row(i)[c] ?? '')));
}

/** A successful answer without rows, with the columns the query of `kind` selects. */
export function emptyBody(kind: QueryKind): string {
  const columns: Record<QueryKind, string[]> = {
    edges:   EDGE_COLUMN_NAMES,
    talkers: ['ip', 'pod_ns', ...TALKER_METRIC_COLUMNS],
    series:  ['time_bucket', 'sum_byte_tx', 'sum_byte_rx', 'sum_packet', 'sum_new_flow', 'sum_retrans'],
    records: RECORD_COLUMN_NAMES,
  };

  return querierBody(columns[kind], []);
}

export type QueryKind = 'edges' | 'talkers' | 'series' | 'records';

export function kindOf(sql: string): QueryKind {
  if (sql.includes('l4_flow_log')) {
    return 'records';
  }
  if (sql.includes('network_map')) {
    return 'edges';
  }
  if (sql.includes('time_bucket')) {
    return 'series';
  }

  return 'talkers';
}

export interface Answer {
  status: number;
  body: string;
}

export interface FetchCall {
  url: string;
  sql: string;
  /** The data_precision form field ('' when not sent). */
  precision: string;
  kind: QueryKind;
  /** For talker queries: what they group by. */
  talkers?: TalkerGroup;
  signal: AbortSignal;
  headers: Record<string, string>;
}

/**
 * Expects a flow_metrics statement over `seconds` ending now on rows of `precision`: from the start of the first row
 * (view-time.ts queryWindowFor), so up to one row longer.
 */
export function expectWindow(call: FetchCall, seconds: number, precision: '1m' | '1h'): void {
  const [, start, end] = /time>=(\d+) AND time<=(\d+)/.exec(call.sql) as RegExpExecArray;
  const row = precision === '1h' ? 3600 : 60;

  expect(call.precision).toBe(precision);
  expect(Number(start) % row).toBe(0);
  expect(Number(end) - Number(start) - seconds).toBeGreaterThanOrEqual(0);
  expect(Number(end) - Number(start) - seconds).toBeLessThan(row);
}

/** Installs a fake window.fetch answering per query kind; `pending` answers never settle. */
export function fakeQuerier(answers: Partial<Record<QueryKind, Answer | 'pending'>> = {}) {
  const calls: FetchCall[] = [];
  const defaults: Record<QueryKind, Answer> = {
    edges:   { status: 200, body: edgesBody(DEFAULT_EDGES) },
    talkers: { status: 200, body: '' },
    series:  { status: 200, body: seriesBody() },
    records: { status: 200, body: recordsBody() },
  };

  (window as any).fetch = jest.fn((url: string, init: any) => {
    const form = new URLSearchParams(init.body);
    const sql = form.get('sql') || '';
    const kind = kindOf(sql);
    const talkers = kind === 'talkers' ? talkerGroupOf(sql) : undefined;

    calls.push({
      url, sql, precision: form.get('data_precision') ?? '', kind, ...(talkers ? { talkers } : {}), signal: init.signal, headers: init.headers
    });
    const answer = answers[kind] ?? (talkers ? { status: 200, body: talkersBody(talkers) } : defaults[kind]);

    if (answer === 'pending') {
      return new Promise(() => undefined);
    }

    return Promise.resolve({ status: answer.status, text: async() => answer.body });
  });

  return calls;
}

// ---------------------------------------------------------------------------------------------
// Canvas

export interface CanvasRecorder {
  texts: string[];
  strokes: number;
}

/** A 2D context that records what is painted; returns the recorder. */
export function fakeCanvas(): CanvasRecorder {
  const recorder: CanvasRecorder = { texts: [], strokes: 0 };
  const noop = () => undefined;
  const ctx: Record<string, unknown> = {
    setTransform: noop,
    clearRect:    noop,
    beginPath:    noop,
    moveTo:       noop,
    lineTo:       noop,
    arc:          noop,
    closePath:    noop,
    fill:         noop,
    stroke:       () => {
      recorder.strokes++;
    },
    strokeText:  noop,
    fillText:    (text: string) => {
      recorder.texts.push(text);
    },
    // For the traffic map's label placement and layer.
    measureText: (text: string) => ({ width: text.length * 7 }),
    setLineDash: noop,
    fillRect:    noop,
    strokeRect:  noop,
    drawImage:   noop,
  };

  (HTMLCanvasElement.prototype as any).getContext = () => ctx;

  return recorder;
}

export const LabeledSelectStub = {
  props:    ['value', 'options', 'label'],
  emits:    ['update:value'],
  template: `<select :data-label="label" :value="value" @change="$emit('update:value', $event.target.value)">
    <option v-for="o in options" :key="o.value" :value="o.value">{{ o.label }}</option>
  </select>`,
};

export const stubs = { LabeledSelect: LabeledSelectStub };
