/**
 * Grafana: DeepFlow datasource and dashboards, embedding behind the Kubernetes API service proxy for any cluster
 * id, anonymous read-only access as a switch, and the NodePort/Ingress exposures.
 */
import { load } from 'js-yaml';
import { dashboardById } from '@pkg/domain/grafana/catalog';
import { GRAFANA } from '@pkg/domain/grafana/url';
import { K8sObject, findObject, hasObject, renderChart } from '../support/helm';
import { VariantName, objectsOf } from './support/variants';
import { podSpec } from './support/workloads';

const NS = GRAFANA.namespace;
const configOf = (variant: VariantName) => findObject(objectsOf(variant), 'ConfigMap', 'hnm-grafana', NS).data as Record<string, string>;

/** grafana.ini as { section: { key: value } }. */
function ini(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';

  text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith(';')).forEach((line) => {
    const header = line.match(/^\[(.+)\]$/);

    if (header) {
      section = header[1];
      out[section] = out[section] || {};
    } else {
      const [key, ...rest] = line.split('=');

      out[section][key.trim()] = rest.join('=').trim();
    }
  });

  return out;
}

describe('grafana.ini', () => {
  it('allows embedding, keeps Grafana on localhost behind the proxy and reports nothing home', () => {
    const g = ini(configOf('defaults')['grafana.ini']);

    expect(g.security.allow_embedding).toBe('true');
    expect(g.server.http_addr).toBe('127.0.0.1');
    expect(g.analytics.reporting_enabled).toBe('false');
    expect(g.analytics.check_for_updates).toBe('false');
    expect(g.users.allow_sign_up).toBe('false');
    expect(g.plugins.allow_loading_unsigned_plugins.split(',')).toEqual(expect.arrayContaining(['deepflowio-deepflow-datasource', 'deepflowio-topo-panel']));
  });

  it.each([['anonymous-on', 'true'], ['anonymous-off', 'false']] as const)('%s: auth.anonymous enabled = %s with the Viewer role', (variant, enabled) => {
    const g = ini(configOf(variant)['grafana.ini']);

    expect(g['auth.anonymous']).toEqual({ enabled, org_name: 'Main Org.', org_role: 'Viewer', hide_version: 'true' });
  });

  it('trusts only the configured origins for logged-in POSTs', () => {
    const objects = renderChart({ values: { grafana: { csrfTrustedOrigins: ['rancher.example.com', 'rancher.example.com:8443'] } } }).objects;
    const custom = ini(findObject(objects, 'ConfigMap', 'hnm-grafana', NS).data['grafana.ini']);

    expect(ini(configOf('defaults')['grafana.ini']).security.csrf_trusted_origins).toBeUndefined();
    expect(custom.security.csrf_trusted_origins).toBe('rancher.example.com rancher.example.com:8443');
  });
});

describe('DeepFlow datasource and dashboards', () => {
  it('provisions the DeepFlow datasource the dashboards expect (uid DeepFlow), pointing at the querier Service', () => {
    const ds = (load(configOf('defaults')['datasources.yaml']) as any).datasources;

    expect(ds).toEqual([{
      name:      'DeepFlow',
      uid:       'DeepFlow',
      type:      'deepflowio-deepflow-datasource',
      access:    'proxy',
      isDefault: true,
      editable:  false,
      jsonData:  {
        requestUrl: 'http://hnm-server.harvester-network-monitoring.svc:20416',
        // Required by the plugin backend (see grafana-datasource.test.ts); deepflow-app is not deployed.
        traceUrl:   'http://hnm-server.harvester-network-monitoring.svc:20416',
      },
    }]);
  });

  it('copies DeepFlow\'s plugins and dashboards from their pinned init images into the paths Grafana loads', () => {
    const spec = podSpec(findObject(objectsOf('defaults'), 'Deployment', 'hnm-grafana', NS));
    const providers = (load(configOf('defaults')['dashboards.yaml']) as any).providers;
    const grafana = spec.containers.find((c: any) => c.name === 'grafana');
    const mountOf = (container: any, volume: string) => container.volumeMounts.find((m: any) => m.name === volume)?.mountPath;
    const [plugins, dashboards] = spec.initContainers;

    expect(plugins.command.join(' ')).toContain('/deepflow-plugins/. /var/lib/grafana/plugins/');
    expect(mountOf(plugins, 'plugins')).toBe(mountOf(grafana, 'plugins'));
    expect(dashboards.command.join(' ')).toContain('/dashboards/DeepFlow-Templates/*.json /var/lib/grafana-dashboards/deepflow/');
    expect(providers.map((p: any) => [p.folder, p.options.path])).toEqual([
      ['DeepFlow Templates', mountOf(grafana, 'deepflow-dashboards')],
      ['Harvester', mountOf(grafana, 'harvester-dashboards')],
    ]);
  });
});

