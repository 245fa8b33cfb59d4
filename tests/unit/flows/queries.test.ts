import {
  bucketSecondsFor, edgesQuery, flowRecordsQuery, podPeersQuery, rangeEndingAt, topTalkersQuery, trafficSeriesQuery, vmPeersQuery
} from '@pkg/domain/flows/query/queries';
import { QueryBuildError } from '@pkg/domain/flows/query/sql';

const NOW = 1_777_700_000;
const window = { range: { start: NOW - 3600, end: NOW }, nowSeconds: NOW };
const TIME = `time>=${ NOW - 3600 } AND time<=${ NOW }`;

const EDGE_SELECT = 'ip_0, ip_1, pod_0, pod_1, pod_ns_0, pod_ns_1, pod_node_0, pod_node_1, protocol, server_port';
const EDGE_METRICS = 'Sum(byte) AS sum_byte, Sum(byte_tx) AS sum_byte_tx, Sum(byte_rx) AS sum_byte_rx, Sum(packet_tx) AS sum_packet_tx, ' +
  'Sum(packet_rx) AS sum_packet_rx, Avg(rtt) AS avg_rtt, Sum(retrans) AS sum_retrans, Sum(tcp_establish_fail) AS sum_tcp_establish_fail, ' +
  'Sum(new_flow) AS sum_new_flow';

function buildError(fn: () => unknown): QueryBuildError {
  try {
    fn();
  } catch (err) {
    if (err instanceof QueryBuildError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a QueryBuildError');
}

const TALKER_METRICS = 'Sum(byte_tx) AS sum_byte_tx, Sum(byte_rx) AS sum_byte_rx, Sum(byte) AS sum_byte, Sum(packet) AS sum_packet, ' +
  'Sum(new_flow) AS sum_new_flow';

describe('topTalkersQuery', () => {
  it('ranks pods by bytes on network (minute data), skipping untagged rows', () => {
    const q = topTalkersQuery({ window, groupBy: 'pod' });

    expect(q.db).toBe('flow_metrics');
    expect(q.dataPrecision).toBe('1m');
    expect(q.sql).toBe(`SELECT pod_ns, pod, ${ TALKER_METRICS } FROM network WHERE ${ TIME } AND exist(pod) GROUP BY pod_ns, pod ORDER BY sum_byte DESC LIMIT 50`);
    expect(q.columns.endpoint.column).toBe('pod');
    expect(q.columns.namespace.column).toBe('pod_ns');
  });

  it('ranks namespaces by new connections, by the pod_ns tag', () => {
    const q = topTalkersQuery({
      window, groupBy: 'namespace', rankBy: 'connections', limit: 10
    });

    expect(q.dataPrecision).toBe('1m');
    expect(q.sql).toBe(`SELECT pod_ns, ${ TALKER_METRICS } FROM network WHERE ${ TIME } AND exist(pod_ns) GROUP BY pod_ns ORDER BY sum_new_flow DESC LIMIT 10`);
    expect(q.columns.endpoint.column).toBe('pod_ns');
    expect(q.columns.namespace.column).toBe('pod_ns');
  });

  it('ranks given addresses (IPv4 and IPv6) as one IN list per family on DeepFlow\'s stored columns, with pod_ns to tell tagged traffic apart', () => {
    const q = topTalkersQuery({
      window, groupBy: 'address', addresses: ['10.52.0.10', '192.168.100.10', 'FD00:100:0::10'], limit: 200
    });

    expect(q.dataPrecision).toBe('1m');
    expect(q.sql).toBe(`SELECT ip, pod_ns, ${ TALKER_METRICS } FROM network WHERE ${ TIME } ` +
      'AND ((is_ipv4=1 AND ip4 IN (\'10.52.0.10\', \'192.168.100.10\')) OR (is_ipv4=0 AND ip6 IN (\'fd00:100::10\'))) GROUP BY ip, pod_ns ORDER BY sum_byte DESC LIMIT 200');
    // Never an IN list on the ip tag (probe/ip-in-list).
    expect(q.sql).not.toMatch(/\bip(_[01])? IN\b/);
    expect(q.columns.endpoint.column).toBe('ip');
  });

  it('narrows to a namespace scope with the VMs\' addresses as an IN list', () => {
    const q = topTalkersQuery({ window, groupBy: 'pod', scope: { namespace: 'vms', ips: ['10.0.0.5', '10.0.0.6'] } });

    expect(q.sql).toContain(`WHERE ${ TIME } AND (pod_ns='vms' OR (is_ipv4=1 AND ip4 IN ('10.0.0.5', '10.0.0.6'))) AND exist(pod) GROUP BY pod_ns, pod`);
  });

  it('never groups or selects chost', () => {
    for (const groupBy of ['pod', 'namespace', 'address'] as const) {
      expect(topTalkersQuery({ window, groupBy, addresses: ['10.0.0.1'] }).sql).not.toContain('chost');
    }
  });

  it('rejects unknown groupings, ranks and limits', () => {
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'pod_ns; --' as any }))).toMatchObject({ code: 'invalid-option' });
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'chost' as any }))).toMatchObject({ code: 'invalid-option', params: { value: 'chost' } });
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'ip' as any }))).toMatchObject({ code: 'invalid-option' });
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'toString' as any }))).toMatchObject({ code: 'invalid-option' });
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'pod', rankBy: 'latency' as any }))).toMatchObject({ code: 'invalid-option' });
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'pod', limit: 0 }))).toMatchObject({ code: 'invalid-number' });
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'pod', limit: 1e9 }))).toMatchObject({ code: 'invalid-number' });
  });

  it('ranks every address without a list, and validates a list it is given', () => {
    expect(topTalkersQuery({ window, groupBy: 'address', limit: 1000 }).sql).toBe(
      `SELECT ip, pod_ns, ${ TALKER_METRICS } FROM network WHERE ${ TIME } GROUP BY ip, pod_ns ORDER BY sum_byte DESC LIMIT 1000`
    );
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'address', addresses: [] }))).toMatchObject({ code: 'invalid-list' });
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'address', addresses: [''] }))).toMatchObject({ code: 'invalid-list' });
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'address', addresses: ['10.0.0.1\' OR 1=1'] }))).toMatchObject({ code: 'invalid-ip' });
  });

  it('refuses namespace scopes that are not names, or that the querier mistakes for SLIMIT', () => {
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'pod', scope: { namespace: 'Prod' } })))
      .toMatchObject({ code: 'invalid-name', params: { kind: 'namespace', reason: 'not-a-name' } });
    expect(buildError(() => topTalkersQuery({ window, groupBy: 'namespace', scope: { namespace: 'team-slimit' } })))
      .toMatchObject({ code: 'invalid-name', params: { kind: 'namespace', reason: 'querier-keyword' } });
  });
});

