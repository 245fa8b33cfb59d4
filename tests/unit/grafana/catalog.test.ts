import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import {
  DASHBOARDS, dashboardById, dashboardVarsFor, deepLinkFor, deepLinksFor
} from '@pkg/domain/grafana/catalog';
import { grafanaDashboardUrl } from '@pkg/domain/grafana/url';
import { hasKey } from '../../support/l10n';

describe('dashboard catalog', () => {
  it('lists our VM and agent dashboards first and DeepFlow\'s network dashboards by their upstream UIDs', () => {
    expect(DASHBOARDS.map((d) => d.uid)).toEqual([
      'harvester-vm-network', 'harvester-agents', 'Network_K8s_Pod_Map', 'Network_K8s_Pod', 'Network_Flow_Log', 'Network_Cloud_Host', 'Network_Cloud_Host_Map',
    ]);
    expect(new Set(DASHBOARDS.map((d) => d.id)).size).toBe(DASHBOARDS.length);
  });

  it('our dashboards are exactly the chart\'s provisioned files, with the variables the catalog names', () => {
    const dir = join(__dirname, '..', '..', '..', 'charts', 'harvester-network-monitoring-stack', 'files', 'dashboards');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
    const ours = DASHBOARDS.filter((d) => d.source === 'harvester');

    expect(ours.map((d) => d.uid).sort()).toEqual(files.map((f) => f.uid).sort());
    for (const d of ours) {
      const file = files.find((f) => f.uid === d.uid);

      expect([d.uid, file.templating.list.map((v: any) => v.name).filter((n: string) => n !== 'datasource')]).toEqual([d.uid, [...d.variables]]);
    }
  });

  it('has an English label and description for every dashboard', () => {
    for (const d of DASHBOARDS) {
      expect(hasKey(d.labelKey)).toBe(true);
      expect(hasKey(d.descriptionKey)).toBe(true);
    }
  });

  it('builds a valid URL for every entry', () => {
    for (const d of DASHBOARDS) {
      expect(() => grafanaDashboardUrl({ clusterId: 'local', uid: d.uid, slug: d.slug })).not.toThrow();
    }
  });

  it('finds entries by id', () => {
    expect(dashboardById('network-flow-log')?.uid).toBe('Network_Flow_Log');
    expect(dashboardById('constructor')).toBeUndefined();
  });
});

describe('deep links', () => {
  it('opens our dashboard for a VM with its namespace and name', () => {
    const link = deepLinkFor({ kind: 'vm', namespace: 'default', name: 'web-vm' });

    expect(link?.dashboard.id).toBe('harvester-vm-network');
    expect(link?.vars).toEqual({ namespace: 'default', vm: 'web-vm' });
  });

  it('opens DeepFlow\'s pod dashboard for a pod, with its workload when known', () => {
    expect(deepLinkFor({
      kind: 'pod', namespace: 'shop', name: 'web-0', workload: 'web'
    })).toMatchObject({ dashboard: { uid: 'Network_K8s_Pod' }, vars: { namespace: 'shop', workload: 'web' } });
    expect(deepLinkFor({ kind: 'pod', namespace: 'shop', name: 'web-0' })?.vars).toEqual({ namespace: 'shop' });
  });

  it('maps a VM to DeepFlow\'s workload variable (the KubeVirt plugin names the workload after the VM)', () => {
    const flowLog = dashboardById('network-flow-log')!;

    expect(dashboardVarsFor(flowLog, { kind: 'vm', namespace: 'default', name: 'web-vm' })).toEqual({ namespace: 'default', workload: 'web-vm' });
  });

  it('offers no link from dashboards that cannot focus on the target', () => {
    const cloudHost = dashboardById('network-cloud-host')!;
    const vmDashboard = dashboardById('harvester-vm-network')!;

    expect(dashboardVarsFor(cloudHost, { kind: 'vm', namespace: 'a', name: 'b' })).toBeNull();
    expect(dashboardVarsFor(vmDashboard, { kind: 'pod', namespace: 'a', name: 'b' })).toBeNull();
    expect(dashboardVarsFor(vmDashboard, { kind: 'vm', namespace: '', name: 'b' })).toBeNull();
    expect(deepLinkFor({ kind: 'vm', namespace: 'a', name: '' })).toBeNull();
  });

  it('lists every dashboard that can focus on a VM', () => {
    expect(deepLinksFor({ kind: 'vm', namespace: 'a', name: 'b' }).map((l) => l.dashboard.id)).toEqual([
      'harvester-vm-network', 'network-k8s-pod-map', 'network-k8s-pod', 'network-flow-log',
    ]);
    expect(deepLinksFor({ kind: 'pod', namespace: 'a', name: 'b' }).map((l) => l.dashboard.id)).toEqual([
      'network-k8s-pod-map', 'network-k8s-pod', 'network-flow-log',
    ]);
  });
});
