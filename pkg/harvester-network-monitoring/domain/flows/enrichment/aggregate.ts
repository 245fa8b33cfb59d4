/**
 * Summaries over enriched flows: totals, top talkers, protocol/port and category breakdowns, and
 * the per-VM (or per-pod) peer table. Pure functions over arrays; no allocation per flow beyond
 * the summary entries themselves, so 50,000 edges stay well under the 100 ms budget.
 */
import { FLOW_CATEGORIES, FlowCategory, categorize } from './categories';
import { Endpoint } from './endpoint';
import { EndpointIndex } from './enrich';
import { EdgeColumns, FlowRecordColumns } from '../query/queries';
import { RowOf } from '../query/query-types';
import { ProtocolName, protocolName } from '../query/schema';

export type EdgeRow = RowOf<EdgeColumns>;
export type FlowRecordRow = RowOf<FlowRecordColumns>;

/** One client -> server edge with both sides identified. Bytes/packets "tx" are client -> server. */
export interface EnrichedFlow {
  client: Endpoint;
  server: Endpoint;
  protocol: number;
  serverPort: number;
  bytesTx: number;
  bytesRx: number;
  packetsTx: number;
  packetsRx: number;
  /** Average RTT in microseconds, null without samples. */
  rttUs: number | null;
  retrans: number;
  failedConnections: number;
  connections: number;
  category: FlowCategory;
}

export function enrichEdges(rows: readonly EdgeRow[], index: EndpointIndex): EnrichedFlow[] {
  const out: EnrichedFlow[] = new Array(rows.length);

  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const client = index.resolveSide(r.clientIp, r.clientPod, r.clientNamespace, r.clientNode);
    const server = index.resolveSide(r.serverIp, r.serverPod, r.serverNamespace, r.serverNode);

    out[i] = {
      client,
      server,
      protocol:          r.protocol,
      serverPort:        r.serverPort,
      bytesTx:           r.bytesTx,
      bytesRx:           r.bytesRx,
      packetsTx:         r.packetsTx,
      packetsRx:         r.packetsRx,
      rttUs:             r.rttUs,
      retrans:           r.retrans,
      failedConnections: r.tcpEstablishFail,
      connections:       r.newFlows,
      category:          categorize(client, server),
    };
  }

  return out;
}

export interface EnrichedFlowRecord extends FlowRecordRow {
  client: Endpoint;
  server: Endpoint;
  category: FlowCategory;
  protocolName?: ProtocolName;
}

/** Adds identified endpoints and a category to flow-log rows (for the flow records table). */
export function enrichFlowRecords(rows: readonly FlowRecordRow[], index: EndpointIndex): EnrichedFlowRecord[] {
  return rows.map((r) => {
    const client = index.resolve(r.clientIp, { pod: r.clientPod, namespace: r.clientNamespace, node: r.clientNode });
    const server = index.resolve(r.serverIp, { pod: r.serverPod, namespace: r.serverNamespace, node: r.serverNode });

    return {
      ...r, client, server, category: categorize(client, server), protocolName: protocolName(r.protocol)
    };
  });
}

export interface TrafficTotals {
  bytes: number;
  packets: number;
  connections: number;
  failedConnections: number;
  retrans: number;
  /** Number of edges summed. */
  flows: number;
}

const emptyTotals = (): TrafficTotals => ({
  bytes: 0, packets: 0, connections: 0, failedConnections: 0, retrans: 0, flows: 0
});

function addTo(t: TrafficTotals, f: EnrichedFlow): void {
  t.bytes += f.bytesTx + f.bytesRx;
  t.packets += f.packetsTx + f.packetsRx;
  t.connections += f.connections;
  t.failedConnections += f.failedConnections;
  t.retrans += f.retrans;
  t.flows += 1;
}

export function totals(flows: readonly EnrichedFlow[]): TrafficTotals {
  const t = emptyTotals();

  for (const f of flows) {
    addTo(t, f);
  }

  return t;
}

// ---------------------------------------------------------------------------------------------
// Breakdowns

export interface ProtocolBreakdownEntry {
  protocol: number;
  protocolName?: ProtocolName;
  /** Present when broken down by port. */
  serverPort?: number;
  bytes: number;
  packets: number;
  connections: number;
  flows: number;
}

function breakdown(flows: readonly EnrichedFlow[], withPort: boolean, limit: number): ProtocolBreakdownEntry[] {
  const map = new Map<number, ProtocolBreakdownEntry>();

  for (const f of flows) {
    // Protocol numbers are < 256 and ports < 65536, so this key is unique without building strings.
    const key = withPort ? f.protocol * 65536 + f.serverPort : f.protocol;
    let e = map.get(key);

    if (!e) {
      e = {
        protocol: f.protocol, protocolName: protocolName(f.protocol), bytes: 0, packets: 0, connections: 0, flows: 0
      };
      if (withPort) {
        e.serverPort = f.serverPort;
      }
      map.set(key, e);
    }
    e.bytes += f.bytesTx + f.bytesRx;
    e.packets += f.packetsTx + f.packetsRx;
    e.connections += f.connections;
    e.flows += 1;
  }

  return [...map.values()].sort((a, b) => b.bytes - a.bytes || a.protocol - b.protocol || (a.serverPort ?? 0) - (b.serverPort ?? 0)).slice(0, limit);
}

