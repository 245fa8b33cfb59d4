/**
 * The recorded translations run on ClickHouse 23.10 (chdb 1.4.1, tools/versions.env) over DeepFlow v7.1.8's
 * real schema (fixtures/deepflow-v7.1.8-ddl.json, clickhouse/deepflow_schema.py), seeded with the contract
 * scenario's flows; the answers go through the querier's wire shape, the extension's response parser, its
 * enrichment and its view models, and the test asserts what the Flows page and the Network tabs show.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';
import { interpretResponse } from '../../pkg/harvester-network-monitoring/domain/flows/query/response';
import { ColumnSpecs, QueryOutcome } from '../../pkg/harvester-network-monitoring/domain/flows/query/query-types';
import { overviewModel } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-flows';
import { peersModel, vmSubject } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-peers';
import { rankTalkers } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-talkers';
import { recordsPage } from '../../pkg/harvester-network-monitoring/domain/flows/view/view-records';
import { BuiltStatement, contractStatements } from './statements';
import { Recording, loadJson, loadRecordings, recordingFor } from './recordings';
import { querierBody, ClickHouseColumn } from './querier-response';
import { agentHealthRows } from '../../pkg/harvester-network-monitoring/domain/agents/health';
import {
  CONTRACT_NOW_SECONDS, SEED_AGENTS, SEED_AGENT_STATS, SEED_ENDPOINTS, SEED_FLOWS, contractIndex
} from './scenario';

type Answer = { ok: true; meta: ClickHouseColumn[]; data: unknown[][] } | { ok: false; error: string };

const ROOT = join(__dirname, '..', '..');
const PYTHON = join(ROOT, '.tools', 'venv', 'bin', 'python');

const file = loadRecordings();
const statements = contractStatements();
const probes = loadJson<{ probes: { id: string; expect: { clickhouse?: 'ok' | 'error' } }[] }>('probes.json').probes;
const toRun = (r: Recording) => ({ id: r.id, db: r.db, sql: r.clickhouse_sql });

let version = '';
let answers: Record<string, Answer> = {};

beforeAll(() => {
  const accepted = file.recordings.filter((r) => r.ok);
  const request = {
    now:        CONTRACT_NOW_SECONDS,
    endpoints:  SEED_ENDPOINTS,
    flows:      SEED_FLOWS,
    agentStats: SEED_AGENT_STATS,
    agents:     SEED_AGENTS,
    queries:    accepted.filter((r) => !r.id.startsWith('probe/')).map(toRun),
    probes:     accepted.filter((r) => r.id.startsWith('probe/')).map(toRun),
  };
  const run = spawnSync(PYTHON, [join(__dirname, 'clickhouse', 'run_contract.py')], {
    input: JSON.stringify(request), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 280_000,
  });

  if (run.status !== 0) {
    throw new Error(`ClickHouse run failed (${ run.status }): ${ (run.stderr || String(run.error)).slice(-3000) }`);
  }
  ({ version, results: answers } = JSON.parse(run.stdout));
}, 300_000);

/** The outcome the extension would get for this statement from the real querier over the seed. */
function outcome(s: BuiltStatement): QueryOutcome<any> {
  const answer = answers[(recordingFor(file, s) as Recording).id];

  if (!answer?.ok) {
    throw new Error(`${ s.id } did not run on ClickHouse: ${ answer ? answer.error : 'no answer' }`);
  }

  return interpretResponse(200, querierBody(answer.meta, answer.data), s.query.columns as ColumnSpecs);
}

const rowsOf = (id: string) => {
  const s = statements.find((x) => x.id === id);

  if (!s) {
    throw new Error(`no contract statement ${ id }`);
  }
  const o = outcome(s);

  return o.state === 'ok' ? o.rows : [];
};

describe('the recorded translations on ClickHouse 23.10', () => {
  it('is the ClickHouse line the chart deploys', () => {
    expect(version).toMatch(/^23\.10\./);
  });

  it('runs every statement DeepFlow accepted (extension, Grafana panels and variables)', () => {
    const failed = Object.entries(answers).filter(([id, a]) => !id.startsWith('probe/') && !a.ok);

    expect(failed).toEqual([]);
    expect(Object.keys(answers).length).toBe(file.recordings.filter((r) => r.ok).length);
  });

  it.each(probes.filter((p) => p.expect.clickhouse === 'error').map((p) => [p.id]))('%s fails on ClickHouse', (id) => {
    expect(answers[id]).toMatchObject({ ok: false });
  });

  it.each(probes.filter((p) => p.expect.clickhouse === 'ok').map((p) => [p.id]))('%s runs on ClickHouse', (id) => {
    expect(answers[id]).toMatchObject({ ok: true });
  });

  it('gives every extension statement an answer the response parser accepts', () => {
    for (const s of statements) {
      expect([s.id, outcome(s).state]).toEqual([s.id, expect.stringMatching(/^(ok|no-data)$/)]);
    }
  });
});

