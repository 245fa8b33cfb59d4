/**
 * The e2e querier stand-in answers the statements the extension really builds, in the wire shape
 * the extension's own response parser accepts, and its answers follow the statement (filters,
 * time ranges, grouping, order, paging), so browser tests exercise real query behavior.
 */
import fs from 'fs';
import {
  EdgeColumns, PreparedQuery, QueryOutcome, RowOf, ColumnSpecs, edgesQuery, flowRecordsQuery, interpretResponse, queryFormBody, topTalkersQuery,
  trafficSeriesQuery, vmPeersQuery
} from '@pkg/domain/flows';
import { agentDispatcherQuery, agentFlowMapQuery, agentWindow } from '@pkg/domain/agents/queries';
import { answerQuerier } from '../../../sandbox/backend/querier';
import { QuerierThread } from '../../../sandbox/backend/querier-thread';
import { acceptedShapes } from '../../contract/shape';
import { RecordingsFile } from '../../contract/recordings';
import { buildCluster } from '../../../sandbox/backend/seed/cluster';
import { buildFlowEdges } from '../../../sandbox/backend/seed/flows';
import { HOSTILE } from '../../../sandbox/backend/seed/hostile';

const NOW = new Date('2026-11-23T12:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const window = (seconds: number) => ({ range: { start: nowSeconds - seconds, end: nowSeconds }, nowSeconds });
const edges = buildFlowEdges(buildCluster().endpoints);

/** The evaluation tests run without the contract gate (tested on its own below). */
const NO_GATE = { contract: null };

function run<S extends ColumnSpecs>(query: PreparedQuery<S>): QueryOutcome<RowOf<S>> {
  const answer = answerQuerier(new URLSearchParams(queryFormBody(query)), edges, NOW, NO_GATE);

  return interpretResponse(answer.status, JSON.stringify(answer.body), query.columns);
}

function rowsOf<S extends ColumnSpecs>(query: PreparedQuery<S>): RowOf<S>[] {
  const outcome = run(query);

  if (outcome.state !== 'ok') {
    throw new Error(`expected rows, got ${ JSON.stringify(outcome) }`);
  }
  expect(outcome.skippedRows).toBe(0);

  return outcome.rows;
}

describe('e2e querier stand-in', () => {
  it('answers the edge query with every pair, biggest first, in the querier shape', () => {
    const rows = rowsOf(edgesQuery({ window: window(3600) }));

    expect(rows.length).toBeGreaterThan(200);
    expect(rows.length).toBeLessThanOrEqual(edges.length);
    rows.slice(1).forEach((row, i) => expect(row.bytes).toBeLessThanOrEqual(rows[i].bytes));
    const answer = answerQuerier(new URLSearchParams(queryFormBody(edgesQuery({ window: window(3600), limit: 1 }))), edges, NOW, NO_GATE);

    expect(answer.body).toMatchObject({
      OPT_STATUS: 'SUCCESS', DESCRIPTION: '', result: { columns: expect.arrayContaining(['ip_0', 'sum_byte']), values: [expect.any(Array)] }
    });
  });

  it('scales totals with the time range and drops edges that stopped before it', () => {
    const hour = rowsOf(edgesQuery({ window: window(3600) }));
    const day = rowsOf(edgesQuery({ window: window(86400) }));
    const total = (rows: RowOf<EdgeColumns>[]) => rows.reduce((sum, r) => sum + r.bytes, 0);

    expect(day.length).toBeGreaterThan(hour.length);
    expect(total(day)).toBeGreaterThan(total(hour) * 10);
  });

  it('applies scope and filters as the statement says', () => {
    const vm = edges.find((e) => e.client.role === 'vm')!.client;
    const peers = rowsOf(vmPeersQuery({ window: window(3600), vm: { namespace: 'x', ips: [vm.ip] } }));

    expect(peers.length).toBeGreaterThan(0);
    peers.forEach((row) => expect([row.clientIp, row.serverIp]).toContain(vm.ip));
    const dns = rowsOf(edgesQuery({ window: window(3600), filters: { port: 53, protocol: 'udp' } }));

    expect(dns.length).toBeGreaterThan(0);
    dns.forEach((row) => expect([row.serverPort, row.protocol]).toEqual([53, 17]));
    const shop = rowsOf(edgesQuery({ window: window(3600), filters: { namespace: 'shop' } }));

    shop.forEach((row) => expect([row.clientNamespace, row.serverNamespace]).toContain('shop'));
  });

  it('matches hostile values exactly after the literal escaping', () => {
    const rows = rowsOf(edgesQuery({ window: window(3600), filters: { ip: '198.51.100.67' } }));

    expect(rows.length).toBeGreaterThan(0);
    rows.forEach((r) => expect([r.clientIp, r.serverIp]).toContain('198.51.100.67'));
    // Hostile text cannot be a pod filter any more (nameLiteral refuses it); a raw statement still matches exactly.
    const ask = (value: string) => answerQuerier(new URLSearchParams({
      db: 'flow_metrics', data_precision: '1m', sql: `SELECT ip, Sum(byte) AS sum_byte FROM network WHERE time>=${ nowSeconds - 3600 } AND time<=${ nowSeconds } AND auto_instance=${ value } GROUP BY ip ORDER BY sum_byte DESC LIMIT 10`
    }), edges, NOW, NO_GATE);
    const escaped = `'${ HOSTILE.quotes.replace(/\\/g, '\\\\').replace(/'/g, '\\\'') }'`;

    expect((ask(escaped).body as any).result.values.map((v: any[]) => v[0])).toEqual(['198.51.100.67']);
    expect((ask(`'${ HOSTILE.quotes.replace(/'/g, '') }'`).body as any).result.values).toEqual([]);
  });

  it('groups talkers by pod with their namespace', () => {
    const rows = rowsOf(topTalkersQuery({ window: window(3600), groupBy: 'pod', limit: 10 }));

    expect(rows).toHaveLength(10);
    rows.forEach((r) => expect(r.endpoint).not.toBe(''));
    expect(rows.every((r) => r.namespace !== '')).toBe(true);
    rows.slice(1).forEach((row, i) => expect(row.bytes).toBeLessThanOrEqual(rows[i].bytes));
  });

  it('groups talkers by namespace (pod_ns), only rows that have one', () => {
    const rows = rowsOf(topTalkersQuery({ window: window(3600), groupBy: 'namespace', rankBy: 'connections' }));
    const namespaces = new Set(edges.flatMap((e) => [e.client.pod_ns, e.server.pod_ns]).filter(Boolean));

    expect(rows.length).toBe(Math.min(50, namespaces.size));
    rows.forEach((r) => {
      expect(r.endpoint).not.toBe('');
      expect(r.namespace).toBe(r.endpoint);
    });
    rows.slice(1).forEach((row, i) => expect(row.newFlows).toBeLessThanOrEqual(rows[i].newFlows));
  });

  it('groups talkers by address and pod_ns for an OR chain of addresses, IPv4 and IPv6', () => {
    const vms = [...new Set(edges.map((e) => e.client).filter((c) => c.role === 'vm').map((c) => c.ip))].slice(0, 3);
    const rows = rowsOf(topTalkersQuery({
      window: window(3600), groupBy: 'address', addresses: [...vms, 'fd00:dead::1'], limit: 200
    }));

    expect(vms.length).toBeGreaterThan(1);
    expect(new Set(rows.map((r) => r.endpoint))).toEqual(new Set(vms));
  });

  it('reads DeepFlow\'s stored address columns from a row\'s addresses: is_ipv4, ip4…, ip6…, the other family\'s at its default', () => {
    const [a] = [...new Set(edges.map((e) => e.client.ip))];
    const pairs = (where: string): unknown[][] => {
      const sql = `SELECT ip_0, ip_1, Sum(byte) AS sum_byte FROM network_map WHERE time>=${ nowSeconds - 3600 } AND time<=${ nowSeconds } AND ${ where } GROUP BY ip_0, ip_1 LIMIT 1000`;
      const answer = answerQuerier(new URLSearchParams({ db: 'flow_metrics', data_precision: '1m', sql }), edges, NOW, NO_GATE);

      return (answer.body as any).result.values;
    };
    const ipv4 = pairs('is_ipv4=1');

    expect(pairs(`(is_ipv4=1 AND ip4_0 IN ('${ a }'))`).map((v) => v[0])).toEqual(expect.arrayContaining([a]));
    expect(new Set(pairs(`(is_ipv4=1 AND ip4_0 IN ('${ a }'))`).map((v) => v[0]))).toEqual(new Set([a]));
    // The seed's flows are all IPv4: no IPv6 row, and every row's ip6 columns hold ::, its ip4 columns no 0.0.0.0.
    expect(ipv4.length).toBeGreaterThan(0);
    expect(pairs('is_ipv4=0')).toEqual([]);
    expect(pairs('ip6_1 IN (\'::\')')).toHaveLength(ipv4.length);
    expect(pairs('ip4_0 IN (\'0.0.0.0\')')).toEqual([]);
  });

  it('takes the stored columns from DeepFlow\'s recorded DDL: one the table does not store is unknown, one it does not model is said so', () => {
    const where = (table: string, condition: string) => answerQuerier(new URLSearchParams({
      db: 'flow_metrics', data_precision: '1m', sql: `SELECT ip, Sum(byte) AS sum_byte FROM ${ table } WHERE time>=${ nowSeconds - 3600 } AND time<=${ nowSeconds } AND ${ condition } GROUP BY ip LIMIT 5`
    }), edges, NOW, NO_GATE);

    expect(where('network', 'ip4 IN (\'10.0.0.1\')')).toMatchObject({ status: 200 });
    // network stores one address per row (ip4, ip6), network_map two (ip4_0, ip4_1).
    expect(where('network', 'ip4_0 IN (\'10.0.0.1\')')).toMatchObject({ status: 500, body: { DESCRIPTION: 'unknown tag or metric "ip4_0" in network' } });
    expect(where('network', 'pod_ns_id=3')).toMatchObject({ status: 500, body: { DESCRIPTION: expect.stringContaining('does not model DeepFlow\'s stored column "pod_ns_id"') } });
  });

  it('reads OR chains of pods on either side (records of a VM by address, a namespace by tag)', () => {
    const [a, b] = [...new Set(edges.map((e) => e.client.ip))];
    const records = rowsOf(flowRecordsQuery({ window: window(3600), scope: { ips: [a, b] }, pageSize: 500 }));

    expect(records.length).toBeGreaterThan(0);
    records.forEach((r) => expect([a, b].includes(r.clientIp) || [a, b].includes(r.serverIp)).toBe(true));
  });

  it('buckets a series by the requested step', () => {
    const vm = edges.find((e) => e.client.role === 'vm')!.client;
    const rows = rowsOf(trafficSeriesQuery({ window: window(3 * 3600), endpoint: { ips: [vm.ip] }, bucketSeconds: 600 }));

    // Both ends of the range are inclusive: 3 h of 10-minute buckets plus the one holding the end.
    expect(rows).toHaveLength(19);
    rows.forEach((r) => expect(r.time % 600).toBe(0));
    expect(new Set(rows.map((r) => r.bytesTx)).size).toBeGreaterThan(1);
  });

  it('adds up an aggregate over a range as its minutes do, whichever statement read the range first', () => {
    // Talkers add an endpoint's minutes at once (held per edge for the range, swapped for the server's side);
    // a series of one-minute buckets adds them one by one. Over a day the talkers add one 90-minute period per
    // edge, weighted: traffic repeats exactly every 90 minutes, so the sums are still the same.
    const sums = (rows: { bytesTx: number; bytesRx: number; packets: number; newFlows: number }[]) => ['bytesTx', 'bytesRx', 'packets', 'newFlows']
      .map((k) => rows.reduce((sum, r) => sum + (r as any)[k], 0));
    const ips = [edges.find((e) => e.client.role === 'vm')!.client.ip, edges.find((e) => e.server.role === 'pod')!.server.ip];

    for (const seconds of [3600, 86400]) {
      for (const readFirst of ['talkers', 'edges'] as const) {
        const talkers = () => rowsOf(topTalkersQuery({
          window: window(seconds), groupBy: 'address', addresses: ips, limit: 100
        }));

        if (readFirst === 'edges') {
          rowsOf(edgesQuery({ window: window(seconds) }));
        }
        const byTalkers = talkers();

        expect(talkers()).toEqual(byTalkers);
        ips.forEach((ip) => {
          const series = rowsOf(trafficSeriesQuery({ window: window(seconds), endpoint: { ips: [ip] }, bucketSeconds: 60 }));

          expect(sums(byTalkers.filter((r) => r.endpoint === ip))).toEqual(sums(series));
          expect(sums(series)[0]).toBeGreaterThan(0);
        });
      }
    }
  });

  it('answers the same records for a page however many it was asked to keep (records that cannot make the page are skipped)', () => {
    // A day of records is tens of thousands: each answer cuts its candidates many times, at points that depend on
    // the page asked; small pages put together must be the start of one large page, by bytes and by time.
    for (const sortBy of ['byte', 'start_time'] as const) {
      const large = rowsOf(flowRecordsQuery({ window: window(86400), sortBy, pageSize: 500 }));
      const small = [0, 1, 2, 3].flatMap((page) => rowsOf(flowRecordsQuery({
        window: window(86400), sortBy, pageSize: 5, page
      })));

      expect(large.length).toBe(500);
      expect(small).toEqual(large.slice(0, 20));
    }
  });

  it('pages flow records in the requested order with RFC 3339 times', () => {
    const first = rowsOf(flowRecordsQuery({ window: window(3600), sortBy: 'byte', pageSize: 20 }));
    const second = rowsOf(flowRecordsQuery({ window: window(3600), sortBy: 'byte', pageSize: 20, page: 1 }));

    expect(first).toHaveLength(20);
    first.slice(1).forEach((row, i) => expect(row.bytes).toBeLessThanOrEqual(first[i].bytes));
    expect(second[0].bytes).toBeLessThanOrEqual(first[19].bytes);
    first.forEach((row) => {
      expect(row.endTime).toBeGreaterThan(nowSeconds - 3600 - 1);
      expect(row.startTime).toBeLessThan(row.endTime);
    });
    const raw = answerQuerier(new URLSearchParams(queryFormBody(flowRecordsQuery({ window: window(3600), pageSize: 1 }))), edges, NOW, NO_GATE);

    expect((raw.body as any).result.values[0][0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('gives every row each tag of its endpoints: network_map both ends (_0, _1), network one side with its role', () => {
    const time = `time>=${ nowSeconds - 3600 } AND time<=${ nowSeconds }`;
    const sample = edges.find((e) => e.client.pod && e.server.pod)!;
    // The tags are what the seed's endpoints carry (all but what shapes the traffic).
    const tags = Object.keys(sample.client).filter((k) => k !== 'role' && k !== 'app');
    const select = (db: string, sql: string) => {
      const answer = answerQuerier(new URLSearchParams({ db, sql, data_precision: '1m' }), edges, NOW, NO_GATE).body as any;

      expect(answer.DESCRIPTION).toBe('');

      return answer.result.values.map((v: unknown[]) => Object.fromEntries(answer.result.columns.map((c: string, i: number) => [c, v[i]])));
    };
    const [map] = select('flow_metrics', `SELECT ${ [...tags.map((t) => `${ t }_0`), ...tags.map((t) => `${ t }_1`)].join(', ') }, protocol, server_port FROM network_map WHERE ${ time } AND ip_0='${ sample.client.ip }' AND ip_1='${ sample.server.ip }' AND server_port=${ sample.serverPort } LIMIT 1`);
    const sides = select('flow_metrics', `SELECT ${ tags.join(', ') }, role FROM network WHERE ${ time } AND (ip='${ sample.client.ip }' OR ip='${ sample.server.ip }') AND server_port=${ sample.serverPort } LIMIT 100`);

    tags.forEach((t) => {
      expect([t, map[`${ t }_0`], map[`${ t }_1`]]).toEqual([t, (sample.client as any)[t], (sample.server as any)[t]]);
    });
    expect([map.protocol, map.server_port]).toEqual([sample.protocol, sample.serverPort]);
    [[sample.client, 0], [sample.server, 1]].forEach(([endpoint, role]) => {
      expect(sides).toContainEqual({ ...Object.fromEntries(tags.map((t) => [t, (endpoint as any)[t]])), role });
    });
  });

  describe('fails like DeepFlow v7.1.8: HTTP 500 {OPT_STATUS: "FAIL", DESCRIPTION, result: null} (router/response.go)', () => {
    const TIME = `time>=${ nowSeconds - 3600 } AND time<=${ nowSeconds }`;
    const ask = (sql: string, db = 'flow_metrics', precision: string | null = '1m') => answerQuerier(
      new URLSearchParams({ db, sql, ...(precision === null ? {} : { data_precision: precision }) }), edges, NOW, NO_GATE
    );
    const failed = (description: unknown = expect.any(String)) => ({
      status: 500, body: { OPT_STATUS: 'FAIL', DESCRIPTION: description, result: null }
    });
    const ok = { status: 200, body: { OPT_STATUS: 'SUCCESS' } };

    it('answers the bare table names with data_precision 1m or 1h on flow_metrics, none on flow_log', () => {
      expect(ask(`SELECT ip, Sum(byte) AS sum_byte FROM network WHERE ${ TIME } GROUP BY ip ORDER BY sum_byte DESC LIMIT 1`)).toMatchObject(ok);
      expect(ask(`SELECT ip_0, Sum(byte) AS sum_byte FROM network_map WHERE ${ TIME } GROUP BY ip_0 ORDER BY sum_byte DESC LIMIT 1`, 'flow_metrics', '1h')).toMatchObject(ok);
      expect(ask(`SELECT ip_0 FROM l4_flow_log WHERE ${ TIME } ORDER BY start_time DESC LIMIT 1`, 'flow_log', null)).toMatchObject(ok);
      expect(ask(`SELECT ip_0 FROM l4_flow_log WHERE ${ TIME } ORDER BY start_time DESC LIMIT 1`, 'flow_log', '')).toMatchObject(ok);
    });

    it('fails flow_metrics without a data_precision, or with one it is not stored at (the bare table does not exist)', () => {
      const sql = `SELECT ip, Sum(byte) AS sum_byte FROM network WHERE ${ TIME } GROUP BY ip ORDER BY sum_byte DESC LIMIT 1`;

      expect(ask(sql, 'flow_metrics', null)).toMatchObject(failed(expect.stringContaining('Table flow_metrics.network does not exist')));
      expect(ask(sql, 'flow_metrics', '')).toMatchObject(failed(expect.stringContaining('flow_metrics.network does not exist')));
      expect(ask(sql, 'flow_metrics', '5m')).toMatchObject(failed(expect.stringContaining('flow_metrics.network.5m does not exist')));
      // DeepFlow has 1s and 1d rows too; the stand-in says it does not make them rather than answer from minutes.
      expect(ask(sql, 'flow_metrics', '1d')).toMatchObject(failed(expect.stringContaining('models 1m and 1h rows only')));
      expect(ask(`SELECT ip_0 FROM l4_flow_log WHERE ${ TIME } ORDER BY start_time DESC LIMIT 1`, 'flow_log', '1m'))
        .toMatchObject(failed(expect.stringContaining('flow_log.l4_flow_log.1m does not exist')));
    });

    it('fails a dotted table name, quoted or not', () => {
      expect(ask(`SELECT ip, Sum(byte) AS sum_byte FROM \`network.1m\` WHERE ${ TIME } GROUP BY ip ORDER BY sum_byte DESC LIMIT 1`))
        .toMatchObject(failed('function: Sum(byte) not support'));
      expect(ask(`SELECT ip_0, Sum(byte) AS sum_byte FROM network_map.1m WHERE ${ TIME } GROUP BY ip_0 ORDER BY sum_byte DESC LIMIT 1`))
        .toMatchObject(failed('function: Sum(byte) not support'));
    });

    it('panics on any statement containing slimit or SLIMIT, even in a string literal, as recorded (ParseSlimitSql, ErrHandle)', () => {
      const panicked = {
        status: 400, body: { OPT_STATUS: 'SERVER_ERROR', DESCRIPTION: 'runtime error: index out of range [1] with length 1', result: null }, trailer: '{}'
      };

      expect(ask(`SELECT ip_0 FROM l4_flow_log WHERE ${ TIME } AND (pod_0='slimit' OR pod_1='slimit') ORDER BY start_time DESC LIMIT 1`, 'flow_log', null))
        .toMatchObject(panicked);
      expect(ask(`SELECT ip, Sum(byte) AS sum_byte FROM network WHERE ${ TIME } AND pod_ns='team-slimit-a' GROUP BY ip ORDER BY sum_byte DESC LIMIT 1`))
        .toMatchObject(panicked);
      expect(ask(`SELECT ip, Sum(byte) AS sum_byte FROM network WHERE ${ TIME } GROUP BY ip ORDER BY sum_byte DESC SLIMIT 1`))
        .toMatchObject(panicked);
    });

    it('fails an IN list of two or more addresses (ClickHouse refuses toIPv4OrNull of a tuple), answers an OR chain and a one-value IN', () => {
      const where = (cond: string) => `SELECT ip, Sum(byte) AS sum_byte FROM network WHERE ${ TIME } AND ${ cond } GROUP BY ip ORDER BY sum_byte DESC LIMIT 10`;
      const [a, b] = [...new Set(edges.map((e) => e.client.ip))];

      expect(ask(where(`ip IN ('${ a }', '${ b }')`))).toMatchObject(failed(expect.stringContaining('toIPv4OrNull')));
      expect(ask(`SELECT ip_0 FROM l4_flow_log WHERE ${ TIME } AND ip_1 IN ('${ a }', 'fd00::1') ORDER BY start_time DESC LIMIT 1`, 'flow_log', null))
        .toMatchObject(failed(expect.stringContaining('toIPv4OrNull')));
      const chain = ask(where(`(ip='${ a }' OR ip='${ b }')`));

      expect(chain).toMatchObject(ok);
      expect(new Set((chain.body as any).result.values.map((v: any[]) => v[0]))).toEqual(new Set([a, b]));
      expect(ask(where(`ip IN ('${ a }')`))).toMatchObject(ok);
      expect(ask(where('exist(pod_ns)'))).toMatchObject(ok);
    });

    it('fails what the statement gets wrong, and requests without db or sql', () => {
      expect(ask('DROP TABLE x')).toMatchObject(failed(expect.stringContaining('syntax error')));
      expect(ask('SELECT ip FROM network WHERE ip=\'1.2.3.4\' LIMIT 1')).toMatchObject(failed(expect.stringContaining('time')));
      expect(ask(`SELECT password FROM network WHERE ${ TIME } LIMIT 1`)).toMatchObject(failed(expect.stringContaining('password')));
      // DeepFlow describes chost and l3_byte (the recorded db_descriptions); the stand-in makes chost, not l3_byte.
      expect(ask(`SELECT chost FROM network WHERE ${ TIME } LIMIT 1`)).toMatchObject(ok);
      expect(ask(`SELECT ip, Sum(l3_byte) AS sum_l3_byte FROM network WHERE ${ TIME } GROUP BY ip LIMIT 1`))
        .toMatchObject(failed('the sandbox querier does not model DeepFlow\'s "l3_byte" in network'));
      expect(ask(`SELECT ip_0 FROM l4_flow_log WHERE ${ TIME } LIMIT 1`)).toMatchObject(failed(expect.stringContaining('not in database')));
      expect(ask(`SELECT ip FROM network WHERE ${ TIME } AND ip='unterminated LIMIT 1`)).toMatchObject(failed());
      expect(ask(`SELECT ip FROM l7_flow_log WHERE ${ TIME } LIMIT 1`)).toMatchObject(failed(expect.stringContaining('not found')));
      expect(answerQuerier(new URLSearchParams({ sql: 'SELECT 1' }), edges, NOW, NO_GATE)).toMatchObject(failed());
      expect(answerQuerier(new URLSearchParams({}), edges, NOW, NO_GATE)).toMatchObject(failed());
    });

    it('is read by the extension as a rejected query with DeepFlow\'s description', () => {
      const answer = ask(`SELECT ip, Sum(byte) AS sum_byte FROM \`network.1m\` WHERE ${ TIME } GROUP BY ip ORDER BY sum_byte DESC LIMIT 1`);

      expect(interpretResponse(answer.status, JSON.stringify(answer.body), {})).toEqual({
        state: 'query-rejected', status: 500, description: 'function: Sum(byte) not support'
      });
    });

    it('answers every statement the extension builds', () => {
      const w = window(3600);

      expect(run(edgesQuery({ window: w, scope: { namespace: 'shop', ips: ['10.52.0.10', 'fd00::10'] } })).state).not.toBe('query-rejected');
      expect(run(topTalkersQuery({ window: w, groupBy: 'address', addresses: ['10.52.0.10', 'fd00::10'] })).state).not.toBe('query-rejected');
      expect(run(flowRecordsQuery({ window: w, filters: { pod: 'web-0', ip: 'fd00::10' } })).state).not.toBe('query-rejected');
    });
  });
});

describe('e2e querier stand-in: the contract gate', () => {
  const w = window(3600);
  const recorded = edgesQuery({ window: w, scope: { namespace: 'shop', ips: ['10.52.0.10', '192.168.100.10'] } });
  const file = (recordings: Partial<RecordingsFile['recordings'][number]>[]): RecordingsFile => ({
    source:     { repo: 'deepflowio/deepflow', ref: 'v7.1.8', path: 'server/querier' },
    recordings: recordings.map((r, i) => ({
      id: `r${ i }`, db: 'flow_metrics', data_precision: '1m', sql: '', ok: true, clickhouse_sql: ['SELECT 1'], error: null, http_status: 200, opt_status: 'SUCCESS', panic: false, ...r
    })),
  });
  const contract = { source: 'test contract', shapes: acceptedShapes(file([{ sql: recorded.sql }, { sql: 'SELECT ip FROM network WHERE time>=1 AND time<=2 LIMIT 1', ok: false }])) };
  const ask = (query: PreparedQuery<any>) => answerQuerier(new URLSearchParams(queryFormBody(query)), edges, NOW, { contract });

  it('answers a statement of a recorded shape, whatever its values and list lengths', () => {
    expect(ask(recorded)).toMatchObject({ status: 200 });
    expect(ask(edgesQuery({ window: window(86400), scope: { namespace: 'vms', ips: ['10.52.0.11', '10.0.0.3', '192.168.100.12'] } }))).toMatchObject({ status: 200 });
    expect(ask(edgesQuery({ window: window(600), scope: { namespace: 'vms', ips: ['10.52.0.11'] } }))).toMatchObject({ status: 200 });
  });

  it('refuses, as a FAIL naming the contract, a shape that was not recorded or not accepted', () => {
    for (const query of [
      edgesQuery({ window: w }),
      // An address list of another family, or of both, is another shape.
      edgesQuery({ window: w, scope: { namespace: 'shop', ips: ['fd00::1'] } }),
      edgesQuery({ window: w, scope: { namespace: 'shop', ips: ['fd00::1', '10.52.0.10'] } }),
      edgesQuery({ window: w, scope: { namespace: 'shop', ips: ['10.52.0.10', '10.52.0.11'] }, limit: 10, filters: { port: 53 } }),
      { ...recorded, dataPrecision: '1h' as const },
    ]) {
      expect(ask(query)).toMatchObject({
        status: 500, body: { OPT_STATUS: 'FAIL', DESCRIPTION: expect.stringContaining('test contract'), result: null }
      });
    }
    expect(answerQuerier(new URLSearchParams({
      db: 'flow_metrics', data_precision: '1m', sql: 'SELECT ip FROM network WHERE time>=5 AND time<=9 LIMIT 3'
    }), edges, NOW, { contract })).toMatchObject({ status: 500, body: { DESCRIPTION: expect.stringContaining('test contract') } });
  });

  it('still fails DeepFlow\'s own rules first', () => {
    expect(answerQuerier(new URLSearchParams({ db: 'flow_metrics', sql: recorded.sql }), edges, NOW, { contract }))
      .toMatchObject({ status: 500, body: { DESCRIPTION: expect.stringContaining('does not exist') } });
  });
});

describe('hourly rows (data_precision 1h) in the stand-in', () => {
  const from = (start: number, precision: '1m' | '1h') => ({ range: { start, end: nowSeconds }, nowSeconds, precision });
  const day = nowSeconds - 86400;
  const vm = edges.find((e) => e.client.role === 'vm')!.client;

  it('answers from the sums of the minutes of each hour that starts in the range, up to now', () => {
    expect(nowSeconds % 3600).toBe(0);
    const hourly = rowsOf(edgesQuery({ window: from(day, '1h'), limit: 5000 }));

    expect(hourly.length).toBeGreaterThan(200);
    expect(hourly).toEqual(rowsOf(edgesQuery({ window: from(day, '1m'), limit: 5000 })));
    expect(rowsOf(topTalkersQuery({ window: from(day, '1h'), groupBy: 'pod' }))).toEqual(rowsOf(topTalkersQuery({ window: from(day, '1m'), groupBy: 'pod' })));
  });

  it('leaves out the hour a range starts inside, as ClickHouse filters an hourly row by its start', () => {
    expect(rowsOf(edgesQuery({ window: from(day + 1800, '1h'), limit: 5000 }))).toEqual(rowsOf(edgesQuery({ window: from(day + 3600, '1m'), limit: 5000 })));
  });

  it('puts every minute in its hour\'s bucket', () => {
    const series = (precision: '1m' | '1h') => rowsOf(trafficSeriesQuery({ window: from(day, precision), endpoint: { ips: [vm.ip] }, bucketSeconds: 3600 }));
    const hourly = series('1h');

    expect(hourly.length).toBeGreaterThan(20);
    expect(hourly.every((r) => r.time % 3600 === 0)).toBe(true);
    expect(hourly).toEqual(series('1m'));
  });

  it('refuses what depends on an hourly row\'s own values, which it does not make', () => {
    const answer = answerQuerier(new URLSearchParams({
      db: 'flow_metrics', data_precision: '1h', sql: `SELECT ip, Max(byte) AS max_byte FROM network WHERE time>=${ day } AND time<=${ nowSeconds } GROUP BY ip LIMIT 5`
    }), edges, NOW, NO_GATE);

    expect(answer).toMatchObject({ status: 500, body: { DESCRIPTION: expect.stringContaining('Sum and Avg aggregates only') } });
  });
});

describe('agent statistics (deepflow_tenant) in the stand-in', () => {
  const lastMinutes = agentWindow(nowSeconds);

  it('answers the Overview\'s two statements per seeded node, through the contract gate', () => {
    const ask = (query: PreparedQuery<ColumnSpecs>) => {
      const answer = answerQuerier(new URLSearchParams(queryFormBody(query)), edges, NOW);

      return interpretResponse(answer.status, JSON.stringify(answer.body), query.columns);
    };
    const dispatcher = ask(agentDispatcherQuery(lastMinutes)) as any;
    const flowMap = ask(agentFlowMapQuery(lastMinutes)) as any;

    expect(dispatcher.state).toBe('ok');
    expect(dispatcher.rows.map((r: any) => [r.host, r.rx > 0, r.kernelDrops > 0, r.lastSeen === nowSeconds - 5])).toEqual([
      ['harvester-node-0', true, false, true], ['harvester-node-1', true, false, true], ['harvester-node-2', true, true, true],
    ]);
    expect(flowMap.rows.map((r: any) => [r.host, r.dropByCapacity > 0])).toEqual([
      ['harvester-node-0', false], ['harvester-node-1', false], ['harvester-node-2', true],
    ]);
  });

  it('refuses other statements on deepflow_tenant like a failed query', () => {
    const answer = answerQuerier(new URLSearchParams({ db: 'deepflow_tenant', sql: 'SELECT 1 FROM deepflow_agent_monitor' }), edges, NOW, NO_GATE);

    expect(answer.status).toBe(500);
  });
});

describe('the querier stand-in on threads of its own (the sandbox runs it so)', () => {
  it.each([1, 2])('answers as the stand-in does in-process, each statement its own answer, and stops (%i threads)', async(threads) => {
    const thread = new QuerierThread(edges, threads);
    const queries = [
      edgesQuery({ window: window(3600) }), topTalkersQuery({ window: window(900), groupBy: 'pod', rankBy: 'bytes' }),
      flowRecordsQuery({ window: window(3600), pageSize: 5 }), edgesQuery({ window: window(86400), limit: 3 }),
    ];

    await thread.start();
    try {
      const answers = await Promise.all(queries.map((q) => thread.answer(queryFormBody(q), NOW)));

      answers.forEach((answer, i) => {
        const direct = answerQuerier(new URLSearchParams(queryFormBody(queries[i])), edges, NOW);

        expect(answer).toEqual({ status: direct.status, text: JSON.stringify(direct.body) });
      });
      expect(JSON.parse(answers[0].text).result.values.length).toBeGreaterThan(10);
      // Each thread tells its Linux thread id: a task of this process, not its main thread (the scale bench's CPU figures).
      const tids = thread.threadIds();

      expect(new Set(tids).size).toBe(threads);
      tids.forEach((tid) => {
        expect(tid).not.toBe(process.pid);
        expect(fs.readdirSync('/proc/self/task')).toContain(String(tid));
      });
    } finally {
      await thread.stop();
    }
    await expect(thread.answer(queryFormBody(queries[0]), NOW)).rejects.toThrow('not started');
  });
});