describe('edgesQuery', () => {
  it('groups client/server pairs on network_map (minute data), biggest first, without chost', () => {
    const q = edgesQuery({ window });

    expect(q.db).toBe('flow_metrics');
    expect(q.dataPrecision).toBe('1m');
    expect(q.sql).not.toContain('chost');
    expect(Object.values(q.columns).map((c) => c.column).filter((c) => c.includes('chost'))).toEqual([]);
    expect(q.sql).toBe(`SELECT ${ EDGE_SELECT }, ${ EDGE_METRICS } FROM network_map WHERE ${ TIME } GROUP BY ${ EDGE_SELECT } ORDER BY sum_byte DESC LIMIT 2000`);
  });

  it('applies every filter to both sides', () => {
    const q = edgesQuery({
      window,
      filters: {
        namespace: 'shop', pod: 'web-0', ip: '10.0.0.1', port: 5432, protocol: 'udp'
      }
    });

    expect(q.sql).toContain(`WHERE ${ TIME } AND (pod_ns_0='shop' OR pod_ns_1='shop') AND (pod_0='web-0' OR pod_1='web-0') ` +
      'AND (ip_0=\'10.0.0.1\' OR ip_1=\'10.0.0.1\') AND server_port=5432 AND protocol=17 GROUP BY');
  });

  it('validates filters', () => {
    expect(buildError(() => edgesQuery({ window, filters: { ip: 'not-an-ip' } }))).toMatchObject({ code: 'invalid-ip' });
    expect(buildError(() => edgesQuery({ window, filters: { port: 70000 } }))).toMatchObject({ code: 'invalid-number' });
    expect(buildError(() => edgesQuery({ window, filters: { protocol: 'tcp OR 1=1' as any } }))).toMatchObject({ code: 'invalid-option' });
    expect(buildError(() => edgesQuery({ window, filters: { pod: 'web-slimit-0' } }))).toMatchObject({ code: 'invalid-name', params: { kind: 'pod', reason: 'querier-keyword' } });
    expect(buildError(() => edgesQuery({ window, filters: { namespace: 'shop\' OR 1=1' } }))).toMatchObject({ code: 'invalid-name', params: { reason: 'not-a-name' } });
    expect(buildError(() => edgesQuery({ window, scope: { pods: ['Web'] } }))).toMatchObject({ code: 'invalid-name', params: { kind: 'pod' } });
    expect(buildError(() => edgesQuery({ window, filters: { protocol: 'constructor' as any } }))).toMatchObject({ code: 'invalid-option' });
    expect(buildError(() => edgesQuery({ window, scope: {} }))).toMatchObject({ code: 'invalid-option', params: { option: 'scope' } });
    expect(buildError(() => edgesQuery({ window: { range: { start: NOW, end: NOW - 1 }, nowSeconds: NOW } }))).toMatchObject({ code: 'invalid-time-range' });
  });
});

