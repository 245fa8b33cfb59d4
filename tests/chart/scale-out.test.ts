/**
 * Scale-out on DeepFlow's own distributed design and external databases (chart README "Scale-out" and
 * "External databases"): what the chart renders for several ClickHouse shards, and for an existing ClickHouse
 * cluster and MySQL given by endpoint and Secret, including the NetworkPolicy egress to them.
 */
import { load } from 'js-yaml';
import { K8sObject, findObject, hasObject, runHelm } from '../support/helm';
import { EXTERNAL_DB, objectsOf } from './support/variants';

const NS = 'harvester-network-monitoring';

function serverYaml(objects: K8sObject[]): any {
  return load(findObject(objects, 'ConfigMap', 'hnm-server', NS).data['server.yaml']);
}

function egressOf(objects: K8sObject[], policy: string): { to: any[]; ports: any[] }[] {
  return findObject(objects, 'NetworkPolicy', policy, NS).spec.egress;
}

const cidrsOf = (rule: { to: any[] }) => rule.to.map((peer) => peer.ipBlock?.cidr).filter(Boolean);
const portsOf = (rule: { ports: any[] }) => rule.ports.map((p) => p.port);

function rejection(values: Record<string, unknown>): string {
  const r = runHelm('template', { values });

  if (r.ok) {
    throw new Error(`helm accepted ${ JSON.stringify(values) }`);
  }

  return r.stderr;
}