describe('Harvester VM Network dashboard', () => {
  const dashboard = JSON.parse(findObject(objectsOf('defaults'), 'ConfigMap', 'hnm-grafana-dashboards', NS).data['harvester-vm-network.json']);
  const queries = dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => ({ panel: p.title, q: JSON.parse(t.queryText) })));

  it('has the uid and variables the extension links with', () => {
    const entry = dashboardById('harvester-vm-network');

    expect(dashboard.uid).toBe(entry?.uid);
    expect(dashboard.templating.list.map((v: any) => v.name)).toEqual(['datasource', ...(entry?.variables || [])]);
    expect(dashboard.templating.list[0]).toMatchObject({ type: 'datasource', query: 'deepflowio-deepflow-datasource' });
  });

  it('shows traffic, peers, RTT and retransmissions', () => {
    const titles = dashboard.panels.map((p: any) => p.title).join(' | ');

    ['Throughput', 'Peers', 'round-trip time', 'retransmissions'].forEach((t) => expect(titles).toContain(t));
  });

  it('queries DeepFlow for the selected VM only, through the DeepFlow datasource', () => {
    dashboard.panels.forEach((p: any) => expect({ panel: p.title, ds: p.datasource }).toEqual({ panel: p.title, ds: '$datasource' }));
    queries.forEach(({ panel, q }: any) => {
      const filters = q.where.map((w: any) => `${ w.key } ${ w.op } ${ w.val[0].label }`);
      const side = q.from === 'network_map' ? filters.find((f: string) => f.startsWith('pod_group_'))?.slice(10, 11) : '';
      const suffix = side ? `_${ side }` : '';

      expect({ panel, db: q.db, from: q.from }).toEqual({ panel, db: 'flow_metrics', from: expect.stringMatching(/^network(_map)?$/) });
      expect({ panel, filters }).toEqual({ panel, filters: [`pod_ns${ suffix } LIKE $namespace`, `pod_group${ suffix } LIKE $vm`] });
    });
  });

  it('lists peers from both sides of a connection', () => {
    const peerPanels = queries.filter(({ q }: any) => q.from === 'network_map');

    expect(peerPanels.map(({ q }: any) => [q.where[1].key, q.groupBy[0].key])).toEqual([
      ['pod_group_0', 'auto_instance_1'],
      ['pod_group_1', 'auto_instance_0'],
    ]);
  });
});

