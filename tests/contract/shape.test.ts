/**
 * Statement shapes (tests/contract/shape.ts): what the e2e querier stand-in compares with the
 * recorded DeepFlow contract. Two statements share a shape exactly when they differ only in values
 * and list lengths.
 */
import { acceptedShapes, loadShapeContract, shapeKey, statementShape } from './shape';
import { contractStatements } from './statements';
import { RecordingsFile } from './recordings';
import { edgesQuery, flowRecordsQuery, topTalkersQuery, trafficSeriesQuery } from '@pkg/domain/flows/query/queries';
import { talkerQueries } from '@pkg/domain/flows/view/view-talkers';

const NOW = 1_767_225_600;
const window = (seconds = 3600, now = NOW) => ({ range: { start: now - seconds, end: now }, nowSeconds: now });

const key = (q: { db: string; dataPrecision?: string; sql: string }) => shapeKey({ db: q.db, data_precision: q.dataPrecision ?? '', sql: q.sql });

describe('statementShape', () => {
  it('replaces string literals with ?s and numbers with ?n', () => {
    expect(statementShape('SELECT ip, Sum(byte) AS sum_byte FROM network WHERE time>=100 AND time<=200 AND pod_ns=\'shop\' GROUP BY ip ORDER BY sum_byte DESC LIMIT 50'))
      .toBe('SELECT ip, Sum(byte) AS sum_byte FROM network WHERE time>=?n AND time<=?n AND pod_ns=?s GROUP BY ip ORDER BY sum_byte DESC LIMIT ?n');
    expect(statementShape('SELECT time(time, 60) AS b FROM network WHERE exist(pod) LIMIT 1 OFFSET 50'))
      .toBe('SELECT time(time, ?n) AS b FROM network WHERE exist(pod) LIMIT ?n OFFSET ?n');
  });

  it('collapses OR chains of one column, whatever their length, and keeps a single value apart', () => {
    expect(statementShape('SELECT ip FROM network WHERE (ip=\'a\' OR ip=\'b\') LIMIT 1')).toBe('SELECT ip FROM network WHERE (ip=?s OR …) LIMIT ?n');
    expect(statementShape('SELECT ip FROM network WHERE (ip=\'a\' OR ip=\'b\' OR ip=\'c\' OR ip=\'d\') LIMIT 1'))
      .toBe(statementShape('SELECT ip FROM network WHERE (ip=\'x\' OR ip=\'y\') LIMIT 7'));
    expect(statementShape('SELECT ip FROM network WHERE ip=\'a\' LIMIT 1')).toBe('SELECT ip FROM network WHERE ip=?s LIMIT ?n');
    // Different columns in one chain are not a list.
    expect(statementShape('SELECT ip FROM network WHERE (ip=\'a\' OR pod=\'b\') LIMIT 1')).toBe('SELECT ip FROM network WHERE (ip=?s OR pod=?s) LIMIT ?n');
    // Nested chains (a scope: namespace tag OR the VMs' addresses) collapse inside.
    expect(statementShape('SELECT ip_0 FROM network_map WHERE ((pod_ns_0=\'vms\' OR (ip_0=\'a\' OR ip_0=\'b\' OR ip_0=\'c\')) OR (pod_ns_1=\'vms\' OR (ip_1=\'a\' OR ip_1=\'b\'))) LIMIT 5'))
      .toBe('SELECT ip_0 FROM network_map WHERE ((pod_ns_0=?s OR (ip_0=?s OR …)) OR (pod_ns_1=?s OR (ip_1=?s OR …))) LIMIT ?n');
  });

  it('keeps quoting, IN lists, comments and separators visible', () => {
    expect(statementShape('SELECT ip FROM `network.1m` WHERE ip IN (\'a\', \'b\') LIMIT 1')).toBe('SELECT ip FROM `network.1m` WHERE ip IN (?s, ?s) LIMIT ?n');
    expect(statementShape('SELECT ip FROM network WHERE ip IN (\'a\', \'b\') LIMIT 1')).not.toBe(statementShape('SELECT ip FROM network WHERE (ip=\'a\' OR ip=\'b\') LIMIT 1'));
    // On the ip tags a list's length is structure (probe/ip-in-list); on stored columns it is not.
    expect(statementShape('SELECT ip FROM network WHERE ip IN (\'a\') LIMIT 1')).not.toBe(statementShape('SELECT ip FROM network WHERE ip IN (\'a\', \'b\') LIMIT 1'));
    expect(statementShape('SELECT ip FROM network WHERE ip4 IN (\'a\') LIMIT 1')).toBe('SELECT ip FROM network WHERE ip4 IN (?s, …) LIMIT ?n');
    expect(statementShape('SELECT ip FROM network WHERE ip4 IN (\'a\', \'b\', \'c\') LIMIT 1')).toBe('SELECT ip FROM network WHERE ip4 IN (?s, …) LIMIT ?n');
    expect(statementShape('SELECT ip FROM network LIMIT 1; DROP TABLE x')).toContain('<separator:;>');
    expect(statementShape('SELECT ip FROM network -- x')).toContain('<comment:-- x>');
  });

  it('gives the extension\'s statements that differ only in values and list lengths one shape', () => {
    const a = edgesQuery({ window: window(3600), scope: { namespace: 'vms', ips: ['10.52.0.10', 'fd00:100::10'] } });
    const b = edgesQuery({ window: window(86400, NOW + 999), scope: { namespace: 'shop-2', ips: ['fd00::1', '10.0.0.1', '10.0.0.2', '2001:db8::5'] } });

    expect(a.sql).not.toBe(b.sql);
    expect(key(a)).toBe(key(b));
    // An address list is an IN list per family, one address or many.
    expect(key(edgesQuery({ window: window(), scope: { namespace: 'vms', ips: ['10.52.0.10'] } })))
      .toBe(key(edgesQuery({ window: window(), scope: { namespace: 'vms', ips: ['10.52.0.10', '192.168.100.10', '10.0.0.7'] } })));
    const t1 = talkerQueries('vm', 'bytes', window(), { namespace: 'vms', ips: ['10.52.0.10', 'fd00:100::10'] }).addresses!;
    const t2 = talkerQueries('vm', 'bytes', window(900), { namespace: 'shop-2', ips: ['10.0.0.9', 'fd00::9', '10.0.0.10'] }).addresses!;

    expect(key(t1)).toBe(key(t2));
    expect(key(flowRecordsQuery({ window: window(), filters: { pod: 'web-0' }, page: 1 }))).toBe(key(flowRecordsQuery({ window: window(600), filters: { pod: 'db-7.x' }, page: 3 })));
  });

  it('tells apart different columns, tables, groupings, list-or-single and precision', () => {
    const w = window();
    const base = edgesQuery({ window: w, scope: { namespace: 'vms', ips: ['10.52.0.10', '192.168.100.10'] } });
    const differing = [
      // Which address families a list has is structure.
      edgesQuery({ window: w, scope: { namespace: 'vms', ips: ['fd00::1'] } }),
      edgesQuery({ window: w, scope: { namespace: 'vms', ips: ['10.52.0.10', 'fd00::1'] } }),
      edgesQuery({ window: w, scope: { namespace: 'vms', pods: ['a', 'b'], ips: ['10.52.0.10', '192.168.100.10'] } }),
      edgesQuery({ window: w, scope: { namespace: 'vms', ips: ['10.52.0.10', '192.168.100.10'] }, filters: { port: 53 } }),
      edgesQuery({ window: w }),
      { ...base, dataPrecision: '1s' as const },
      { ...base, db: 'flow_log' as const },
    ];

    differing.forEach((q) => expect(key(q)).not.toBe(key(base)));
    const talkers = (['pod', 'namespace', 'address'] as const).map((groupBy) => key(topTalkersQuery({ window: w, groupBy, addresses: ['10.0.0.1', '10.0.0.2'] })));

    expect(new Set(talkers).size).toBe(3);
    expect(key(topTalkersQuery({ window: w, groupBy: 'pod', rankBy: 'connections' }))).not.toBe(key(topTalkersQuery({ window: w, groupBy: 'pod' })));
    expect(key(trafficSeriesQuery({ window: w, endpoint: { ips: ['10.0.0.1'] } }))).not.toBe(key(trafficSeriesQuery({ window: w, endpoint: { pods: ['p'], namespace: 'n' } })));
  });
});

