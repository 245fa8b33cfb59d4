/**
 * DeepFlow wiring: the names and ports the extension relies on, the agent and server configuration DeepFlow
 * reads, the ClickHouse cluster/storage layout DeepFlow expects, and the configurator Job that uploads the
 * KubeVirt tagging plugin and the agent-group configuration.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { load } from 'js-yaml';
import { QUERIER } from '@pkg/domain/flows/query/constants';
import { COMPONENTS, STACK } from '@pkg/domain/stack/constants';
import { K8sObject, MONITORING_CHART, findObject, findObjects, objectRef, renderChart } from '../support/helm';
import { objectsOf } from './support/variants';
import { podSpec, workloads } from './support/workloads';

const NS = STACK.stackNamespace;
const cm = (objects: K8sObject[], name: string, ns: string = NS) => findObject(objects, 'ConfigMap', name, ns).data as Record<string, string>;
const serverYaml = (objects: K8sObject[]) => load(cm(objects, 'hnm-server')['server.yaml']) as Record<string, any>;

describe('what the extension relies on', () => {
  it('labels every workload with its component, in the namespace the extension looks in', () => {
    const found = workloads(objectsOf('defaults')).filter((w) => w.kind !== 'Job').map((w) => ({
      id:        w.metadata.labels?.[STACK.componentLabel],
      namespace: w.metadata.namespace,
      partOf:    w.metadata.labels?.[STACK.partOfLabel],
      podLabel:  w.spec.template.metadata.labels?.[STACK.componentLabel],
    }));

    expect(found.sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual(
      [...COMPONENTS].sort((a, b) => a.id.localeCompare(b.id)).map((c) => ({ id: c.id, namespace: c.namespace, partOf: STACK.partOfValue, podLabel: c.id })));
  });

  it('serves the querier at the Service and port the extension calls through the API proxy', () => {
    const svc = findObject(objectsOf('defaults'), 'Service', QUERIER.service, QUERIER.namespace);

    expect(svc.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['querier', QUERIER.port], ['controller', 20417], ['grpc', 20035], ['ingester', 20033], ['agent-state', 20419]]);
    expect(svc.spec.type).toBe('ClusterIP');
  });

  it('documents the Service names and ports for operators', () => {
    const readme = readFileSync(path.join(MONITORING_CHART, 'README.md'), 'utf8');

    ['hnm-server', 'hnm-grafana', '20416', '20417', '20035', '20033', 'http:hnm-grafana:80/proxy', 'http:hnm-server:20416/proxy'].forEach((s) => expect(readme).toContain(s));
  });
});

describe('agent', () => {
  it('finds the server through its Service FQDN on the grpc port (it runs on the host network)', () => {
    const config = load(cm(objectsOf('defaults'), 'hnm-agent', STACK.agentNamespace)['deepflow-agent.yaml']);

    expect(config).toEqual({
      'controller-ips':          ['hnm-server.harvester-network-monitoring.svc.cluster.local'],
      'controller-port':         20035,
      'kubernetes-cluster-name': 'harvester',
    });
  });

  it('requests an agent group only when one is set', () => {
    const objects = renderChart({ values: { agent: { groupIdRequest: 'g-0123456789' } } }).objects;

    expect(load(cm(objects, 'hnm-agent', STACK.agentNamespace)['deepflow-agent.yaml'])).toMatchObject({ 'vtap-group-id-request': 'g-0123456789' });
  });
});

describe('server.yaml', () => {
  const objects = objectsOf('defaults');
  const config = serverYaml(objects);

  it('points the controller at MySQL and every module at ClickHouse through their Services', () => {
    const mysqlSvc = findObject(objects, 'Service', 'hnm-mysql', NS);

    expect(config.controller.mysql).toMatchObject({ host: mysqlSvc.metadata.name, port: mysqlSvc.spec.ports[0].port, 'user-name': 'root', database: 'deepflow' });
    [config.controller.clickhouse, config.querier.clickhouse].forEach((ch) => expect(ch).toMatchObject({ host: 'hnm-clickhouse', port: 9000, 'user-name': 'default' }));
    expect(config.querier['listen-port']).toBe(20416);
    expect(config.controller['reporting-disabled']).toBe(true);
  });

  it('names the ClickHouse Service and its tcp port the way DeepFlow looks them up in the Endpoints', () => {
    const svc = findObject(objects, 'Service', config.ingester.ckdb.host, NS);

    expect(svc.spec.ports.map((p: any) => p.name)).toContain(config.ingester.ckdb['endpoint-tcp-port-name']);
    expect(config.ingester.ckdb).toMatchObject({ external: false, type: 'clickhouse', port: 9000, 'time-zone': 'UTC' });
    expect(config.ingester['ckdb-auth'].username).toBe('default');
  });

  it('elects its leader with the Lease the server Role allows', () => {
    const role = findObject(objects, 'Role', 'hnm-server', NS);

    expect(role.rules[1].resourceNames).toEqual([config.controller['election-name']]);
  });

  it('applies the retention values as DeepFlow TTLs (hours)', () => {
    const custom = serverYaml(renderChart({ values: { retention: { flowMetrics1mHours: 336, flowMetrics1sHours: 12, flowLogHours: 48 } } }).objects);

    expect(config.ingester['flow-metrics-ttl-hour']).toEqual({ 'vtap-flow-1m': 168, 'vtap-flow-1s': 24, 'vtap-app-1m': 168, 'vtap-app-1s': 24 });
    expect(config.ingester['flow-log-ttl-hour']).toEqual({ 'l4-flow-log': 72, 'l7-flow-log': 72, 'l4-packet': 72 });
    expect(custom.ingester['flow-metrics-ttl-hour']).toMatchObject({ 'vtap-flow-1m': 336, 'vtap-flow-1s': 12 });
    expect(custom.ingester['flow-log-ttl-hour']['l4-flow-log']).toBe(48);
  });

  it('runs the server from the rendered file, with the secrets only in the init container', () => {
    const spec = podSpec(findObject(objects, 'Deployment', 'hnm-server', NS));

    expect(spec.containers[0].command).toEqual(['/bin/deepflow-server', '-f', '/etc/deepflow/server.yaml']);
    expect(spec.initContainers[0].command).toEqual(['/bin/sh', '/etc/deepflow-template/render-config.sh']);
    expect(spec.containers[0].volumeMounts.map((m: any) => m.name)).not.toEqual(expect.arrayContaining(['mysql-credentials']));
    expect(cm(objects, 'hnm-server')['render-config.sh']).toContain('*[!A-Za-z0-9._~-]*');
  });

  it('spreads 3 server replicas over the nodes', () => {
    const deployment = findObject(objectsOf('server-3-replicas'), 'Deployment', 'hnm-server', NS);
    const spec = podSpec(deployment);

    expect(deployment.spec.replicas).toBe(3);
    expect(spec.topologySpreadConstraints[0]).toMatchObject({ maxSkew: 1, topologyKey: 'kubernetes.io/hostname' });
    expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(findObject(objectsOf('server-1-replica'), 'Deployment', 'hnm-server', NS).spec.replicas).toBe(1);
  });
});

describe('ClickHouse', () => {
  const objects = objectsOf('defaults');
  const config = cm(objects, 'hnm-clickhouse')['deepflow-config.xml'];
  const sts = findObject(objects, 'StatefulSet', 'hnm-clickhouse', NS);

  it('defines the df_cluster and df_storage DeepFlow creates its tables on', () => {
    expect(config).toContain(`<host>hnm-clickhouse-0.${ sts.spec.serviceName }</host>`);
    expect(config).toMatch(/<df_cluster>[\s\S]*<password from_env="CLICKHOUSE_PASSWORD"\/>[\s\S]*<\/df_cluster>/);
    expect(config).toMatch(/<df_storage>[\s\S]*<disk>path_0<\/disk>[\s\S]*<\/df_storage>/);
    expect(findObject(objects, 'Service', sts.spec.serviceName, NS).spec.clusterIP).toBe('None');
  });

  it('sets the default user\'s password from the Secret-backed environment variable', () => {
    const env = podSpec(sts).containers[0].env.find((e: any) => e.name === 'CLICKHOUSE_PASSWORD');

    expect(cm(objects, 'hnm-clickhouse')['deepflow-users.xml']).toContain('<password replace="replace" from_env="CLICKHOUSE_PASSWORD"/>');
    expect(env.valueFrom.secretKeyRef).toEqual({ name: 'hnm-clickhouse-credentials', key: 'password' });
  });

  it('keeps data and storage disks on the PVC, outside its lost+found', () => {
    const mounts = podSpec(sts).containers[0].volumeMounts.filter((m: any) => m.name === 'data');

    expect(mounts).toEqual([
      { name: 'data', mountPath: '/var/lib/clickhouse', subPath: 'data' },
      { name: 'data', mountPath: '/var/lib/clickhouse_storage', subPath: 'storage' },
    ]);
  });
});

describe('configurator Job (KubeVirt tagging, agent group)', () => {
  const objects = objectsOf('defaults');
  // helm template renders revision 1.
  const job = findObject(objects, 'Job', 'hnm-configurator-1', NS);
  const data = cm(objects, 'hnm-configurator');

  it('runs after every install and upgrade without holding Helm up, bounded, and cleans up after itself', () => {
    // Not a hook: Helm would wait for it past the helm-controller's install timeout on a fresh cluster.
    expect(Object.keys(job.metadata.annotations || {}).filter((k) => k.startsWith('helm.sh/hook'))).toEqual([]);
    expect(job.metadata.name).toBe('hnm-configurator-1');
    expect(job.spec.backoffLimit).toBe(3);
    expect(job.spec.ttlSecondsAfterFinished).toBe(3600);
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(480);
  });

  it('talks only to the server\'s controller API', () => {
    const env = Object.fromEntries(podSpec(job).containers[0].env.map((e: any) => [e.name, e.value]));

    expect(env.API).toBe('http://hnm-server.harvester-network-monitoring.svc:20417');
    expect(podSpec(job).automountServiceAccountToken).toBe(false);
  });

  it('uploads the Lua plugin the way deepflow-ctl does (type lua, user server)', () => {
    const script = data['configure-deepflow.sh'];

    expect(script).toContain('-F NAME=kubevirt -F TYPE=3 -F USER=2 -F "IMAGE=@/config/kubevirt.lua;filename=kubevirt.lua"');
    expect(script).toContain('"$API/v1/plugin/"');
    expect(script).toContain('"OPT_STATUS":"SUCCESS"');
    expect(script).toMatch(/^set -eu$/m);
  });

  it('ships a plugin that names virt-launcher pods after their VM', () => {
    const lua = data['kubevirt.lua'];

    expect(lua).toMatch(/^function GetWorkloadTypeAndName\(metaJsonStr\)$/m);
    expect(lua).toContain('labels["vm.kubevirt.io/name"]');
    expect(lua).toContain('labels["kubevirt.io"] == "virt-launcher"');
    expect(lua).toContain('owner["kind"] == "VirtualMachineInstance"');
    expect(lua).toContain('local WORKLOAD_TYPE = "Deployment"');
    expect(lua).not.toContain('__WORKLOAD_TYPE__');
    expect(cm(renderChart({ values: { kubevirtTagging: { workloadType: 'StatefulSet' } } }).objects, 'hnm-configurator')['kubevirt.lua'])
      .toContain('local WORKLOAD_TYPE = "StatefulSet"');
  });

  it('sets the Harvester interface preset and agent self-limits on the default agent group', () => {
    const group = load(data['agent-group-config.yaml']) as any;
    const values = load(readFileSync(path.join(MONITORING_CHART, 'values.yaml'), 'utf8')) as any;

    expect(group).toEqual({
      global: { limits: { max_memory: 768, max_millicpus: 1000 } },
      inputs: {
        cbpf:      { af_packet: { interface_regex: values.agent.interfaceRegex } },
        // The API watcher's ClusterRole leaves ConfigMaps out, so the group must not ask it to watch them.
        resources: { kubernetes: { api_resources: [{ name: 'configmaps', disabled: true }] } },
      },
    });
    ['mgmt-br', 'vlan1-br', 'mgmt-bo', 'cali1234', 'veth0a1b', 'tap0', 'eth0', 'ens3', 'enp1s0'].forEach((nic) => expect({ nic, match: new RegExp(group.inputs.cbpf.af_packet.interface_regex).test(nic) }).toEqual({ nic, match: true }));
    ['lo', 'docker0', 'flannel.1', 'kube-ipvs0'].forEach((nic) => expect({ nic, match: new RegExp(group.inputs.cbpf.af_packet.interface_regex).test(nic) }).toEqual({ nic, match: false }));
  });

  it('derives the self-limits from the agent container limits and merges extra group config', () => {
    const medium = load(cm(objectsOf('medium'), 'hnm-configurator')['agent-group-config.yaml']) as any;
    const extra = load(cm(renderChart({ values: { agent: { groupConfig: { processors: { request_log: { tag_extraction: { tracing_tag: { x_request_id: ['x-request-id'] } } } } } } } }).objects,
      'hnm-configurator')['agent-group-config.yaml']) as any;

    expect(medium.global.limits).toEqual({ max_memory: 1536, max_millicpus: 2000 });
    expect(extra.processors.request_log.tag_extraction.tracing_tag.x_request_id).toEqual(['x-request-id']);
    expect(extra.inputs.cbpf.af_packet.interface_regex).toBeTruthy();
  });

  it('is left out, with its ConfigMap and policy, when disabled', () => {
    const off = renderChart({ values: { configurator: { enabled: false }, kubevirtTagging: { enabled: false } } }).objects;

    expect(off.filter((o) => o.metadata.name === 'hnm-configurator').map(objectRef)).toEqual([]);
    expect(findObjects(off, 'Job')).toEqual([]);
  });
});