describe('sub-path handling behind the API server proxy (nginx sidecar)', () => {
  const nginxOf = (variant: VariantName) => configOf(variant)['nginx.conf'];

  /** The JavaScript nginx puts in place of Grafana's empty appSubUrl, evaluated like the browser would. */
  function appSubUrlFor(variant: VariantName, pathname: string, prefix = ''): string {
    const line = nginxOf(variant).split('\n').find((l) => l.includes(`sub_filter '"appSubUrl":""'`)) as string;
    const replacement = line.match(/'"appSubUrl":""' '(.*)';\s*$/)?.[1] as string;
    const js = replacement.replace(/^"appSubUrl":/, '').split('$hnm_prefix').join(prefix);

    // eslint-disable-next-line no-new-func -- runs the chart's nginx-injected script as the browser would
    return new Function('window', `return ${ js };`)({ location: { pathname } });
  }

  const proxyPath = `/api/v1/namespaces/${ NS }/services/http:${ GRAFANA.service }:${ GRAFANA.port }/proxy`;

  it.each([
    ['a downstream cluster', `/k8s/clusters/c-m-4x7k2/${ proxyPath.slice(1) }/d/harvester-vm-network/x`, `/k8s/clusters/c-m-4x7k2${ proxyPath }`],
    ['another cluster id', `/k8s/clusters/c-9zz/${ proxyPath.slice(1) }/`, `/k8s/clusters/c-9zz${ proxyPath }`],
    ['Rancher\'s local cluster', `${ proxyPath }/d/harvester-vm-network/x`, proxyPath],
    ['the proxy root without slash', proxyPath, proxyPath],
    ['direct access (NodePort)', '/d/harvester-vm-network/x', ''],
  ])('derives appSubUrl from the browser location for %s', (_what, pathname, expected) => {
    expect(appSubUrlFor('defaults', pathname)).toBe(expected);
  });

  it('uses the Ingress sub-path as prefix and base href', () => {
    const conf = nginxOf('ingress-subpath');

    expect(conf).toContain('"~^/grafana(/|\\?|$)" "/grafana";');
    expect(conf).toContain('rewrite ^/grafana/?(.*)$ /$1 break;');
    expect(conf).toContain(`sub_filter '<base href="/" />' '<base href="$hnm_prefix/" />';`);
    expect(appSubUrlFor('ingress-subpath', '/grafana/d/harvester-vm-network/x', '/grafana')).toBe('/grafana');
    expect(nginxOf('defaults')).not.toContain('"/grafana"');
  });

  it('strips a full proxy path if one reaches it, for any cluster id', () => {
    const rule = nginxOf('defaults').match(/rewrite \^\(\?:\/k8s\/clusters\/\[\^\/\]\+\)\?(\S+) \/\$1 break;/);
    const regex = new RegExp(`^(?:/k8s/clusters/[^/]+)?${ rule?.[1] }`);

    expect(`/k8s/clusters/c-m-1/${ proxyPath.slice(1) }/api/health`.replace(regex, '/$1')).toBe('/api/health');
    expect(`${ proxyPath }/public/build/app.js`.replace(regex, '/$1')).toBe('/public/build/app.js');
    expect('/d/uid/slug'.replace(regex, '/$1')).toBe('/d/uid/slug');
  });

  it('contains no cluster id anywhere in the Grafana configuration', () => {
    expect(JSON.stringify(configOf('defaults'))).not.toMatch(/c-m-|\/k8s\/clusters\/c-/);
  });

  it('serves the Service port 80 from the nginx sidecar only', () => {
    const objects = objectsOf('defaults');
    const svc = findObject(objects, 'Service', GRAFANA.service, NS);
    const spec = podSpec(findObject(objects, 'Deployment', 'hnm-grafana', NS));

    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: GRAFANA.port, targetPort: 'http', protocol: 'TCP' }]);
    expect(spec.containers.map((c: any) => [c.name, (c.ports || []).map((p: any) => `${ p.name }:${ p.containerPort }`)])).toEqual([
      ['grafana', []],
      ['grafana-proxy', ['http:8080']],
    ]);
  });
});

describe('exposure', () => {
  it('opens the requested node port only when asked', () => {
    const svc = findObject(objectsOf('nodeport'), 'Service', 'hnm-grafana', NS);

    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports[0].nodePort).toBe(31999);
    expect(hasObject(objectsOf('defaults'), 'Ingress', 'hnm-grafana')).toBe(false);
  });

  it('creates a TLS Ingress for the given class, hosts and path', () => {
    const ingress: K8sObject = findObject(objectsOf('ingress-tls'), 'Ingress', 'hnm-grafana', NS);

    expect(ingress.spec).toEqual({
      ingressClassName: 'nginx',
      tls:              [{ secretName: 'grafana-tls', hosts: ['grafana.example.com'] }],
      rules:            [{
        host: 'grafana.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'hnm-grafana', port: { name: 'http' } } } }] },
      }],
    });
  });
});