describe('what the views show from the real answers', () => {
  const index = contractIndex();
  const peerKeys = (rows: { peer: { key: string } }[]) => rows.map((r) => r.peer.key).sort();

  it('Flows page: the map has every kind of peer, VM to pod, external, node and VLAN', () => {
    const model = overviewModel(rowsOf('flows/edges/range=1h/ns=-') as any, index);
    const pairs = model.flows.map((f) => `${ f.client.key } -> ${ f.server.key }`).sort();

    expect(pairs).toEqual([
      'external:203.0.113.5 -> vm:vms/web-vm',
      'node:node-1 -> node:node-2',
      'node:node-1 -> vm:vms/web-vm',
      'pod:shop/web-0 -> vm:vms/web-vm',
      'pod:shop/web-1 -> external:8.8.8.8',
      'pod:shop/web-1 -> pod:shop/web-0',
      'vm:vms/db-vm -> external:8.8.8.8',
      'vm:vms/web-vm -> external:2001:db8::53',
      'vm:vms/web-vm -> service:shop/db',
      'vm:vms/web-vm -> vm:vms/db-vm',
    ]);
    expect(model.totals.bytes).toBe(SEED_FLOWS.reduce((sum, f) => sum + f.bytesTx + f.bytesRx, 0));
  });

  it('VM Network tab: web-vm (pod network + VLAN, IPv4 and IPv6) sees pod, Service, external, node and VM peers', () => {
    const subject = vmSubject(index, 'vms', 'web-vm');

    if (!subject.ok) {
      throw new Error('web-vm has no addresses');
    }
    const peers = peersModel(rowsOf('tab/vm=web-vm/peers/range=1h') as any, index, subject.subject.key, 500);

    expect(peerKeys(peers.rows)).toEqual([
      'external:2001:db8::53', 'external:203.0.113.5', 'node:node-1', 'pod:shop/web-0', 'service:shop/db', 'vm:vms/db-vm'
    ]);
    expect(peers.rows.find((r) => r.peer.key === 'vm:vms/db-vm')).toMatchObject({ bytesOut: 2000, bytesIn: 7000, direction: 'outbound' });
  });

  it('VM Network tab: db-vm (VLAN only, one address) sees web-vm and the external DNS server', () => {
    const peers = peersModel(rowsOf('tab/vm=db-vm/peers/range=15m') as any, index, 'vm:vms/db-vm', 500);

    expect(peerKeys(peers.rows)).toEqual(['external:8.8.8.8', 'vm:vms/web-vm']);
  });

  it('pod Network tab: web-0 sees the VM and the other pod', () => {
    const peers = peersModel(rowsOf('tab/pod=web-0/peers/range=6h') as any, index, 'pod:shop/web-0', 500);

    expect(peerKeys(peers.rows)).toEqual(['pod:shop/web-1', 'vm:vms/web-vm']);
  });

  it('traffic over time: one minute bucket with the VM\'s bytes', () => {
    const rows = rowsOf('tab/vm=web-vm/series/range=1h') as any[];

    expect(rows).toHaveLength(1);
    expect(rows[0].time).toBe(Math.floor((CONTRACT_NOW_SECONDS - 600) / 60) * 60);
  });

  it('a day and a week read DeepFlow\'s hourly rollups, which hold what the minute rows hold', () => {
    // The seed is one minute of traffic, 10 minutes before "now": every range holds all of it.
    const sorted = (id: string) => (rowsOf(id) as any[]).map((r) => JSON.stringify(r)).sort();

    for (const range of ['24h', '7d']) {
      expect(sorted(`flows/edges/range=${ range }/ns=-`)).toEqual(sorted('flows/edges/range=1h/ns=-'));
      expect(sorted(`tab/vm=web-vm/peers/range=${ range }`)).toEqual(sorted('tab/vm=web-vm/peers/range=1h'));
      expect(sorted(`flows/talkers/pod/bytes/tagged/range=${ range }/ns=shop`)).toEqual(sorted('flows/talkers/pod/bytes/tagged/range=1h/ns=shop'));
    }
    const series = rowsOf('tab/vm=web-vm/series/range=24h') as any[];

    // One bucket: the hour the minute is in.
    expect(series.map((r) => r.time)).toEqual([Math.floor((CONTRACT_NOW_SECONDS - 600) / 3600) * 3600]);
    expect({ ...series[0], time: 0 }).toEqual({ ...(rowsOf('tab/vm=web-vm/series/range=1h') as any[])[0], time: 0 });
  });

  it('top talkers rank what each view shows', () => {
    const talkers = (by: 'vm' | 'pod' | 'namespace', part: string[]) => {
      const results = Object.fromEntries(part.map((p) => [p, rowsOf(`flows/talkers/${ by }/bytes/${ p }/range=24h/ns=-`)]));

      return rankTalkers(results, index, { by, rankBy: 'bytes' }).map((t) => t.key);
    };

    expect(talkers('vm', ['addresses'])).toEqual(['vm:vms/web-vm', 'vm:vms/db-vm']);
    expect(talkers('pod', ['tagged'])).toEqual(['pod:shop/web-0', 'pod:shop/web-1']);
    // vms has no DeepFlow tag (virt-launcher pods are untagged): its VMs' addresses count for it.
    expect(talkers('namespace', ['tagged', 'addresses'])).toEqual(['namespace:vms', 'namespace:shop']);
  });

  it('flow records: one row per flow, newest first, with both ends resolved', () => {
    const page = recordsPage(rowsOf('flows/records/range=1h/ns=-') as any, index, 0);

    expect(page.rows).toHaveLength(SEED_FLOWS.length);
    expect(page.rows.every((r: any) => r.client.kind && r.server.kind)).toBe(true);
    const filtered = rowsOf('records/filter=ipv6') as any[];

    expect(filtered.map((r) => `${ r.clientIp } -> ${ r.serverIp }`)).toEqual(['fd00:100::10 -> 2001:db8::53']);
  });
});

