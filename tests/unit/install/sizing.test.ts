import {
  PROFILES, computeTotals, validateResources, cloneResources
} from '@pkg/domain/install/sizing';

describe('computeTotals', () => {
  it('counts one agent per node and the server replicas', () => {
    const totals = computeTotals({
      nodeCount: 3, serverReplicas: 1, resources: PROFILES.small, clickhouseStorage: '20Gi', mysqlStorage: '5Gi'
    });

    // agents 3x100m + server 250m + clickhouse 500m + mysql 100m + grafana 100m
    expect(totals.requests.millicores).toBe(300 + 250 + 500 + 100 + 100);
    expect(totals.requests.mebibytes).toBe(3 * 256 + 512 + 1024 + 512 + 128);
    expect(totals.limits.millicores).toBe(3 * 1000 + 1000 + 2000 + 1000 + 500);
    expect(totals.storageGi).toBe(25);
    expect(totals.pods).toEqual({
      agent: 3, server: 1, clickhouse: 1, mysql: 1, grafana: 1
    });
  });

  it('scales with replicas and agent nodes', () => {
    const base = {
      nodeCount: 3, resources: PROFILES.medium, clickhouseStorage: '1Gi', mysqlStorage: '1Gi'
    };
    const one = computeTotals({ ...base, serverReplicas: 1 });
    const three = computeTotals({ ...base, serverReplicas: 3, agentNodeCount: 1 });

    expect(three.requests.millicores - one.requests.millicores).toBe(2 * 500 - 2 * 200);
  });

  it('handles 0 nodes and invalid storage without NaN', () => {
    const totals = computeTotals({
      nodeCount: 0, serverReplicas: 1, resources: PROFILES.small, clickhouseStorage: 'lots', mysqlStorage: ''
    });

    expect(totals.pods.agent).toBe(0);
    expect(totals.storageGi).toBe(0);
    expect(Number.isNaN(totals.requests.mebibytes)).toBe(false);
  });
});

describe('validateResources', () => {
  it('accepts the built-in profiles', () => {
    expect(validateResources(PROFILES.small)).toEqual([]);
    expect(validateResources(PROFILES.medium)).toEqual([]);
  });

  it('reports invalid quantities and limits below requests per field', () => {
    const r = cloneResources(PROFILES.small);

    r.server.requests.cpu = 'fast';
    r.mysql.limits.memory = '256Mi';
    r.grafana.requests.memory = '0';
    expect(validateResources(r)).toEqual(expect.arrayContaining([
      { component: 'server', field: 'requests.cpu', code: 'invalid-quantity' },
      { component: 'mysql', field: 'limits.memory', code: 'limit-below-request' },
      { component: 'grafana', field: 'requests.memory', code: 'invalid-quantity' },
    ]));
    expect(PROFILES.small.server.requests.cpu).toBe('250m');
  });
});