describe('vmPeersQuery / podPeersQuery', () => {
  it('finds a VM by its NIC addresses or its virt-launcher pod, on either side', () => {
    const q = vmPeersQuery({ window, vm: { namespace: 'default', ips: ['10.52.0.5', '192.168.100.5'], launcherPod: 'virt-launcher-vm1-abcde' } });

    expect(q.dataPrecision).toBe('1m');
    expect(q.sql).toContain(`WHERE ${ TIME } AND (((pod_ns_0='default' AND pod_0='virt-launcher-vm1-abcde') OR (is_ipv4=1 AND ip4_0 IN ('10.52.0.5', '192.168.100.5'))) ` +
      'OR ((pod_ns_1=\'default\' AND pod_1=\'virt-launcher-vm1-abcde\') OR (is_ipv4=1 AND ip4_1 IN (\'10.52.0.5\', \'192.168.100.5\')))) GROUP BY');
    expect(q.sql).not.toMatch(/\bip(_[01])? IN\b/);
    expect(q.sql).toMatch(/LIMIT 500$/);
  });

  it('finds a VM by addresses alone when its launcher pod is unknown', () => {
    const q = vmPeersQuery({ window, vm: { namespace: 'default', ips: ['fd00::0:5'] } });

    expect(q.sql).toContain(`WHERE ${ TIME } AND ((is_ipv4=0 AND ip6_0 IN ('fd00::5')) OR (is_ipv4=0 AND ip6_1 IN ('fd00::5'))) GROUP BY`);
  });

  it('lists several IPv4 and IPv6 addresses as an IN list per family on each side', () => {
    const q = vmPeersQuery({ window, vm: { namespace: 'default', ips: ['10.52.0.5', 'fd00::0:5', '2001:db8::1'] } });

    expect(q.sql).toContain(`WHERE ${ TIME } AND (((is_ipv4=1 AND ip4_0 IN ('10.52.0.5')) OR (is_ipv4=0 AND ip6_0 IN ('fd00::5', '2001:db8::1'))) ` +
      'OR ((is_ipv4=1 AND ip4_1 IN (\'10.52.0.5\')) OR (is_ipv4=0 AND ip6_1 IN (\'fd00::5\', \'2001:db8::1\')))) GROUP BY');
  });

  it('refuses a VM without addresses or launcher pod instead of querying everything', () => {
    expect(buildError(() => vmPeersQuery({ window, vm: { namespace: 'default', ips: [] } }))).toMatchObject({ code: 'invalid-option' });
  });

  it('finds a pod by its tags', () => {
    const q = podPeersQuery({ window, namespace: 'ns', pod: 'p' });

    expect(q.sql).toContain('AND ((pod_ns_0=\'ns\' AND pod_0=\'p\') OR (pod_ns_1=\'ns\' AND pod_1=\'p\')) GROUP BY');
  });

  it('refuses a pod name the querier mistakes for its SLIMIT keyword', () => {
    expect(buildError(() => podPeersQuery({ window, namespace: 'shop', pod: 'slimit' }))).toMatchObject({ code: 'invalid-name', params: { reason: 'querier-keyword' } });
  });
});