describe('acceptedShapes', () => {
  const recording = (id: string, sql: string, extra: object = {}) => ({
    id, db: 'flow_metrics', data_precision: '1m', sql, ok: true, clickhouse_sql: ['SELECT 1'], error: null, http_status: 200, opt_status: 'SUCCESS', panic: false, ...extra
  });
  const edges = edgesQuery({ window: window(), scope: { namespace: 'vms', ips: ['10.52.0.10', '192.168.100.10'] } });
  const file: RecordingsFile = {
    source:     { repo: 'deepflowio/deepflow', ref: 'v7.1.8', path: 'server/querier' },
    recordings: [
      recording('flows/edges/x', edges.sql),
      recording('flows/failed', 'SELECT ip FROM network WHERE time>=1 AND time<=2 LIMIT 1', { ok: false, http_status: 500, opt_status: 'FAIL' }),
      recording('flows/panicked', 'SELECT pod FROM network WHERE time>=1 AND time<=2 LIMIT 1', { panic: true }),
      recording('probe/ip-in-list', 'SELECT ip FROM network WHERE ip IN (\'a\', \'b\') LIMIT 1'),
      recording('grafana/panel', 'SELECT pod_ns FROM network WHERE time>=1 AND time<=2 LIMIT 1'),
      recording('records/x', 'SELECT ip_0 FROM l4_flow_log WHERE time>=1 AND time<=2 LIMIT 1', { db: 'flow_log', data_precision: '' }),
    ],
  };
  const shapes = acceptedShapes(file);

  it('keeps the extension\'s accepted recordings, keyed by db, data_precision and shape', () => {
    expect(shapes.size).toBe(2);
    expect(shapes.has(key(edges))).toBe(true);
    expect(shapes.has(key(edgesQuery({ window: window(60), scope: { namespace: 'shop', ips: ['10.0.0.5', '10.0.0.1', '10.0.0.3'] } })))).toBe(true);
    expect(shapes.has(key(edgesQuery({ window: window(60), scope: { namespace: 'shop', ips: ['fd00::1', '10.0.0.1'] } })))).toBe(false);
    expect(shapes.has(shapeKey({ db: 'flow_log', data_precision: '', sql: 'SELECT ip_0 FROM l4_flow_log WHERE time>=5 AND time<=9 LIMIT 50' }))).toBe(true);
    expect(shapes.has(shapeKey({ db: 'flow_log', data_precision: '1m', sql: 'SELECT ip_0 FROM l4_flow_log WHERE time>=5 AND time<=9 LIMIT 50' }))).toBe(false);
  });

  it('leaves out refused and panicking recordings, probes and the Grafana plugin\'s requests', () => {
    for (const sql of [
      'SELECT ip FROM network WHERE time>=1 AND time<=2 LIMIT 1', 'SELECT pod FROM network WHERE time>=1 AND time<=2 LIMIT 1',
      'SELECT ip FROM network WHERE ip IN (\'a\', \'b\') LIMIT 1', 'SELECT pod_ns FROM network WHERE time>=1 AND time<=2 LIMIT 1',
    ]) {
      expect(shapes.has(shapeKey({ db: 'flow_metrics', data_precision: '1m', sql }))).toBe(false);
    }
  });

  it('loads the committed recordings: every statement the extension builds has an accepted shape', () => {
    const contract = loadShapeContract();

    for (const s of contractStatements()) {
      expect([s.id, contract.shapes.has(shapeKey(s))]).toEqual([s.id, true]);
    }
  });
});
