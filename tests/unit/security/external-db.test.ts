/**
 * The review of databases outside the stack (domain/security/exposure-external-db.ts) on the chart's rendered
 * external-database layout, with the wizard's own addresses put in by withExternalDatabases.
 */
import { reviewChart, withExternalDatabases } from '@pkg/domain/security/chart-review';
import { LAYOUT_VALUES, renderedObjects, variantOf } from '@pkg/domain/security/renderings';
import { defaultSettings } from '@pkg/domain/install/defaults';
import { InstallSettings } from '@pkg/domain/install/settings';
import { reviewObjects } from '@pkg/domain/security';
import { Json, workload } from './helpers';

const NODES = ['10.0.0.11/32', '10.0.0.12/32', '10.0.0.13/32'];
const NS = 'harvester-network-monitoring';

function externalSettings(adjust: (s: InstallSettings) => void = () => undefined): InstallSettings {
  const s = defaultSettings('https://charts.example.com/', '0.1.0');

  s.external.clickhouse = {
    enabled: true, hosts: '10.40.0.21:9000, 10.40.0.22, [fd00::23]:9440', username: 'flows', secret: 'ch-pass', clusterName: 'analytics', storagePolicy: 'hot'
  };
  s.external.mysql = {
    enabled: true, host: 'mysql.db.example.com', port: 3307, username: 'deepflow', secret: 'my-pass', egressCIDRs: '10.40.1.0/28'
  };
  adjust(s);

  return s;
}

const objectsFor = (s: InstallSettings) => withExternalDatabases(renderedObjects(variantOf(s)), s.external) as Json[];
const byName = (objects: Json[], kind: string, name: string): any => objects.find((o) => o.kind === kind && o.metadata?.name === name);

describe('the wizard picks the database layout', () => {
  it.each([
    ['defaults', () => undefined, 'proxy'],
    ['two ClickHouse nodes', (s: InstallSettings) => {
      s.clickhouseReplicas = 2;
    }, 'proxy+scale-out'],
    ['external MySQL', (s: InstallSettings) => {
      s.external.mysql.enabled = true;
    }, 'proxy+external-mysql'],
    ['both external, whatever the node count', (s: InstallSettings) => {
      s.external.mysql.enabled = true; s.external.clickhouse.enabled = true; s.clickhouseReplicas = 3;
    }, 'proxy+external-db'],
  ])('%s', (_name, adjust, variant) => {
    const s = defaultSettings('https://x/', '0.1.0');

    s.grafana.anonymous = false;
    adjust(s);
    expect(variantOf(s)).toBe(variant);
  });
});

describe('withExternalDatabases', () => {
  const objects = objectsFor(externalSettings());
  const text = JSON.stringify(objects);

  it('leaves none of the rendering example values behind', () => {
    const ex = LAYOUT_VALUES['external-db'] as any;

    [ex.clickhouse.external.hosts[0].ip, ex.clickhouse.external.username, ex.clickhouse.external.existingSecret, ex.clickhouse.external.clusterName,
      ex.clickhouse.external.storagePolicy, ex.mysql.external.host, ex.mysql.external.username, ex.mysql.external.existingSecret,
      ex.mysql.external.egressCIDRs[0], String(ex.mysql.external.port)].forEach((value) => expect(text).not.toContain(value));
  });

  it('lists every ClickHouse node in the Endpoints and gives each its own egress rule', () => {
    expect(byName(objects, 'Endpoints', 'hnm-clickhouse').subsets.map((s: any) => `${ s.addresses[0].ip } ${ s.ports[0].port }`))
      .toEqual(['10.40.0.21 9000', '10.40.0.22 9000', 'fd00::23 9440']);
    const egress = byName(objects, 'NetworkPolicy', 'hnm-server').spec.egress.map((r: any) => `${ r.to.map((p: any) => p.ipBlock?.cidr || 'pods').join() } ${ r.ports.map((p: any) => p.port).join() }`);

    expect(egress).toEqual(expect.arrayContaining(['10.40.1.0/28 3307', '10.40.0.21/32 9000', '10.40.0.22/32 9000', 'fd00::23/128 9440']));
  });

  it('puts the users, Secrets, host, port, cluster and storage policy into the server', () => {
    const yaml = byName(objects, 'ConfigMap', 'hnm-server').data['server.yaml'];
    const volumes = byName(objects, 'Deployment', 'hnm-server').spec.template.spec.volumes.map((v: any) => v.secret?.secretName).filter(Boolean);

    expect(yaml).toContain('host: "mysql.db.example.com"');
    expect(yaml).toContain('port: 3307');
    expect(yaml).toContain('cluster-name: "analytics"');
    expect(yaml).toContain('storage-policy: "hot"');
    expect(yaml).toContain('username: "flows"');
    expect(volumes).toEqual(expect.arrayContaining(['my-pass', 'ch-pass']));
  });

  it('uses a MySQL address as its own /32 when no CIDRs are given', () => {
    const s = externalSettings((x) => {
      x.external.clickhouse.enabled = false; x.external.mysql.host = '10.40.1.9'; x.external.mysql.egressCIDRs = '';
    });
    const rules = (policy: string) => byName(objectsFor(s), 'NetworkPolicy', policy).spec.egress.filter((r: any) => r.ports.some((p: any) => p.port === 3307));

    expect(rules('hnm-server').map((r: any) => r.to[0].ipBlock.cidr)).toEqual(['10.40.1.9/32']);
    // The chart's ClickHouse reads MySQL through its dictionaries.
    expect(rules('hnm-clickhouse').map((r: any) => r.to[0].ipBlock.cidr)).toEqual(['10.40.1.9/32']);
  });

  it('changes nothing without external databases', () => {
    const s = defaultSettings('https://x/', '0.1.0');

    expect(withExternalDatabases(renderedObjects(variantOf(s)), s.external)).toEqual(renderedObjects(variantOf(s)));
  });
});

