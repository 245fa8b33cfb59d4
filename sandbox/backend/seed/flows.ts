/**
 * Flow data the querier mock aggregates: client/server endpoint pairs (DeepFlow's network_map
 * rows) with per-minute traffic rates. Talk patterns follow the seeded applications (frontends
 * call backends, everything resolves DNS, VMs talk to each other and the internet).
 */
import { FlowEndpoint } from './cluster';
import { hashString, pick } from './random';
import { seededRandom } from './seeded-random';

export interface FlowEdge {
  client: FlowEndpoint;
  server: FlowEndpoint;
  protocol: number;
  serverPort: number;
  /** Per minute. */
  byteTx: number;
  byteRx: number;
  packetTx: number;
  packetRx: number;
  newFlow: number;
  retrans: number;
  tcpEstablishFail: number;
  /** Microseconds. */
  rtt: number;
}

export const TCP = 6;
export const UDP = 17;

interface Pattern { from: (e: FlowEndpoint) => boolean; to: (e: FlowEndpoint) => boolean; port: number; protocol?: number; fanOut: number; volume: number }

const app = (name: string) => (e: FlowEndpoint) => e.app === name;
const role = (r: FlowEndpoint['role']) => (e: FlowEndpoint) => e.role === r;
const vm = (prefix: string) => (e: FlowEndpoint) => e.role === 'vm' && e.app.split('/')[1]?.startsWith(prefix);

const PATTERNS: Pattern[] = [
  {
    from: app('shop/frontend'), to: app('shop/cart'), port: 8080, fanOut: 3, volume: 4e6
  },
  {
    from: app('shop/frontend'), to: app('shop/catalog'), port: 8080, fanOut: 3, volume: 6e6
  },
  {
    from: app('shop/frontend'), to: app('shop/checkout'), port: 8080, fanOut: 2, volume: 2e6
  },
  {
    from: app('shop/checkout'), to: app('shop/postgres'), port: 5432, fanOut: 2, volume: 3e6
  },
  {
    from: app('shop/cart'), to: app('shop/redis'), port: 6379, fanOut: 2, volume: 1e6
  },
  {
    from: app('shop/checkout'), to: app('payments/gateway'), port: 8443, fanOut: 2, volume: 1.5e6
  },
  {
    from: app('payments/gateway'), to: app('payments/ledger'), port: 9000, fanOut: 3, volume: 2e6
  },
  {
    from: app('payments/gateway'), to: app('payments/fraud'), port: 9000, fanOut: 2, volume: 1e6
  },
  {
    from: app('analytics/ingest'), to: app('analytics/kafka'), port: 9092, fanOut: 3, volume: 2e7
  },
  {
    from: app('analytics/worker'), to: app('analytics/kafka'), port: 9092, fanOut: 2, volume: 8e6
  },
  {
    from: app('analytics/kafka'), to: app('analytics/zookeeper'), port: 2181, fanOut: 3, volume: 2e5
  },
  {
    from: app('batch/report'), to: app('shop/postgres'), port: 5432, fanOut: 1, volume: 5e6
  },
  {
    from: app('batch/report'), to: app('analytics/kafka'), port: 9092, fanOut: 1, volume: 3e6
  },
  {
    from: (e) => e.role === 'pod' || e.role === 'system', to: app('kube-system/coredns'), port: 53, protocol: UDP, fanOut: 1, volume: 2e4
  },
  {
    from: vm('web'), to: vm('api'), port: 8443, fanOut: 2, volume: 9e6
  },
  {
    from: vm('api'), to: vm('db'), port: 5432, fanOut: 1, volume: 1.2e7
  },
  {
    from: vm('web'), to: role('external'), port: 443, fanOut: 6, volume: 3e6
  },
  {
    from: vm('build'), to: role('external'), port: 443, fanOut: 5, volume: 4e7
  },
  {
    from: vm('test'), to: vm('build'), port: 22, fanOut: 2, volume: 5e5
  },
  {
    from: vm('gateway'), to: role('external'), port: 443, fanOut: 8, volume: 6e6
  },
  {
    from: vm('long-name'), to: vm('gateway'), port: 3306, fanOut: 1, volume: 7e5
  },
  {
    from: role('external'), to: vm('web'), port: 443, fanOut: 2, volume: 2e6
  },
  {
    from: app('office'), to: vm('gateway'), port: 22, fanOut: 1, volume: 1e5
  },
  {
    from: role('node'), to: role('node'), port: 2379, fanOut: 2, volume: 8e5
  },
  {
    from: role('system'), to: role('node'), port: 10250, fanOut: 1, volume: 1e5
  },
  {
    from: app('cattle-system/cattle-cluster-agent'), to: role('external'), port: 443, fanOut: 1, volume: 3e5
  },
];

/** One edge's per-minute traffic: `volume` bytes scaled by a random factor, counters derived from its key. */
export function flowEdge(rand: () => number, client: FlowEndpoint, server: FlowEndpoint, protocol: number, serverPort: number, volume: number): FlowEdge {
  const key = `${ client.ip }|${ server.ip }|${ protocol }|${ serverPort }`;
  const scale = 0.3 + rand() * 1.4;
  const byteTx = Math.round(volume * scale * 0.35);
  const byteRx = Math.round(volume * scale * 0.65);

  return {
    client,
    server,
    protocol,
    serverPort,
    byteTx,
    byteRx,
    packetTx:         Math.max(1, Math.round(byteTx / 900)),
    packetRx:         Math.max(1, Math.round(byteRx / 1200)),
    newFlow:          1 + (hashString(key) % 20),
    retrans:          hashString(key) % 11 === 0 ? 1 + (hashString(key) % 7) : 0,
    tcpEstablishFail: protocol === TCP && hashString(key) % 29 === 0 ? 1 : 0,
    rtt:              protocol === TCP ? 200 + (hashString(key) % 4000) + (server.role === 'external' ? 20000 : 0) : 0,
  };
}

/** Builds the edges; the same endpoints always give the same edges. */
export function buildFlowEdges(endpoints: FlowEndpoint[]): FlowEdge[] {
  const rand = seededRandom(7);
  const edges = new Map<string, FlowEdge>();

  PATTERNS.forEach((p) => {
    const sources = endpoints.filter(p.from);
    const targets = endpoints.filter(p.to);

    if (!targets.length) {
      return;
    }
    sources.forEach((client) => {
      for (let i = 0; i < p.fanOut; i++) {
        const server = pick(rand, targets);

        if (server === client) {
          continue;
        }
        const protocol = p.protocol ?? TCP;
        const key = `${ client.ip }|${ server.ip }|${ protocol }|${ p.port }`;

        if (edges.has(key)) {
          continue;
        }
        edges.set(key, flowEdge(rand, client, server, protocol, p.port, p.volume));
      }
    });
  });

  return [...edges.values()];
}