describe('several ClickHouse nodes (clickhouse.replicas)', () => {
  const objects = objectsOf('scale-out');
  const sts = findObject(objects, 'StatefulSet', 'hnm-clickhouse', NS);

  it('runs one StatefulSet with a volume per node from volumeClaimTemplates and no standalone PVC', () => {
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.volumeClaimTemplates.map((t: any) => t.metadata.name)).toEqual(['data']);
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    expect(sts.spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('data');
    expect(hasObject(objects, 'PersistentVolumeClaim', 'hnm-clickhouse-data', NS)).toBe(false);
    // The container still mounts "data": the claim template provides it.
    expect(sts.spec.template.spec.containers[0].volumeMounts.filter((m: any) => m.name === 'data')).toHaveLength(2);
  });

  it('keeps the volumes as persistence.keepOnUninstall says, and always when scaled down', () => {
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    const noKeep = findObject(objectsOf('scale-out-no-keep'), 'StatefulSet', 'hnm-clickhouse', NS);

    expect(noKeep.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
  });

  it('makes every pod one shard of df_cluster, addressed through the headless Service', () => {
    const xml: string = findObject(objects, 'ConfigMap', 'hnm-clickhouse', NS).data['deepflow-config.xml'];
    const cluster = xml.match(/<df_cluster>([\s\S]*)<\/df_cluster>/)?.[1] || '';
    const shards = [...cluster.matchAll(/<shard>\s*<replica>\s*<host>([^<]+)<\/host>/g)].map((m) => m[1]);

    expect(sts.spec.serviceName).toBe('hnm-clickhouse-headless');
    expect(shards).toEqual([0, 1, 2].map((i) => `hnm-clickhouse-${ i }.hnm-clickhouse-headless`));
    expect(cluster.match(/<replica>/g)).toHaveLength(3);
  });

  it('skips a shard that is down instead of failing every query', () => {
    const users: string = findObject(objects, 'ConfigMap', 'hnm-clickhouse', NS).data['deepflow-users.xml'];

    expect(users).toContain('<skip_unavailable_shards>1</skip_unavailable_shards>');
  });

  it('spreads the nodes over Harvester nodes and lets a drain take one at a time', () => {
    const spec = sts.spec.template.spec;

    expect(spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname', maxSkew: 1 });
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    const pdb = findObject(objects, 'PodDisruptionBudget', 'hnm-clickhouse', NS);

    expect(pdb.spec.maxUnavailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(sts.spec.selector.matchLabels);
    expect(hasObject(objects, 'PodDisruptionBudget', 'hnm-server', NS)).toBe(true);
  });

  it('keeps one node exactly as before: standalone PVC, one shard, no budget', () => {
    const one = objectsOf('defaults');
    const single = findObject(one, 'StatefulSet', 'hnm-clickhouse', NS);

    expect(single.spec.replicas).toBe(1);
    expect(single.spec.volumeClaimTemplates).toBeUndefined();
    expect(single.spec.template.spec.affinity).toBeUndefined();
    expect(hasObject(one, 'PersistentVolumeClaim', 'hnm-clickhouse-data', NS)).toBe(true);
    expect(hasObject(one, 'PodDisruptionBudget', 'hnm-clickhouse', NS)).toBe(false);
  });

  it('tells the server to find the nodes through the Service Endpoints, internal mode', () => {
    const ckdb = serverYaml(objects).ingester.ckdb;

    expect(ckdb).toMatchObject({ external: false, host: 'hnm-clickhouse', 'endpoint-tcp-port-name': 'tcp-port' });
    const svc = findObject(objects, 'Service', 'hnm-clickhouse', NS);

    expect(svc.spec.ports.map((p: any) => p.name)).toContain('tcp-port');
  });
});

describe('external ClickHouse and MySQL', () => {
  const objects = objectsOf('external-db');

  it('renders no ClickHouse or MySQL pod, volume, config or generated Secret', () => {
    const gone = [
      ['StatefulSet', 'hnm-clickhouse'], ['StatefulSet', 'hnm-mysql'], ['PersistentVolumeClaim', 'hnm-clickhouse-data'],
      ['PersistentVolumeClaim', 'hnm-mysql-data'], ['ConfigMap', 'hnm-clickhouse'], ['ConfigMap', 'hnm-mysql'],
      ['Service', 'hnm-mysql'], ['Service', 'hnm-clickhouse-headless'], ['Secret', 'hnm-mysql-credentials'],
      ['Secret', 'hnm-clickhouse-credentials'], ['NetworkPolicy', 'hnm-clickhouse'], ['NetworkPolicy', 'hnm-mysql'],
    ].filter(([kind, name]) => hasObject(objects, kind, name, NS));

    expect(gone).toEqual([]);
  });

  it('lists the ClickHouse nodes as Endpoints of a selectorless Service named as DeepFlow is told', () => {
    const svc = findObject(objects, 'Service', 'hnm-clickhouse', NS);
    const endpoints = findObject(objects, 'Endpoints', 'hnm-clickhouse', NS);
    const ckdb = serverYaml(objects).ingester.ckdb;

    expect(svc.spec.selector).toBeUndefined();
    expect(endpoints.subsets.map((s: any) => [s.addresses[0].ip, s.ports[0].name, s.ports[0].port])).toEqual([
      ['10.20.0.11', 'tcp-port', 9000], ['10.20.0.12', 'tcp-port', 9000], ['fd00::13', 'tcp-port', 9440],
    ]);
    expect(ckdb).toMatchObject({
      external: true, host: svc.metadata.name, 'endpoint-tcp-port-name': 'tcp-port', 'cluster-name': 'default', 'storage-policy': 'default'
    });
  });

  it('gives every DeepFlow component the external users, host and port', () => {
    const config = serverYaml(objects);

    expect(config.controller.mysql).toMatchObject({ host: 'mysql.db.example.com', port: 3306, 'user-name': 'deepflow' });
    expect(config.controller.clickhouse['user-name']).toBe('deepflow');
    expect(config.querier.clickhouse).toMatchObject({ host: 'hnm-clickhouse', 'user-name': 'deepflow' });
    expect(config.ingester['ckdb-auth'].username).toBe('deepflow');
  });

  it('reads both passwords from the named Secrets, key "password", into the memory-only config', () => {
    const volumes = findObject(objects, 'Deployment', 'hnm-server', NS).spec.template.spec.volumes;
    const secretOf = (name: string) => volumes.find((v: any) => v.name === name).secret;

    expect(secretOf('mysql-credentials')).toMatchObject({ secretName: 'ext-mysql', items: [{ key: 'password', path: 'password' }] });
    expect(secretOf('clickhouse-credentials')).toMatchObject({ secretName: 'ext-clickhouse', items: [{ key: 'password', path: 'password' }] });
    const script: string = findObject(objects, 'ConfigMap', 'hnm-server', NS).data['render-config.sh'];

    expect(script).toContain('/etc/deepflow-secrets/mysql/password');
  });

  it('lets the server reach exactly the external addresses and ports', () => {
    const egress = egressOf(objects, 'hnm-server');
    const byAddress = egress.filter((r) => cidrsOf(r).length && !portsOf(r).includes(443)).map((r) => [cidrsOf(r), portsOf(r)]);

    expect(byAddress).toEqual([
      [['10.20.1.0/28'], [3306]], [['10.20.0.11/32'], [9000]], [['10.20.0.12/32'], [9000]], [['fd00::13/128'], [9440]],
    ]);
    const podTargets = egress.flatMap((r) => r.to.map((peer) => peer.podSelector?.matchLabels?.['app.kubernetes.io/component'])).filter(Boolean);

    expect(podTargets).toEqual(['server']);
  });
});

describe('external MySQL with the chart\'s ClickHouse', () => {
  const objects = objectsOf('external-mysql');

  it('lets the server and ClickHouse (its dictionaries) reach the MySQL address, and renders no MySQL', () => {
    const toMysql = (policy: string) => egressOf(objects, policy).filter((r) => portsOf(r).includes(3307)).map(cidrsOf);

    expect(toMysql('hnm-server')).toEqual([['10.20.1.5/32']]);
    expect(toMysql('hnm-clickhouse')).toEqual([['10.20.1.5/32']]);
    expect(hasObject(objects, 'StatefulSet', 'hnm-mysql', NS)).toBe(false);
    expect(hasObject(objects, 'StatefulSet', 'hnm-clickhouse', NS)).toBe(true);
    expect(serverYaml(objects).controller.mysql).toMatchObject({ host: '10.20.1.5', port: 3307, 'user-name': 'root' });
    expect(serverYaml(objects).ingester.ckdb.external).toBe(false);
  });
});

describe('checks with a reason', () => {
  const ext = EXTERNAL_DB;

  it.each([
    ['external ClickHouse without external MySQL', { clickhouse: ext.clickhouse }, 'clickhouse.external needs mysql.external'],
    ['external ClickHouse without hosts', { ...ext, clickhouse: { external: { ...ext.clickhouse.external, hosts: [] } } }, 'clickhouse.external.hosts must list'],
    ['external ClickHouse without Secret', { ...ext, clickhouse: { external: { ...ext.clickhouse.external, existingSecret: '' } } }, 'clickhouse.external.existingSecret must name a Secret'],
    ['external ClickHouse with several own nodes', { ...ext, clickhouse: { ...ext.clickhouse, replicas: 3 } }, 'leave it at 1 with clickhouse.external'],
    ['external MySQL without host', { mysql: { external: { ...ext.mysql.external, host: '' } } }, 'mysql.external.host must be'],
    ['external MySQL without Secret', { mysql: { external: { ...ext.mysql.external, existingSecret: '' } } }, 'mysql.external.existingSecret must name a Secret'],
    ['external MySQL by name without egress CIDRs', { mysql: { external: { ...ext.mysql.external, egressCIDRs: [] } } }, 'mysql.external.egressCIDRs must list'],
  ])('refuses %s', (_name, values, message) => {
    expect(rejection(values)).toContain(message);
  });

  it('accepts a MySQL host name without CIDRs when there are no NetworkPolicies', () => {
    expect(runHelm('template', { values: { mysql: { external: { ...ext.mysql.external, egressCIDRs: [] } }, networkPolicy: { enabled: false } } }).ok).toBe(true);
  });

  it.each([
    ['no ClickHouse node', { clickhouse: { replicas: 0 } }, "at '/clickhouse/replicas': minimum: got 0, want 1"],
    ['more ClickHouse nodes than the chart supports', { clickhouse: { replicas: 9 } }, "at '/clickhouse/replicas': maximum: got 9, want 8"],
    ['a ClickHouse node that is not an address', { clickhouse: { external: { enabled: true, hosts: [{ ip: 'ch-1.example.com' }] } } }, "at '/clickhouse/external/hosts/0/ip'"],
    ['a port out of range', { mysql: { external: { enabled: true, port: 70000 } } }, "at '/mysql/external/port': maximum: got 70,000, want 65,535"],
    ['a user name with quotes', { mysql: { external: { enabled: true, username: 'a"b' } } }, "at '/mysql/external/username'"],
    ['the whole address space as MySQL egress', { mysql: { external: { enabled: true, egressCIDRs: ['0.0.0.0/0'] } } }, "at '/mysql/external/egressCIDRs/0'"],
  ])('schema rejects %s', (_name, values, message) => {
    expect(rejection(values)).toContain(message);
  });
});
