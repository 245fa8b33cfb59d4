/**
 * The e2e querier stand-in answers the statements the extension really builds, in the wire shape
 * the extension's own response parser accepts, and its answers follow the statement (filters,
 * time ranges, grouping, order, paging), so browser tests exercise real query behaviour.
 */
import {
  EdgeColumns, PreparedQuery, QueryOutcome, RowOf, ColumnSpecs, edgesQuery, flowRecordsQuery, interpretResponse, queryFormBody, topTalkersQuery,
  trafficSeriesQuery, vmPeersQuery
} from '@pkg/domain/flows';
import { answerQuerier } from '../../e2e/backend/querier';
import { buildCluster } from '../../e2e/backend/seed/cluster';
import { buildFlowEdges } from '../../e2e/backend/seed/flows';
import { HOSTILE } from '../../e2e/backend/seed/hostile';

const NOW = new Date('2026-11-23T12:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const window = (seconds: number) => ({ range: { start: nowSeconds - seconds, end: nowSeconds }, nowSeconds });
const edges = buildFlowEdges(buildCluster().endpoints);

function run<S extends ColumnSpecs>(query: PreparedQuery<S>): QueryOutcome<RowOf<S>> {
  const answer = answerQuerier(new URLSearchParams(queryFormBody(query)), edges, NOW);

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
    const answer = answerQuerier(new URLSearchParams(queryFormBody(edgesQuery({ window: window(3600), limit: 1 }))), edges, NOW);

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
    const rows = rowsOf(topTalkersQuery({ window: window(3600), groupBy: 'chost', filters: { ip: '198.51.100.67' } }));

    expect(rows.map((r) => r.endpoint)).toContain(HOSTILE.template);
    expect(run(edgesQuery({ window: window(3600), filters: { pod: HOSTILE.quotes } })).state).toBe('no-data');
  });

  it('groups talkers by pod with their namespace', () => {
    const rows = rowsOf(topTalkersQuery({ window: window(3600), groupBy: 'pod', limit: 10 }));

    expect(rows).toHaveLength(10);
    rows.forEach((r) => expect(r.endpoint).not.toBe(''));
    expect(rows.every((r) => r.namespace !== '')).toBe(true);
  });

  it('buckets a series by the requested step', () => {
    const vm = edges.find((e) => e.client.role === 'vm')!.client;
    const rows = rowsOf(trafficSeriesQuery({ window: window(3 * 3600), endpoint: { ips: [vm.ip] }, bucketSeconds: 600 }));

    // Both ends of the range are inclusive: 3 h of 10-minute buckets plus the one holding the end.
    expect(rows).toHaveLength(19);
    rows.forEach((r) => expect(r.time % 600).toBe(0));
    expect(new Set(rows.map((r) => r.bytesTx)).size).toBeGreaterThan(1);
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
    const raw = answerQuerier(new URLSearchParams(queryFormBody(flowRecordsQuery({ window: window(3600), pageSize: 1 }))), edges, NOW);

    expect((raw.body as any).result.values[0][0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('rejects what the querier rejects, with its error shape', () => {
    const ask = (sql: string, db = 'flow_metrics') => answerQuerier(new URLSearchParams({ db, sql }), edges, NOW);

    expect(ask('DROP TABLE x')).toMatchObject({ status: 400, body: { OPT_STATUS: 'INVALID_PARAMETERS' } });
    expect(ask("SELECT ip FROM `network.1m` WHERE ip='1.2.3.4' LIMIT 1")).toMatchObject({ status: 400, body: { DESCRIPTION: expect.stringContaining('time') } });
    expect(ask('SELECT password FROM `network.1m` WHERE time>=1 AND time<=2 LIMIT 1')).toMatchObject({ status: 400 });
    expect(ask('SELECT ip_0 FROM l4_flow_log WHERE time>=1 AND time<=2 LIMIT 1')).toMatchObject({ status: 400 });
    expect(ask("SELECT ip FROM `network.1m` WHERE time>=1 AND time<=2 AND ip='unterminated LIMIT 1")).toMatchObject({ status: 400 });
  });
});