describe('trafficSeriesQuery', () => {
  it('buckets one endpoint over time, oldest first', () => {
    const q = trafficSeriesQuery({ window, endpoint: { ips: ['10.0.0.1'] } });

    expect(q.dataPrecision).toBe('1m');
    expect(q.sql).toBe('SELECT time(time, 60) AS time_bucket, Sum(byte_tx) AS sum_byte_tx, Sum(byte_rx) AS sum_byte_rx, Sum(packet) AS sum_packet, ' +
      `Sum(new_flow) AS sum_new_flow, Sum(retrans) AS sum_retrans FROM network WHERE ${ TIME } AND (is_ipv4=1 AND ip4 IN ('10.0.0.1')) ` +
      'GROUP BY time_bucket ORDER BY time_bucket ASC LIMIT 61');
  });

  it('chooses coarser buckets for longer ranges', () => {
    expect(bucketSecondsFor({ start: 0, end: 3600 })).toBe(60);
    expect(bucketSecondsFor({ start: 0, end: 86400 })).toBe(300);
    expect(bucketSecondsFor({ start: 0, end: 7 * 86400 })).toBe(1800);
    expect(bucketSecondsFor({ start: 0, end: 31 * 86400 })).toBe(3 * 3600);
  });

  it('reads hourly rows when the window says so, in buckets of whole hours', () => {
    const start = Math.floor((NOW - 86400) / 3600) * 3600;
    const day = { range: { start, end: NOW }, nowSeconds: NOW, precision: '1h' as const };
    const q = trafficSeriesQuery({ window: day, endpoint: { ips: ['10.0.0.1'] } });

    expect(bucketSecondsFor(day.range, 360, '1h')).toBe(3600);
    expect(bucketSecondsFor({ start: 0, end: 7 * 86400 }, 120, '1h')).toBe(3 * 3600);
    expect(q.dataPrecision).toBe('1h');
    expect(q.sql).toMatch(new RegExp(`^SELECT time\\(time, 3600\\) AS time_bucket, .* FROM network WHERE time>=${ start } AND time<=${ NOW } .* LIMIT 26$`));
    // A bucket smaller than a row, or not whole rows, would split an hour's row.
    for (const bucketSeconds of [60, 1800, 5400]) {
      expect(buildError(() => trafficSeriesQuery({ window: day, endpoint: { ips: ['10.0.0.1'] }, bucketSeconds }))).toMatchObject({
        code: 'invalid-number', params: { min: 3600 }
      });
    }
    expect(edgesQuery({ window: day }).dataPrecision).toBe('1h');
    expect(topTalkersQuery({ window: day, groupBy: 'pod' }).dataPrecision).toBe('1h');
    // Flow records have no precision: flow_log is one row per flow.
    expect('dataPrecision' in flowRecordsQuery({ window: day })).toBe(false);
  });

  it('rejects buckets that are not whole minutes or produce too many points', () => {
    expect(buildError(() => trafficSeriesQuery({ window, endpoint: { ips: ['10.0.0.1'] }, bucketSeconds: 90 }))).toMatchObject({ code: 'invalid-number' });
    expect(buildError(() => trafficSeriesQuery({ window, endpoint: { ips: ['10.0.0.1'] }, bucketSeconds: 30 }))).toMatchObject({ code: 'invalid-number' });
    const month = { range: { start: NOW - 31 * 86400, end: NOW }, nowSeconds: NOW };

    expect(buildError(() => trafficSeriesQuery({ window: month, endpoint: { ips: ['10.0.0.1'] }, bucketSeconds: 60 }))).toMatchObject({ code: 'invalid-option' });
  });

  it('requires an endpoint', () => {
    expect(buildError(() => trafficSeriesQuery({ window, endpoint: { ips: [''], pods: [] } }))).toMatchObject({ code: 'invalid-option' });
  });
});

describe('flowRecordsQuery', () => {
  it('pages flow_log.l4_flow_log sorted by an allow-listed column', () => {
    const q = flowRecordsQuery({
      window, filters: { ip: '10.0.0.1' }, sortBy: 'byte', pageSize: 50, page: 2
    });

    expect(q.db).toBe('flow_log');
    expect(q.dataPrecision).toBeUndefined();
    expect('dataPrecision' in q).toBe(false);
    expect(q.sql).toBe('SELECT start_time, end_time, ip_0, ip_1, client_port, server_port, protocol, pod_0, pod_1, pod_ns_0, pod_ns_1, pod_node_0, ' +
      `pod_node_1, byte, byte_tx, byte_rx, packet, rtt, duration, retrans, close_type, status FROM l4_flow_log WHERE ${ TIME } ` +
      'AND (ip_0=\'10.0.0.1\' OR ip_1=\'10.0.0.1\') ORDER BY byte DESC LIMIT 50 OFFSET 100');
  });

  it('defaults to the newest flows first', () => {
    expect(flowRecordsQuery({ window }).sql).toMatch(/ORDER BY start_time DESC LIMIT 100$/);
    expect(flowRecordsQuery({ window, direction: 'asc', sortBy: 'rtt' }).sql).toMatch(/ORDER BY rtt ASC LIMIT 100$/);
  });

  it.each([
    [{ sortBy: 'pod_0' }, 'invalid-option'],
    [{ sortBy: 'start_time; DROP' }, 'invalid-option'],
    [{ direction: 'DESC' }, 'invalid-option'],
    [{ pageSize: 501 }, 'invalid-number'],
    [{ pageSize: 0 }, 'invalid-number'],
    [{ page: -1 }, 'invalid-number'],
    [{ page: 1.5 }, 'invalid-number'],
    [{ pageSize: 500, page: 201 }, 'invalid-number'],
  ])('rejects %p', (opts, code) => {
    expect(buildError(() => flowRecordsQuery({ window, ...(opts as any) }))).toMatchObject({ code });
  });
});

describe('rangeEndingAt', () => {
  it('returns a whole-second range ending now', () => {
    expect(rangeEndingAt(NOW + 0.7, 900)).toEqual({ start: NOW - 900, end: NOW });
  });
});
