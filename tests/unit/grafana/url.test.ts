import {
  GrafanaUrlError, dashboardExistsUrl, grafanaDashboardUrl, grafanaHealthUrl, grafanaProxyBase
} from '@pkg/domain/grafana/url';

const BASE = '/api/v1/namespaces/harvester-network-monitoring/services/http:hnm-grafana:80/proxy';

function urlError(fn: () => unknown): GrafanaUrlError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GrafanaUrlError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a GrafanaUrlError');
}

describe('grafanaDashboardUrl', () => {
  it('builds Rancher\'s embedding URL for the local cluster without a prefix', () => {
    expect(grafanaDashboardUrl({
      clusterId: 'local', uid: 'Network_K8s_Pod', slug: 'network-k8s-pod', range: '6h', refresh: '30s', theme: 'dark', vars: { namespace: 'shop', workload: 'web' }
    })).toBe(`${ BASE }/d/Network_K8s_Pod/network-k8s-pod?orgId=1&kiosk&from=now-6h&to=now&refresh=30s&var-namespace=shop&var-workload=web&theme=dark`);
  });

  it('prefixes downstream clusters with /k8s/clusters/<id>', () => {
    expect(grafanaDashboardUrl({ clusterId: 'c-m-4x7k2', uid: 'harvester-vm-network', slug: 'harvester-vm-network' }))
      .toBe(`/k8s/clusters/c-m-4x7k2${ BASE }/d/harvester-vm-network/harvester-vm-network?orgId=1&kiosk&from=now-1h&to=now&theme=light`);
  });

  it('uses the given namespace, service and port', () => {
    expect(grafanaProxyBase({
      clusterId: 'local', namespace: 'mon', service: 'grafana', port: 3000
    })).toBe('/api/v1/namespaces/mon/services/http:grafana:3000/proxy');
  });

  it('URL-encodes hostile variable names and values so they cannot add parameters or paths', () => {
    const url = grafanaDashboardUrl({
      clusterId: 'local',
      uid:       'harvester-vm-network',
      slug:      'harvester-vm-network',
      vars:      {
        vm: 'a&theme=dark#x', 'name&orgId=2': '../../admin', namespace: ['ns one', 'ns/two'], 日本: '\u202e<script>', port: 443,
      },
    });
    const query = url.slice(url.indexOf('?') + 1);

    expect(url).not.toContain('#');
    expect(query.split('&').filter((p) => p.startsWith('theme='))).toEqual(['theme=light']);
    expect(query.split('&').filter((p) => p.startsWith('orgId='))).toEqual(['orgId=1']);
    expect(url.slice(0, url.indexOf('?'))).toBe(`${ BASE }/d/harvester-vm-network/harvester-vm-network`);
    const params = new URLSearchParams(query);

    expect(params.get('var-vm')).toBe('a&theme=dark#x');
    expect(params.get('var-name&orgId=2')).toBe('../../admin');
    expect(params.getAll('var-namespace')).toEqual(['ns one', 'ns/two']);
    expect(params.get('var-日本')).toBe('\u202e<script>');
    expect(params.get('var-port')).toBe('443');
    expect(query).toContain('var-name%26orgId%3D2=..%2F..%2Fadmin');
  });

  it('supports absolute ranges in epoch milliseconds and kiosk modes', () => {
    expect(grafanaDashboardUrl({
      clusterId: 'local', uid: 'u', slug: 's', from: 1000, to: 2000, kiosk: false
    })).toBe(`${ BASE }/d/u/s?orgId=1&from=1000&to=2000&theme=light`);
    expect(grafanaDashboardUrl({
      clusterId: 'local', uid: 'u', slug: 's', kiosk: 'tv'
    })).toContain('?orgId=1&kiosk=tv&from=now-1h');
  });

  it.each([
    [{ theme: 'solarized' }, 'invalid-theme'],
    [{ theme: 'dark&x=1' }, 'invalid-theme'],
    [{ uid: '../api/admin' }, 'invalid-uid'],
    [{ uid: 'x'.repeat(41) }, 'invalid-uid'],
    [{ uid: '' }, 'invalid-uid'],
    [{ slug: 'Network K8s' }, 'invalid-slug'],
    [{ slug: 'a/b' }, 'invalid-slug'],
    [{ range: '1h&x=1' }, 'invalid-range'],
    [{ range: '0h' }, 'invalid-range'],
    [{ range: 'now-1h' }, 'invalid-range'],
    [{ from: 2000, to: 1000 }, 'invalid-range'],
    [{ from: 1.5, to: 1000 }, 'invalid-range'],
    [{ to: 1000 }, 'invalid-range'],
    [{ refresh: '5x' }, 'invalid-refresh'],
    [{ refresh: '' }, 'invalid-refresh'],
    [{ vars: { '': 'x' } }, 'invalid-var'],
    [{ vars: { a: { toString: () => 'x' } } }, 'invalid-var'],
    [{ vars: { a: NaN } }, 'invalid-var'],
    [{ vars: { a: 'x'.repeat(1001) } }, 'invalid-var'],
    [{ clusterId: '../v3' }, 'invalid-cluster'],
    [{ clusterId: 'c-1?x=1' }, 'invalid-cluster'],
    [{ namespace: 'Bad_NS' }, 'invalid-namespace'],
    [{ service: 'svc:80' }, 'invalid-service'],
    [{ port: 0 }, 'invalid-port'],
  ])('rejects %p (%s)', (override, code) => {
    expect(urlError(() => grafanaDashboardUrl({
      clusterId: 'local', uid: 'u', slug: 's', ...(override as any)
    }))).toMatchObject({ code });
  });
});

describe('probe URLs', () => {
  it('builds the dashboard existence check and the health endpoint', () => {
    expect(dashboardExistsUrl({ clusterId: 'local', uid: 'Network_Flow_Log' })).toBe(`${ BASE }/api/dashboards/uid/Network_Flow_Log`);
    expect(dashboardExistsUrl({ clusterId: 'c-1', uid: 'harvester-vm-network' })).toBe(`/k8s/clusters/c-1${ BASE }/api/dashboards/uid/harvester-vm-network`);
    expect(grafanaHealthUrl({ clusterId: 'local' })).toBe(`${ BASE }/api/health`);
    expect(grafanaHealthUrl({ clusterId: 'c-1' })).toBe(`/k8s/clusters/c-1${ BASE }/api/health`);
  });

  it('validates the UID of the existence check', () => {
    expect(urlError(() => dashboardExistsUrl({ clusterId: 'local', uid: 'a/../../x' }))).toMatchObject({ code: 'invalid-uid' });
  });
});
