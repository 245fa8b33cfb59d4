import {
  BUSIEST_ADDRESSES, busiestAddressesFull, rankTalkers, talkerQueries, TalkerRow, TALKER_QUERY_LIMIT
} from '@pkg/domain/flows/view/view-talkers';
import { QueryBuildError } from '@pkg/domain/flows/query/sql';
import { scenarioIndex } from '../../fixtures/querier/scenario';

const NOW = 1_000_000;
const window = { range: { start: NOW - 3600, end: NOW }, nowSeconds: NOW };

const row = (endpoint: string, bytesTx: number, bytesRx: number, newFlows: number, namespace = ''): TalkerRow => ({
  endpoint, namespace, bytesTx, bytesRx, bytes: bytesTx + bytesRx, packets: 1, newFlows
});

describe('talkerQueries: the querier calls of one talker view', () => {
  const vmAddresses = ['10.52.0.10', '192.168.100.10', 'fd00:100::10'];

  it('VMs: only the totals of the VMs\' addresses (DeepFlow does not tag virt-launcher pods)', () => {
    const q = talkerQueries('vm', 'bytes', window, { namespace: 'vms', ips: vmAddresses });

    expect(Object.keys(q)).toEqual(['addresses']);
    expect(q.addresses?.db).toBe('flow_metrics');
    expect(q.addresses?.dataPrecision).toBe('1m');
    expect(q.addresses?.sql).toContain(' FROM network WHERE ');
    expect(q.addresses?.sql).toContain('AND ((is_ipv4=1 AND ip4 IN (\'10.52.0.10\', \'192.168.100.10\')) OR (is_ipv4=0 AND ip6 IN (\'fd00:100::10\'))) GROUP BY ip, pod_ns ORDER BY sum_byte DESC');
    expect(q.addresses?.sql).toMatch(new RegExp(`LIMIT ${ TALKER_QUERY_LIMIT * 4 }$`));
    // The addresses are the scope already: no namespace condition on top.
    expect(q.addresses?.sql).not.toContain('pod_ns=');
  });

  it('VMs of all namespaces: the busiest addresses, none listed (one statement may list only some VMs)', () => {
    const q = talkerQueries('vm', 'connections', window, undefined);

    expect(Object.keys(q)).toEqual(['addresses']);
    expect(q.addresses?.sql).toMatch(new RegExp(`^SELECT ip, pod_ns, .* FROM network WHERE time>=\\d+ AND time<=\\d+ GROUP BY ip, pod_ns ORDER BY sum_new_flow DESC LIMIT ${ BUSIEST_ADDRESSES }$`));
  });

  it('says when the busiest addresses filled the answer, only for all namespaces', () => {
    const full = Array.from({ length: BUSIEST_ADDRESSES }, (_, i) => row(`10.9.${ i >> 8 }.${ i & 255 }`, 1, 1, 1));

    expect(busiestAddressesFull(undefined, full)).toBe(true);
    expect(busiestAddressesFull(undefined, full.slice(1))).toBe(false);
    expect(busiestAddressesFull(undefined, undefined)).toBe(false);
    expect(busiestAddressesFull({ namespace: 'vms', ips: vmAddresses }, full)).toBe(false);
  });

  it('VMs of a namespace without any VM address: no querier call at all; of all namespaces, no address needed', () => {
    expect(talkerQueries('vm', 'bytes', window, { namespace: 'shop', ips: [] })).toEqual({ addresses: undefined });
    expect(talkerQueries('vm', 'bytes', window, { namespace: 'shop' })).toEqual({ addresses: undefined });
    expect(talkerQueries('vm', 'bytes', window, undefined).addresses?.sql).not.toMatch(/ip4? ?IN|ip=/);
  });

  it('pods: only the pod tag totals, scoped, ranked by what the view ranks', () => {
    const q = talkerQueries('pod', 'connections', window, { namespace: 'shop', ips: [] });

    expect(Object.keys(q)).toEqual(['tagged']);
    expect(q.tagged?.dataPrecision).toBe('1m');
    expect(q.tagged?.sql).toContain('AND pod_ns=\'shop\' AND exist(pod) GROUP BY pod_ns, pod ORDER BY sum_new_flow DESC');
    expect(q.tagged?.sql).toMatch(new RegExp(`LIMIT ${ TALKER_QUERY_LIMIT }$`));
  });

  it('namespaces: the pod_ns tag totals plus the VMs\' address totals', () => {
    const q = talkerQueries('namespace', 'bytes', window, undefined);

    expect(Object.keys(q).sort()).toEqual(['addresses', 'tagged']);
    expect(q.tagged?.sql).toContain('exist(pod_ns) GROUP BY pod_ns ORDER BY sum_byte DESC');
    expect(q.addresses?.sql).toContain('GROUP BY ip, pod_ns');
    expect(talkerQueries('namespace', 'bytes', window, { namespace: 'shop', ips: [] }).addresses).toBeUndefined();
  });

  it('never selects chost and never writes an IN list on the ip tag', () => {
    for (const by of ['vm', 'pod', 'namespace'] as const) {
      const q = talkerQueries(by, 'bytes', window, { namespace: 'vms', ips: vmAddresses });

      for (const query of [q.tagged, q.addresses]) {
        expect(query?.sql ?? '').not.toMatch(/chost|\bip(_[01])? IN\b/);
      }
    }
  });

  it('throws QueryBuildError for a scope the builders refuse', () => {
    expect(() => talkerQueries('pod', 'bytes', window, { namespace: 'slimit' })).toThrow(QueryBuildError);
    expect(() => talkerQueries('vm', 'bytes', window, { namespace: 'vms', ips: ['not-an-ip'] })).toThrow(QueryBuildError);
  });
});

