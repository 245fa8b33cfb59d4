import { loadLiveObjects, nodeAddressCidrs, toPlain, LIVE_QUERIES } from '@pkg/domain/security/live';

describe('loadLiveObjects', () => {
  it('reads each type in the stack namespaces and cluster-scoped RBAC, as plain objects', async() => {
    const calls: any[] = [];
    const store = {
      getters:  {},
      dispatch: async(_: string, payload: any) => {
        calls.push(payload);
        // With load: false the store answers with Steve's collection itself.
        if (payload.type === 'networking.k8s.io.networkpolicy') {
          return {
            type: 'collection',
            data: [
              { kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: payload.opt.namespaced }, spec: { podSelector: {} } },
              { kind: 'NetworkPolicy', metadata: { name: 'foreign', namespace: 'default' }, spec: {} },
            ]
          };
        }
        if (payload.type === 'rbac.authorization.k8s.io.clusterrole') {
          return { type: 'collection', data: [{ metadata: { name: 'hnm-server' }, rules: [{ verbs: ['get'] }] }] };
        }

        return { type: 'collection', data: [] };
      },
    };
    const { objects, problems } = await loadLiveObjects(store);

    expect(problems).toEqual([]);
    // Every list is read afresh (a cached, unwatched list would hide changes from the review) and
    // kept out of the store (a one-namespace list would replace other pages' cache of the type).
    calls.forEach((c) => expect(c.opt).toMatchObject({ force: true, watch: false, load: false }));
    expect(objects.filter((o) => o.kind === 'NetworkPolicy').map((o: any) => o.metadata.namespace).sort()).toEqual(['harvester-network-monitoring', 'harvester-network-monitoring-agent']);
    expect(objects.find((o) => o.kind === 'ClusterRole')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'hnm-server' }, rules: [{ verbs: ['get'] }]
    });
    expect(calls.filter((c) => c.type === 'secret').map((c) => c.opt.namespaced).sort()).toEqual(['harvester-network-monitoring', 'harvester-network-monitoring-agent']);
    expect(calls.length).toBe(LIVE_QUERIES.reduce((n, q) => n + (q.namespaced ? 2 : 1), 0));
  });

  it('tolerates forbidden Secrets but reports other failures once per type', async() => {
    const store = {
      getters:  {},
      dispatch: async(_: string, payload: any) => {
        if (payload.type === 'secret') {
          throw { _status: 403, message: 'secrets is forbidden' };
        }
        if (payload.type === 'service') {
          throw { _status: 500, message: 'boom' };
        }

        return [];
      },
    };
    const { problems } = await loadLiveObjects(store);

    expect(problems).toEqual([{ type: 'service', error: { kind: 'unavailable', status: 500, detail: 'boom' } }]);
  });
});

describe('nodeAddressCidrs', () => {
  it('turns node InternalIPs into host CIDRs', () => {
    const nodes = [
      { kind: 'Node', status: { addresses: [{ type: 'InternalIP', address: '10.0.0.11' }, { type: 'Hostname', address: 'n1' }] } },
      { kind: 'Node', status: { addresses: [{ type: 'InternalIP', address: 'fd00::2' }] } },
      { kind: 'Pod', status: { addresses: [{ type: 'InternalIP', address: '1.1.1.1' }] } },
      { kind: 'Node', status: { addresses: 'junk' } },
    ];

    expect(nodeAddressCidrs(nodes)).toEqual(['10.0.0.11/32', 'fd00::2/128']);
  });
});

describe('toPlain', () => {
  it('keeps only Kubernetes fields and fills kind from the query', () => {
    const q = LIVE_QUERIES.find((x) => x.type === 'service')!;

    expect(toPlain({ metadata: { name: 's' }, spec: { type: 'NodePort' }, $ctx: {}, links: {} }, q)).toEqual({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort' }
    });
    expect(toPlain(null, q)).toBeUndefined();
  });
});