describe('review of the external-database layout', () => {
  const { findings } = reviewChart(objectsFor(externalSettings()), NODES);
  const external = findings.filter((f) => ['exposure.externalEndpoints', 'exposure.externalMysql', 'exposure.unmanagedSecret'].includes(f.id));

  it('says where the data goes, which policies let it out, and which Secrets nobody installs', () => {
    expect(external.map((f) => [f.severity, f.id, f.params.addresses ?? f.params.address ?? f.params.secret, f.params.policies ?? f.params.workloads])).toEqual([
      ['warning', 'exposure.externalEndpoints', '10.40.0.21:9000, 10.40.0.22:9000, [fd00::23]:9440', 'hnm-server'],
      ['warning', 'exposure.externalMysql', 'mysql.db.example.com:3307', 'hnm-server'],
      ['info', 'exposure.unmanagedSecret', 'ch-pass', 'hnm-server'],
      ['info', 'exposure.unmanagedSecret', 'my-pass', 'hnm-server'],
    ]);
  });

  it('finds nothing critical and nothing about databases in the chart\'s own layouts', () => {
    for (const variant of ['proxy', 'proxy+scale-out'] as const) {
      const ids = reviewChart(renderedObjects(variant), NODES).findings;

      expect(ids.filter((f) => f.severity === 'critical')).toEqual([]);
      expect(ids.filter((f) => f.id.startsWith('exposure.external') || f.id === 'exposure.unmanagedSecret')).toEqual([]);
    }
    expect(findings.filter((f) => f.severity === 'critical')).toEqual([]);
  });
});

describe('exposure.externalEndpoints / externalMysql / unmanagedSecret on hand-made objects', () => {
  const review = (objects: Json[]) => reviewObjects(objects, { analyses: ['exposure'] }).findings;

  it('ignores a selectorless Service without Endpoints, an ExternalName Service and a MySQL Service of the namespace', () => {
    const f = review([
      { kind: 'Service', metadata: { name: 'a', namespace: 'n' }, spec: { ports: [{ port: 1 }] } },
      { kind: 'Service', metadata: { name: 'b', namespace: 'n' }, spec: { type: 'ExternalName', externalName: 'x.example.com' } },
      { kind: 'Endpoints', metadata: { name: 'b', namespace: 'n' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 1 }] }] },
      { kind: 'Service', metadata: { name: 'db', namespace: 'n' }, spec: { selector: { app: 'db' }, ports: [{ port: 3306 }] } },
      { kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'n' }, data: { 'server.yaml': 'controller:\n  mysql:\n    host: db\n' } },
    ]);

    expect(f.map((x) => x.id)).toEqual([]);
  });

  it('names no policy when none lets the traffic out, and tolerates broken YAML', () => {
    const f = review([
      { kind: 'Service', metadata: { name: 'ch', namespace: 'n' }, spec: { ports: [{ port: 9000 }] } },
      { kind: 'Endpoints', metadata: { name: 'ch', namespace: 'n' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 9000 }] }] },
      {
        kind: 'NetworkPolicy', metadata: { name: 'elsewhere', namespace: 'n' }, spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 9000 }] }] }
      },
      { kind: 'ConfigMap', metadata: { name: 'bad', namespace: 'n' }, data: { 'server.yaml': 'controller: [' } },
    ]);

    expect(f.map((x) => [x.id, x.params.policies])).toEqual([['exposure.externalEndpoints', '-']]);
  });

  it('reports a Secret once per namespace with every workload that reads it, through volumes, env and envFrom', () => {
    const f = review([
      workload('Deployment', 'a', 'n', { volumes: [{ name: 'v', secret: { secretName: 'shared' } }], containers: [{ name: 'c', image: 'x:1' }] }),
      workload('Deployment', 'b', 'n', { containers: [{ name: 'c', image: 'x:1', envFrom: [{ secretRef: { name: 'shared' } }] }] }),
      workload('Deployment', 'c', 'n', { containers: [{ name: 'c', image: 'x:1', env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'present', key: 'k' } } }] }] }),
      { kind: 'Secret', metadata: { name: 'present', namespace: 'n' }, data: {} },
    ]).filter((x) => x.id === 'exposure.unmanagedSecret');

    expect(f.map((x) => [x.params.secret, x.params.workloads])).toEqual([['shared', 'a, b']]);
  });
});

describe('the stack namespace of the rendering', () => {
  it('is the one the findings name', () => {
    const { findings } = reviewChart(objectsFor(externalSettings()), NODES);

    expect(new Set(findings.filter((f) => f.id === 'exposure.unmanagedSecret').map((f) => f.object.namespace))).toEqual(new Set([NS]));
  });
});