export function protocolBreakdown(flows: readonly EnrichedFlow[]): ProtocolBreakdownEntry[] {
  return breakdown(flows, false, Number.MAX_SAFE_INTEGER);
}

export function portBreakdown(flows: readonly EnrichedFlow[], limit = 20): ProtocolBreakdownEntry[] {
  return breakdown(flows, true, limit);
}

export function categoryBreakdown(flows: readonly EnrichedFlow[]): Record<FlowCategory, TrafficTotals> {
  const out = {} as Record<FlowCategory, TrafficTotals>;

  for (const c of FLOW_CATEGORIES) {
    out[c] = emptyTotals();
  }
  for (const f of flows) {
    addTo(out[f.category], f);
  }

  return out;
}

// ---------------------------------------------------------------------------------------------
// Peers of one VM or pod

export interface PeerSummary {
  peer: Endpoint;
  /** Bytes/packets from the subject to the peer, and back. */
  bytesOut: number;
  bytesIn: number;
  packetsOut: number;
  packetsIn: number;
  /** Packet-weighted average RTT in microseconds, null without samples. */
  rttUs: number | null;
  retrans: number;
  /** retrans / packets, null without packets. */
  retransRate: number | null;
  failedConnections: number;
  connections: number;
  /** Who opened the connections: the subject (outbound), the peer (inbound), or both. */
  direction: 'outbound' | 'inbound' | 'both';
  /** Server ports seen, as `<protocol>/<port>`, most traffic first. */
  ports: string[];
  categories: FlowCategory[];
}

interface PeerAcc extends PeerSummary {
  rttWeighted: number;
  rttWeight: number;
  portBytes: Map<string, number>;
}

/** Peers of the endpoint with `subjectKey` (e.g. `vm:ns/name`), biggest first. */
export function peerSummary(flows: readonly EnrichedFlow[], subjectKey: string): PeerSummary[] {
  const map = new Map<string, PeerAcc>();

  for (const f of flows) {
    const asClient = f.client.key === subjectKey;
    const asServer = f.server.key === subjectKey;

    if (!asClient && !asServer) {
      continue;
    }
    // Traffic to itself (e.g. between two NICs of one VM) is listed with the VM as its own peer.
    const peer = asClient ? f.server : f.client;
    let acc = map.get(peer.key);

    if (!acc) {
      acc = {
        peer, bytesOut: 0, bytesIn: 0, packetsOut: 0, packetsIn: 0, rttUs: null, retrans: 0, retransRate: null, failedConnections: 0, connections: 0, direction: asClient ? 'outbound' : 'inbound', ports: [], categories: [], rttWeighted: 0, rttWeight: 0, portBytes: new Map()
      };
      map.set(peer.key, acc);
    }
    acc.bytesOut += asClient ? f.bytesTx : f.bytesRx;
    acc.bytesIn += asClient ? f.bytesRx : f.bytesTx;
    acc.packetsOut += asClient ? f.packetsTx : f.packetsRx;
    acc.packetsIn += asClient ? f.packetsRx : f.packetsTx;
    acc.retrans += f.retrans;
    acc.failedConnections += f.failedConnections;
    acc.connections += f.connections;
    if ((asClient && acc.direction === 'inbound') || (!asClient && acc.direction === 'outbound')) {
      acc.direction = 'both';
    }
    if (f.rttUs !== null) {
      const w = Math.max(1, f.packetsTx + f.packetsRx);

      acc.rttWeighted += f.rttUs * w;
      acc.rttWeight += w;
    }
    const port = `${ protocolName(f.protocol) ?? f.protocol }/${ f.serverPort }`;

    acc.portBytes.set(port, (acc.portBytes.get(port) ?? 0) + f.bytesTx + f.bytesRx);
    if (!acc.categories.includes(f.category)) {
      acc.categories.push(f.category);
    }
  }

  return [...map.values()]
    .map(({
      rttWeighted, rttWeight, portBytes, ...p
    }) => {
      const packets = p.packetsOut + p.packetsIn;

      return {
        ...p,
        rttUs:       rttWeight > 0 ? rttWeighted / rttWeight : null,
        retransRate: packets > 0 ? p.retrans / packets : null,
        ports:       [...portBytes.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k),
      };
    })
    .sort((a, b) => (b.bytesOut + b.bytesIn) - (a.bytesOut + a.bytesIn) || a.peer.key.localeCompare(b.peer.key));
}
