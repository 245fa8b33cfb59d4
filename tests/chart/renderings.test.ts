/**
 * The wizard's security review runs on chart renderings bundled with the extension. These tests
 * fail when the bundle no longer matches the chart, and pin what the review finds in it: exactly
 * the DeepFlow agent's documented privileges, nothing critical.
 */
import { execFileSync } from 'child_process';
import path from 'path';
import {
  LAYOUT_VALUES, LayoutKey, renderedObjects, VARIANT_VALUES, VariantKey, variantOf
} from '@pkg/domain/security/renderings';
import { reviewChart, withPolicySources } from '@pkg/domain/security/chart-review';
import { defaultSettings, CHART_DEFAULTS } from '@pkg/domain/install/defaults';

const ROOT = path.resolve(__dirname, '../..');
const VARIANTS = Object.keys(VARIANT_VALUES) as VariantKey[];
const LAYOUTS = Object.keys(LAYOUT_VALUES) as LayoutKey[];
// Every exposure with every database layout, as the wizard combines them.
const COMBINED = VARIANTS.flatMap((v) => LAYOUTS.map((l) => `${ v }+${ l }` as VariantKey));
// Typical Harvester node addresses, inside the chart's default nodeCIDRs.
const NODES = ['10.0.0.11/32', '10.0.0.12/32', '10.0.0.13/32'];

describe('bundled chart renderings', () => {
  it('match what real helm renders from the chart now', () => {
    const out = execFileSync('node', [path.join(ROOT, 'scripts/render-chart-variants.js'), '--check'], { cwd: ROOT, encoding: 'utf8' });

    expect(out).toContain('up to date');
  }, 120000);

  it.each(VARIANTS)('%s rebuilds to a full set of objects', (variant) => {
    const kinds = new Set(renderedObjects(variant).map((o: any) => o.kind));

    ['DaemonSet', 'Deployment', 'StatefulSet', 'NetworkPolicy', 'ClusterRole', 'Secret'].forEach((k) => expect(kinds).toContain(k));
  });

  it.each(COMBINED)('%s rebuilds to the layout\'s objects', (variant) => {
    const objects = renderedObjects(variant) as any[];
    const has = (kind: string, name: string) => objects.some((o) => o.kind === kind && o.metadata.name === name);
    const layout = variant.split('+')[1];

    expect(has('StatefulSet', 'hnm-clickhouse')).toBe(layout !== 'external-db');
    expect(has('StatefulSet', 'hnm-mysql')).toBe(layout === 'scale-out');
    expect(has('Endpoints', 'hnm-clickhouse')).toBe(layout === 'external-db');
    expect(has('PodDisruptionBudget', 'hnm-clickhouse')).toBe(layout === 'scale-out');
    // The exposure's own objects are still there.
    expect(has('Deployment', 'hnm-grafana')).toBe(true);
  });

  it('pick the variant of the wizard settings', () => {
    const s = defaultSettings('https://x/', '0.1.0');

    s.grafana.anonymous = false;
    expect(variantOf(s)).toBe('proxy');
    s.grafana.exposure = 'ingress';
    s.grafana.ingressTlsSecret = 'tls';
    s.grafana.anonymous = true;
    expect(variantOf(s)).toBe('ingress-tls-anonymous');
  });
});

describe('security review of the rendered chart', () => {
  it.each([...VARIANTS, ...COMBINED])('%s: nothing critical; privileges beyond restricted belong to the agent (and uid 0 to its API watcher) only', (variant) => {
    const { findings } = reviewChart(renderedObjects(variant), NODES);

    expect(findings.filter((f) => f.severity === 'critical')).toEqual([]);
    const pssOutsideAgent = findings.filter((f) => f.analysis === 'pss' && f.object.kind !== 'Namespace' && !['hnm-agent', 'hnm-watcher'].includes(f.object.name));

    expect(pssOutsideAgent).toEqual([]);
    // The API watcher runs deepflow-agent's root image without host access or capabilities: only uid 0 is beyond restricted.
    expect(findings.filter((f) => f.analysis === 'pss' && f.object.name === 'hnm-watcher').map((f) => `${ f.severity } ${ f.id }`).sort())
      .toEqual(['info pss.restricted.runAsNonRoot', 'info pss.restricted.runAsUser']);
  });

  it('accepts exactly the agent privileges DeepFlow documents', () => {
    const { findings } = reviewChart(renderedObjects('proxy'), NODES);
    const expected = findings.filter((f) => f.expected).map((f) => `${ f.id } ${ f.object.name }`).sort();

    expect(expected).toEqual([
      'pss.baseline.appArmorProfile hnm-agent',
      'pss.baseline.capabilities_baseline hnm-agent',
      'pss.baseline.hostNamespaces hnm-agent',
      'pss.baseline.hostPathVolumes hnm-agent',
    ]);
  });

  it('verifies that the policies admit host-network agents and API-server-proxied calls, and says the default admits whole RFC 1918 ranges', () => {
    const { findings } = reviewChart(renderedObjects('proxy'), NODES);
    const rfc1918 = '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16';

    expect(findings.filter((f) => f.analysis === 'netpol' && f.severity !== 'info').map((f) => [f.severity, f.id, f.params])).toEqual([
      ['warning', 'netpol.ingressFromRange', {
        policy: 'hnm-grafana', namespace: 'harvester-network-monitoring', cidrs: rfc1918, ports: 'TCP 8080'
      }],
      ['warning', 'netpol.ingressFromRange', {
        policy: 'hnm-server', namespace: 'harvester-network-monitoring', cidrs: rfc1918, ports: 'TCP 20035, TCP 20033, TCP 20416, TCP 20419'
      }],
    ]);
  });

  it.each(VARIANTS)('%s with the node addresses the wizard proposes: no network finding beyond info', (variant) => {
    // Each node's InternalIP and flannel.1 address (first address of its podCIDR), as the wizard proposes them.
    const sources = [...NODES, '10.52.0.0/32', '10.52.1.0/32', '10.52.2.0/32'];
    const objects = withPolicySources(renderedObjects(variant), CHART_DEFAULTS.networkPolicy.nodeCIDRs, sources, []);
    const { findings } = reviewChart(objects, sources);

    expect(findings.filter((f) => f.analysis === 'netpol' && f.severity !== 'info')).toEqual([]);
  });

  it('flags what an exposure choice adds', () => {
    const ids = (v: VariantKey) => reviewChart(renderedObjects(v), NODES).findings.map((f) => f.id);

    expect(ids('nodeport-anonymous')).toEqual(expect.arrayContaining(['exposure.nodePort', 'exposure.grafanaAnonymous']));
    expect(ids('ingress')).toContain('exposure.ingressNoTls');
    expect(ids('proxy')).not.toContain('exposure.grafanaAnonymous');
  });
});