describe('rankTalkers', () => {
  const index = scenarioIndex();

  describe('VMs, from address rows', () => {
    // VM a has two addresses (one row tagged with a namespace, which still counts for the VM); VM b one.
    const addresses = [
      row('10.52.0.10', 100, 100, 1),
      row('10.52.0.10', 5, 5, 1, 'vms'),
      row('192.168.100.10', 1000, 0, 2),
      row('192.168.200.10', 50, 50, 30),
      row('8.8.8.8', 99999, 0, 999),
      row('10.0.0.11', 99999, 0, 999),
      row('10.52.1.20', 99999, 0, 999),
    ];

    it('sums a VM\'s addresses and ranks by bytes, leaving out what is not a VM', () => {
      const vms = rankTalkers({ addresses }, index, { by: 'vm', rankBy: 'bytes' });

      expect(vms.map((t) => [t.key, t.bytes, t.addresses])).toEqual([['vm:vms/a', 1210, 3], ['vm:vms/b', 100, 1]]);
      expect(vms[0]).toMatchObject({
        bytesOut: 1105, bytesIn: 105, connections: 4, name: 'a', namespace: 'vms', kind: 'vm'
      });
    });

    it('ranks by connections, filters by namespace and applies the limit', () => {
      expect(rankTalkers({ addresses }, index, { by: 'vm', rankBy: 'connections' }).map((t) => t.key)).toEqual(['vm:vms/b', 'vm:vms/a']);
      expect(rankTalkers({ addresses }, index, { by: 'vm', rankBy: 'bytes', namespace: 'shop' })).toEqual([]);
      expect(rankTalkers({ addresses }, index, { by: 'vm', rankBy: 'bytes', limit: 1 }).map((t) => t.key)).toEqual(['vm:vms/a']);
    });

    it('has nothing without results', () => {
      expect(rankTalkers({}, index, { by: 'vm', rankBy: 'bytes' })).toEqual([]);
    });
  });

  describe('pods, from the pod tag rows', () => {
    const tagged = [
      row('web-0', 10, 10, 100, 'shop'),
      row('web-1', 500, 500, 1, 'shop'),
      // A pod the cluster objects do not know (yet): still a pod, by its tags.
      row('batch-7', 1, 1, 1, 'jobs'),
    ];

    it('ranks pods by their tags, known or not', () => {
      const pods = rankTalkers({ tagged }, index, { by: 'pod', rankBy: 'bytes' });

      expect(pods.map((t) => [t.key, t.bytes])).toEqual([['pod:shop/web-1', 1000], ['pod:shop/web-0', 20], ['pod:jobs/batch-7', 2]]);
      expect(pods[0]).toMatchObject({ kind: 'pod', name: 'web-1', namespace: 'shop' });
      expect(rankTalkers({ tagged }, index, { by: 'pod', rankBy: 'connections' }).map((t) => t.key)[0]).toBe('pod:shop/web-0');
    });

    it('keeps only the filtered namespace and applies the limit', () => {
      expect(rankTalkers({ tagged }, index, { by: 'pod', rankBy: 'bytes', namespace: 'vms' })).toEqual([]);
      expect(rankTalkers({ tagged }, index, { by: 'pod', rankBy: 'bytes', limit: 1 }).map((t) => t.key)).toEqual(['pod:shop/web-1']);
    });
  });

  describe('namespaces: the pod_ns tag rows plus the untagged traffic of VM addresses', () => {
    const tagged = [row('shop', 510, 510, 101), row('vms', 5, 5, 1)];
    const addresses = [
      row('10.52.0.10', 100, 100, 1),
      // Tagged with a namespace: the tag rows count this traffic already.
      row('10.52.0.10', 5, 5, 1, 'vms'),
      row('192.168.200.10', 50, 50, 30),
      row('8.8.8.8', 99999, 0, 999),
      // Not a VM's (the all-namespaces query answers every address): a pod's and a Service's are not added.
      row('10.52.1.20', 99999, 0, 999),
      row('10.53.0.10', 99999, 0, 999),
    ];

    it('adds untagged VM traffic to the VM\'s namespace and skips address rows that carry a pod_ns', () => {
      const ns = rankTalkers({ tagged, addresses }, index, { by: 'namespace', rankBy: 'bytes' });

      expect(ns.map((t) => [t.key, t.bytes, t.addresses])).toEqual([['namespace:shop', 1020, 1], ['namespace:vms', 310, 3]]);
      expect(ns[1]).toMatchObject({ kind: 'namespace', name: 'vms', namespace: 'vms' });
    });

    it('ranks by connections and filters by namespace', () => {
      expect(rankTalkers({ tagged, addresses }, index, { by: 'namespace', rankBy: 'connections' }).map((t) => [t.key, t.connections]))
        .toEqual([['namespace:shop', 101], ['namespace:vms', 32]]);
      expect(rankTalkers({ tagged, addresses }, index, { by: 'namespace', rankBy: 'bytes', namespace: 'vms' }).map((t) => t.key)).toEqual(['namespace:vms']);
    });

    it('skips an empty namespace tag', () => {
      expect(rankTalkers({ tagged: [row('', 1, 1, 1)] }, index, { by: 'namespace', rankBy: 'bytes' })).toEqual([]);
    });
  });
});