describe('agent health from the real answers (Overview)', () => {
  it('sums each agent\'s dispatcher statistics in the window and keeps the newest sample time', () => {
    const rows = rowsOf('agents/dispatcher') as any[];

    expect(rows.sort((a, b) => a.host.localeCompare(b.host))).toEqual([
      {
        host: 'node-1', rx: 12000, kernelDrops: 0, lastSeen: CONTRACT_NOW_SECONDS - 60
      },
      {
        host: 'node-2', rx: 10000, kernelDrops: 42, lastSeen: CONTRACT_NOW_SECONDS - 30
      },
    ]);
  });

  it('sums the flow map drops per agent', () => {
    const rows = (rowsOf('agents/flow-map') as any[]).sort((a, b) => a.host.localeCompare(b.host));

    expect(rows).toEqual([
      { host: 'node-1', dropByWindow: 0, dropByCapacity: 0 },
      { host: 'node-2', dropByWindow: 3, dropByCapacity: 4 },
    ]);
  });

  it('lists DeepFlow\'s registered agents from the vtap_map dictionary', () => {
    expect(rowsOf('agents/registered')).toEqual(SEED_AGENTS);
  });

  it('turns them into a healthy node-1 and a node-2 with kernel and agent drops that DeepFlow no longer lists', () => {
    const node = (name: string) => ({
      metadata: { name },
      status:   {
        conditions: [{ type: 'Ready', status: 'True' }],
        nodeInfo:   { kernelVersion: '5.14.21-150500.55.68-default', osImage: 'Harvester v1.6.0', architecture: 'amd64' },
      },
    });
    const pod = (nodeName: string) => ({
      metadata: { name: `hnm-agent-${ nodeName }` },
      spec:     { nodeName, containers: [{ image: 'deepflowce/deepflow-agent:v7.1.8' }] },
      status:   { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ ready: true, restartCount: 0 }] },
    });
    const rows = agentHealthRows({
      nodes:          [node('node-1'), node('node-2')],
      daemonSet:      null,
      pods:           [pod('node-1'), pod('node-2')],
      vlanStatuses:   [],
      interfaceRegex: '^(mgmt-br|[a-z0-9-]+-br|tap.*)$',
      statistics:     {
        state: 'ok', dispatcher: rowsOf('agents/dispatcher') as any, flowMap: rowsOf('agents/flow-map') as any, agents: rowsOf('agents/registered') as any
      },
      nowSeconds: CONTRACT_NOW_SECONDS,
    });

    expect(rows.map((r) => [r.node, r.status, r.problems.map((p) => p.id)])).toEqual([
      ['node-1', 'healthy', []],
      ['node-2', 'problems', ['kernel-drops', 'agent-drops', 'agent-not-listed']],
    ]);
    expect(rows.map((r) => r.registration)).toEqual([
      { state: 'registered', name: 'node-1-P1', agentId: 1 },
      { state: 'not-listed', sendsStatistics: true },
    ]);
  });
});
