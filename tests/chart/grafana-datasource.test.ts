/**
 * The provisioned DeepFlow datasource carries every jsonData key the DeepFlow Grafana plugin's backend requires
 * (tests/contract/fixtures/grafana-plugin-datasource.json, recorded from deepflow-gui-grafana's verifyParamsBase),
 * each pointing at an in-cluster Service the chart deploys and that Grafana's NetworkPolicy lets it reach.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { load } from 'js-yaml';
import { ADDON_NAMESPACE, REPO_ROOT, findObject, renderChart } from '../support/helm';
import { objectsOf } from './support/variants';

interface Fixture {
  source: { repo: string; ref: string; file: string; function: string };
  requiredJsonData: { key: string }[];
  optionalJsonData: { key: string }[];
}

const FIXTURE: Fixture = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tests/contract/fixtures/grafana-plugin-datasource.json'), 'utf8'));
const REQUIRED = FIXTURE.requiredJsonData.map((k) => k.key);
const QUERIER_PORT = 20416;

function datasourceOf(objects: any[], namespace = ADDON_NAMESPACE) {
  const config = findObject(objects, 'ConfigMap', 'hnm-grafana', namespace).data as Record<string, string>;
  const all = (load(config['datasources.yaml']) as any).datasources as any[];

  return all.find((d) => d.type === 'deepflowio-deepflow-datasource');
}

describe('DeepFlow datasource keys required by the plugin backend', () => {
  it('the fixture names the backend check and the keys it requires', () => {
    expect(FIXTURE.source).toMatchObject({ repo: 'deepflowio/deepflow-gui-grafana', function: 'verifyParamsBase' });
    expect(REQUIRED).toEqual(expect.arrayContaining(['requestUrl', 'traceUrl']));
  });

  it.each(REQUIRED)('provisions %s with a non-empty URL to the querier Service', (key) => {
    const ds = datasourceOf(objectsOf('defaults'));
    const url = new URL(ds.jsonData[key]);
    const service = findObject(objectsOf('defaults'), 'Service', 'hnm-server', ADDON_NAMESPACE) as any;

    expect(ds.jsonData[key]).toEqual(expect.any(String));
    expect(url.protocol).toBe('http:');
    expect(url.hostname).toBe(`hnm-server.${ ADDON_NAMESPACE }.svc`);
    expect(Number(url.port)).toBe(QUERIER_PORT);
    expect(service.spec.ports.map((p: any) => p.port)).toContain(QUERIER_PORT);
  });

  it('follows the server Service into another stack namespace and release name', () => {
    const { objects } = renderChart({ release: 'other', namespace: 'monitoring', values: { namespaces: { stack: 'monitoring' } } });
    const ds = datasourceOf(objects, 'monitoring');

    REQUIRED.forEach((key) => expect(new URL(ds.jsonData[key]).host).toBe(`hnm-server.monitoring.svc:${ QUERIER_PORT }`));
  });

  it('Grafana\'s NetworkPolicy allows the port of every provisioned URL', () => {
    const objects = objectsOf('defaults');
    const ds = datasourceOf(objects);
    const policy = findObject(objects, 'NetworkPolicy', 'hnm-grafana', ADDON_NAMESPACE) as any;
    const toServer = policy.spec.egress.filter((rule: any) => rule.to?.some((peer: any) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component'] === 'server'));
    const allowed = toServer.flatMap((rule: any) => rule.ports.map((p: any) => p.port));

    REQUIRED.forEach((key) => expect(allowed).toContain(Number(new URL(ds.jsonData[key]).port)));
  });

  it('sets no optional key (no token: DeepFlow CE\'s querier needs none; no AI assistant deployed)', () => {
    const ds = datasourceOf(objectsOf('defaults'));

    FIXTURE.optionalJsonData.forEach(({ key }) => expect(ds.jsonData[key]).toBeUndefined());
    expect(ds.secureJsonData).toBeUndefined();
  });
});
