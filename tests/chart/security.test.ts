/**
 * The chart's security promises, checked on the objects real helm renders: least privilege for every pod, the
 * agent's documented (and only those) host privileges, Pod Security labels, generated credentials that never
 * appear in plain text, RBAC without wildcards, resources on every container and pinned, relocatable images.
 */
import { readFileSync } from 'fs';
import path from 'path';
import { PROFILES } from '@pkg/domain/install/sizing';
import { STACK } from '@pkg/domain/stack/constants';
import { K8sObject, MONITORING_CHART, findObject, findObjects, hasObject, objectRef, renderChart } from '../support/helm';
import { VARIANT_NAMES, objectsOf } from './support/variants';
import { ContainerRef, allContainers, containersOf, expectNoViolations, podSpec, secretData, where, workloads } from './support/workloads';

const AGENT_NS = STACK.agentNamespace;
const STACK_NS = STACK.stackNamespace;
const DOCUMENTED_CAPS = ['SYS_ADMIN', 'SYS_RESOURCE', 'SYS_PTRACE', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYSLOG'];
const DOCUMENTED_CAPS_BPF = ['BPF', 'PERFMON', 'SYS_RESOURCE', 'SYS_PTRACE', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYSLOG'];

const isAgent = (o: K8sObject) => o.kind === 'DaemonSet' && o.metadata.name === 'hnm-agent';
// The API watcher runs deepflow-agent's image, which runs as root: uid 0 and a writable root filesystem are its
// only exceptions to the restricted profile (pinned in 'runs the API watcher without host access or capabilities').
const isWatcher = (o: K8sObject) => o.kind === 'Deployment' && o.metadata.name === 'hnm-watcher';
const agentOf = (objects: K8sObject[]) => findObject(objects, 'DaemonSet', 'hnm-agent', AGENT_NS);
const mainAgentContainer = (objects: K8sObject[]) => podSpec(agentOf(objects)).containers[0];

describe('privileges', () => {
  it.each(VARIANT_NAMES)('%s: no main container is privileged', (name) => {
    const violations = allContainers(objectsOf(name))
      .filter((c) => c.field.startsWith('containers') && c.container.securityContext?.privileged === true)
      .map((c) => where(c, 'securityContext.privileged'));

    expectNoViolations(violations);
  });

  it('only the opt-in bpf_jit init container is privileged', () => {
    const privileged = (name: 'defaults' | 'bpf-perfmon') => allContainers(objectsOf(name))
      .filter((c) => c.container.securityContext?.privileged === true).map((c) => where(c));

    expect(privileged('defaults')).toEqual([]);
    expect(privileged('bpf-perfmon')).toEqual([
      `DaemonSet ${ AGENT_NS }/hnm-agent spec.template.spec.initContainers[0] (enable-bpf-jit)`,
    ]);
  });

  it('gives the agent exactly the capabilities DeepFlow documents, after dropping all others', () => {
    const caps = mainAgentContainer(objectsOf('defaults')).securityContext.capabilities;

    expect(caps.drop).toEqual(['ALL']);
    expect([...caps.add].sort()).toEqual([...DOCUMENTED_CAPS].sort());
  });

  it('replaces CAP_SYS_ADMIN by CAP_BPF + CAP_PERFMON in bpfPerfmon mode, and then forbids privilege escalation', () => {
    const sc = mainAgentContainer(objectsOf('bpf-perfmon')).securityContext;

    expect([...sc.capabilities.add].sort()).toEqual([...DOCUMENTED_CAPS_BPF].sort());
    expect(sc.capabilities.add).not.toContain('SYS_ADMIN');
    expect(sc.allowPrivilegeEscalation).toBe(false);
  });

  it('runs the agent with hostPID, host networking, AppArmor unconfined (1.30+ field) and a read-only /sys/kernel/debug', () => {
    const objects = objectsOf('defaults');
    const spec = podSpec(agentOf(objects));
    const container = spec.containers[0];
    const hostPaths = spec.volumes.filter((v: any) => v.hostPath);

    expect(spec.hostPID).toBe(true);
    expect(spec.hostNetwork).toBe(true);
    expect(spec.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(container.securityContext.appArmorProfile).toEqual({ type: 'Unconfined' });
    expect(agentOf(objects).spec.template.metadata.annotations || {}).not.toHaveProperty(['container.apparmor.security.beta.kubernetes.io/deepflow-agent']);
    expect(hostPaths).toEqual([{ name: 'sys-kernel-debug', hostPath: { path: '/sys/kernel/debug', type: 'Directory' } }]);
    expect(container.volumeMounts.find((m: any) => m.name === 'sys-kernel-debug')).toEqual({ name: 'sys-kernel-debug', mountPath: '/sys/kernel/debug', readOnly: true });
  });

  it('schedules agents on every node, control plane included, or on the picked nodes', () => {
    expect(podSpec(agentOf(objectsOf('defaults'))).tolerations).toEqual([{ operator: 'Exists' }]);
    expect(podSpec(agentOf(objectsOf('defaults'))).affinity).toBeUndefined();
    expect(podSpec(agentOf(objectsOf('agent-nodes'))).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['harvester-node-1', 'harvester-node-2'] }] },
    ]);
  });

  it.each(VARIANT_NAMES)('%s: no pod but the agent uses host namespaces, hostPath or added capabilities', (name) => {
    const violations: string[] = [];

    workloads(objectsOf(name)).filter((w) => !isAgent(w)).forEach((w) => {
      const spec = podSpec(w);

      ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => spec[f]).forEach((f) => violations.push(`${ objectRef(w) } spec.template.spec.${ f }`));
      (spec.volumes || []).filter((v: any) => v.hostPath).forEach((v: any) => violations.push(`${ objectRef(w) } volume ${ v.name } is a hostPath`));
      containersOf(w).filter((c) => c.container.securityContext?.capabilities?.add?.length)
        .forEach((c) => violations.push(where(c, 'securityContext.capabilities.add')));
    });
    expectNoViolations(violations);
  });

  it.each(VARIANT_NAMES)('%s: every non-agent pod is as restricted as its image allows', (name) => {
    const violations: string[] = [];

    workloads(objectsOf(name)).filter((w) => !isAgent(w) && !isWatcher(w)).forEach((w) => {
      const pod = podSpec(w).securityContext || {};

      if (pod.runAsNonRoot !== true || !(pod.runAsUser > 0)) {
        violations.push(`${ objectRef(w) } spec.template.spec.securityContext: runAsNonRoot/runAsUser ${ JSON.stringify(pod) }`);
      }
      if (pod.seccompProfile?.type !== 'RuntimeDefault') {
        violations.push(`${ objectRef(w) } spec.template.spec.securityContext.seccompProfile`);
      }
      containersOf(w).forEach((c: ContainerRef) => {
        const sc = c.container.securityContext || {};

        if (sc.allowPrivilegeEscalation !== false) {
          violations.push(where(c, 'securityContext.allowPrivilegeEscalation'));
        }
        if (JSON.stringify(sc.capabilities?.drop) !== '["ALL"]') {
          violations.push(where(c, 'securityContext.capabilities.drop'));
        }
        if (sc.readOnlyRootFilesystem !== true) {
          violations.push(where(c, 'securityContext.readOnlyRootFilesystem'));
        }
        if (sc.runAsUser === 0 || sc.privileged) {
          violations.push(where(c, 'securityContext (root or privileged)'));
        }
      });
    });
    expectNoViolations(violations);
  });

  it('runs the API watcher without host access or capabilities; only uid 0 and a writable root filesystem remain', () => {
    const watcher = findObject(objectsOf('defaults'), 'Deployment', 'hnm-watcher', AGENT_NS);
    const spec = podSpec(watcher);
    const sc = spec.containers[0].securityContext;

    expect(watcher.spec.replicas).toBe(1);
    expect(spec.securityContext).toEqual({ runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } });
    expect(sc).toEqual({ privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'] } });
    expect(spec.containers[0].env.find((e: any) => e.name === 'K8S_WATCH_POLICY')).toEqual({ name: 'K8S_WATCH_POLICY', value: 'watch-only' });
  });

  it('mounts the service-account token only into the API watcher and the server; node agents get the cluster CA only', () => {
    const objects = objectsOf('defaults');
    const withToken = workloads(objects).filter((w) => podSpec(w).automountServiceAccountToken !== false).map(objectRef).sort();
    const agent = podSpec(agentOf(objects));

    expect(withToken).toEqual([`Deployment ${ AGENT_NS }/hnm-watcher`, `Deployment ${ STACK_NS }/hnm-server`]);
    findObjects(objects, 'ServiceAccount').filter((sa) => sa.metadata.name !== 'hnm-server')
      .forEach((sa) => expect({ sa: objectRef(sa), automount: sa.automountServiceAccountToken }).toEqual({ sa: objectRef(sa), automount: false }));
    expect(agent.automountServiceAccountToken).toBe(false);
    expect(agent.containers[0].env.find((e: any) => e.name === 'K8S_WATCH_POLICY')).toEqual({ name: 'K8S_WATCH_POLICY', value: 'watch-disabled' });
    expect(agent.volumes.find((v: any) => v.name === 'kube-root-ca')).toEqual({
      name: 'kube-root-ca', configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    });
    expect(agent.containers[0].volumeMounts.find((m: any) => m.name === 'kube-root-ca'))
      .toEqual({ name: 'kube-root-ca', mountPath: '/run/secrets/kubernetes.io/serviceaccount', readOnly: true });
  });
});

describe('Pod Security Admission labels', () => {
  it('labels the agent namespace privileged', () => {
    const ns = findObject(objectsOf('defaults'), 'Namespace', AGENT_NS);

    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged' });
  });

  it('labels a chart-created stack namespace baseline, with restricted warnings and audit', () => {
    const objects = objectsOf('other-release-ns');

    expect(findObject(objects, 'Namespace', AGENT_NS).metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(findObject(objects, 'Namespace', STACK_NS).metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn':    'restricted',
      'pod-security.kubernetes.io/audit':   'restricted',
    });
  });

  it('does not render the release namespace (Helm cannot own it) and keeps a chart-created stack namespace with the data', () => {
    expect(hasObject(objectsOf('defaults'), 'Namespace', STACK_NS)).toBe(false);
    expect(findObject(objectsOf('other-release-ns'), 'Namespace', STACK_NS).metadata.annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
    expect(findObject(objectsOf('other-release-ns'), 'Namespace', AGENT_NS).metadata.annotations).toBeUndefined();
  });

  it('puts nothing but the agent and its own objects into the privileged namespace', () => {
    const inAgentNs = objectsOf('defaults').filter((o) => o.metadata.namespace === AGENT_NS).map((o) => `${ o.kind }/${ o.metadata.name }`).sort();

    expect(inAgentNs).toEqual([
      'ConfigMap/hnm-agent', 'ConfigMap/hnm-watcher', 'DaemonSet/hnm-agent', 'Deployment/hnm-watcher', 'NetworkPolicy/hnm-agent',
      'NetworkPolicy/hnm-default-deny', 'NetworkPolicy/hnm-watcher', 'ServiceAccount/hnm-agent', 'ServiceAccount/hnm-watcher',
    ]);
  });
});

describe('credentials', () => {
  const credentialSecrets = ['hnm-mysql-credentials', 'hnm-clickhouse-credentials', 'hnm-grafana-admin'];
  const generated = (objects: K8sObject[]) => ({
    mysql:      secretData(findObject(objects, 'Secret', 'hnm-mysql-credentials', STACK_NS))['root-password'],
    clickhouse: secretData(findObject(objects, 'Secret', 'hnm-clickhouse-credentials', STACK_NS)).password,
    grafana:    secretData(findObject(objects, 'Secret', 'hnm-grafana-admin', STACK_NS))['admin-password'],
  });

  it('generates every password: 32 random alphanumerics, different in every render', () => {
    const first = generated(objectsOf('defaults'));
    const second = generated(renderChart().objects);

    Object.entries(first).forEach(([what, value]) => {
      expect({ what, value }).toEqual({ what, value: expect.stringMatching(/^[A-Za-z0-9]{32}$/) });
      expect({ what, differs: value !== second[what as keyof typeof second] }).toEqual({ what, differs: true });
    });
    expect(new Set(Object.values(first)).size).toBe(3);
  });

  it('ships no password in values.yaml', () => {
    const values = readFileSync(path.join(MONITORING_CHART, 'values.yaml'), 'utf8');

    expect(values).not.toMatch(/password:\s*["']?[^"'\s#]+/i);
    expect(values).not.toMatch(/deepflow["']?\s*$/m);
  });

  it('uses passwords set in values instead of generating them', () => {
    const objects = renderChart({ values: { mysql: { auth: { rootPassword: 'mysql-password-0123456789' } }, grafana: { admin: { password: 'grafana-password-0123456789' } } } }).objects;

    expect(generated(objects).mysql).toBe('mysql-password-0123456789');
    expect(generated(objects).grafana).toBe('grafana-password-0123456789');
  });

  it('keeps the database credentials with the data on uninstall, unless asked not to', () => {
    const annotations = (name: 'defaults' | 'no-keep', secret: string) => findObject(objectsOf(name), 'Secret', secret, STACK_NS).metadata.annotations;

    expect(annotations('defaults', 'hnm-mysql-credentials')).toEqual({ 'helm.sh/resource-policy': 'keep' });
    expect(annotations('defaults', 'hnm-clickhouse-credentials')).toEqual({ 'helm.sh/resource-policy': 'keep' });
    expect(annotations('no-keep', 'hnm-mysql-credentials')).toBeUndefined();
  });

  it('renders no Secret for an existing one and points every consumer at it', () => {
    const objects = objectsOf('existing-secrets');
    const secretRefs = JSON.stringify(workloads(objects).map((w) => podSpec(w)));

    credentialSecrets.forEach((s) => expect({ s, rendered: hasObject(objects, 'Secret', s) }).toEqual({ s, rendered: false }));
    ['my-mysql', 'my-clickhouse', 'hnm-grafana-admin-custom'].forEach((s) => expect(secretRefs).toContain(`"${ s }"`));
    credentialSecrets.forEach((s) => expect(secretRefs).not.toContain(`"${ s }"`));
  });

  it.each(['defaults', 'server-3-replicas', 'ingress-tls'] as const)('%s: no password appears in a ConfigMap, an env value, an annotation or a label', (name) => {
    const objects = objectsOf(name);
    const passwords = Object.values(generated(objects));
    const leaks: string[] = [];

    objects.filter((o) => o.kind !== 'Secret').forEach((o) => {
      const text = JSON.stringify(o);

      passwords.forEach((p) => {
        if (text.includes(p)) {
          leaks.push(`${ objectRef(o) } contains a generated password`);
        }
      });
    });
    allContainers(objects).forEach((c) => (c.container.env || []).filter((e: any) => typeof e.value === 'string' && /passw/i.test(e.name) && !e.value.startsWith('/'))
      .forEach((e: any) => leaks.push(where(c, `env ${ e.name }`))));
    expectNoViolations(leaks);
  });

  it('passes credentials as files, except ClickHouse which can only read them from its environment', () => {
    const fromEnv = allContainers(objectsOf('defaults')).flatMap((c) => (c.container.env || [])
      .filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => `${ where(c) } ${ e.name }`));

    expect(fromEnv).toEqual([`StatefulSet ${ STACK_NS }/hnm-clickhouse spec.template.spec.containers[0] (clickhouse) CLICKHOUSE_PASSWORD`]);
  });

  it('renders server.yaml with placeholders that only the init container fills, in memory', () => {
    const objects = objectsOf('defaults');
    const serverYaml = findObject(objects, 'ConfigMap', 'hnm-server', STACK_NS).data['server.yaml'];
    const config = podSpec(findObject(objects, 'Deployment', 'hnm-server')).volumes.find((v: any) => v.name === 'config');

    expect(serverYaml).toContain('user-password: "__MYSQL_PASSWORD__"');
    expect(serverYaml.match(/__CLICKHOUSE_PASSWORD__/g)).toHaveLength(3);
    expect(config.emptyDir.medium).toBe('Memory');
  });
});

describe('RBAC', () => {
  const rulesOf = (objects: K8sObject[]) => [...findObjects(objects, 'ClusterRole'), ...findObjects(objects, 'Role')]
    .flatMap((role) => role.rules.map((rule: any, i: number) => ({ role: `${ objectRef(role) } rules[${ i }]`, rule })));

  it('uses no wildcards, never touches Secrets, and never grants escalate, bind or impersonate', () => {
    const violations: string[] = [];

    rulesOf(objectsOf('defaults')).forEach(({ role, rule }) => {
      ['apiGroups', 'resources', 'verbs', 'resourceNames'].forEach((f) => (rule[f] || []).includes('*') && violations.push(`${ role }.${ f } has *`));
      (rule.resources || []).includes('secrets') && violations.push(`${ role } grants secrets`);
      (rule.verbs || []).filter((v: string) => ['escalate', 'bind', 'impersonate'].includes(v)).forEach((v: string) => violations.push(`${ role } grants ${ v }`));
    });
    expectNoViolations(violations);
  });

  it('gives only the API watcher read-only cluster access to what DeepFlow watches, ConfigMaps excluded', () => {
    const objects = objectsOf('defaults');
    const role = findObject(objects, 'ClusterRole', 'hnm-harvester-network-monitoring-watcher-reader');
    const binding = findObject(objects, 'ClusterRoleBinding', 'hnm-harvester-network-monitoring-watcher-reader');

    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name });
    role.rules.forEach((r: any) => expect(r.verbs).toEqual(['get', 'list', 'watch']));
    expect(role.rules.flatMap((r: any) => r.resources).sort()).toEqual([
      'daemonsets', 'deployments', 'ingresses', 'namespaces', 'nodes', 'pods', 'replicasets', 'replicationcontrollers', 'services', 'statefulsets',
    ]);
    expect(findObjects(objects, 'ClusterRoleBinding').map((b) => b.subjects)).toEqual([[{ kind: 'ServiceAccount', name: 'hnm-watcher', namespace: AGENT_NS }]]);
    // Nothing binds the node agents' ServiceAccount.
    expect(JSON.stringify([...findObjects(objects, 'ClusterRoleBinding'), ...findObjects(objects, 'RoleBinding')])).not.toContain('"hnm-agent"');
  });

  it('limits the server to its own namespace: its Lease and the ClickHouse Endpoints', () => {
    const objects = objectsOf('defaults');
    const role = findObject(objects, 'Role', 'hnm-server', STACK_NS);

    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['hnm-server'], verbs: ['get', 'update', 'patch'] },
      { apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list', 'watch'] },
    ]);
    expect(findObjects(objects, 'RoleBinding').map((b) => b.subjects)).toEqual([[{ kind: 'ServiceAccount', name: 'hnm-server', namespace: STACK_NS }]]);
  });
});

describe('resources', () => {
  it.each(VARIANT_NAMES)('%s: every container has cpu, memory and ephemeral-storage requests and limits', (name) => {
    const violations = allContainers(objectsOf(name)).flatMap((c) => ['requests', 'limits'].flatMap((k) => ['cpu', 'memory', 'ephemeral-storage']
      .filter((r) => !c.container.resources?.[k]?.[r]).map((r) => where(c, `resources.${ k }.${ r }`))));

    expectNoViolations(violations);
  });

  it.each(['small', 'medium'] as const)('applies the %s presets the install wizard shows (PROFILES)', (profile) => {
    const objects = objectsOf(profile === 'small' ? 'defaults' : 'medium');
    // The wizard shows cpu and memory; ephemeral-storage always comes from the chart's preset.
    const resources = (kind: string, name: string, container = 0) => {
      const r = podSpec(findObject(objects, kind, name)).containers[container].resources;

      expect(r.requests['ephemeral-storage']).toMatch(/^\d+(Mi|Gi)$/);
      expect(r.limits['ephemeral-storage']).toMatch(/^\d+(Mi|Gi)$/);

      return { requests: { cpu: r.requests.cpu, memory: r.requests.memory }, limits: { cpu: r.limits.cpu, memory: r.limits.memory } };
    };

    expect(resources('DaemonSet', 'hnm-agent')).toEqual(PROFILES[profile].agent);
    expect(resources('Deployment', 'hnm-server')).toEqual(PROFILES[profile].server);
    expect(resources('StatefulSet', 'hnm-clickhouse')).toEqual(PROFILES[profile].clickhouse);
    expect(resources('StatefulSet', 'hnm-mysql')).toEqual(PROFILES[profile].mysql);
    expect(resources('Deployment', 'hnm-grafana')).toEqual(PROFILES[profile].grafana);
  });

  it('uses a component\'s own resources instead of the preset, keeping the preset\'s ephemeral-storage unless it is given', () => {
    const custom = { requests: { cpu: '300m', memory: '600Mi' }, limits: { cpu: '3', memory: '3Gi' } };
    const objects = renderChart({ values: { server: { resources: custom } } }).objects;

    expect(podSpec(findObject(objects, 'Deployment', 'hnm-server')).containers[0].resources).toEqual({
      requests: { ...custom.requests, 'ephemeral-storage': '256Mi' }, limits: { ...custom.limits, 'ephemeral-storage': '2Gi' },
    });
    const own = { requests: { ...custom.requests, 'ephemeral-storage': '1Gi' }, limits: { ...custom.limits, 'ephemeral-storage': '5Gi' } };

    expect(podSpec(findObject(renderChart({ values: { server: { resources: own } } }).objects, 'Deployment', 'hnm-server')).containers[0].resources).toEqual(own);
  });

  it('adds a PodDisruptionBudget keeping one server only when there is more than one', () => {
    expect(renderChart({ values: { server: { replicas: 1 } } }).objects.some((o) => o.kind === 'PodDisruptionBudget')).toBe(false);
    const pdb = findObject(renderChart({ values: { server: { replicas: 2 } } }).objects, 'PodDisruptionBudget', 'hnm-server');

    expect(pdb.spec).toEqual({
      minAvailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: expect.objectContaining({ 'app.kubernetes.io/component': 'server' }) },
    });
  });

  it('probes readiness and liveness differently where the software offers two signals', () => {
    const objects = objectsOf('defaults');
    const probes = (kind: string, name: string, container = 0) => {
      const c = podSpec(findObject(objects, kind, name)).containers[container];

      return [c.readinessProbe, c.livenessProbe].map((p: any) => JSON.stringify(p.httpGet?.path || p.tcpSocket?.port || p.exec?.command));
    };

    expect(probes('Deployment', 'hnm-server')).toEqual(['"/v1/health/"', '"controller"']);
    expect(probes('StatefulSet', 'hnm-clickhouse')).toEqual(['"/ping"', '"tcp"']);
    expect(probes('StatefulSet', 'hnm-mysql')[1]).toBe('"mysql"');
    expect(probes('StatefulSet', 'hnm-mysql')[0]).toContain('mysqladmin');
    expect(probes('Deployment', 'hnm-grafana')[0]).toContain('/api/health');
    expect(probes('Deployment', 'hnm-grafana')[1]).toContain('/healthz');
  });
});

describe('images', () => {
  it.each(VARIANT_NAMES)('%s: every image is pinned to a tag other than latest', (name) => {
    const violations = allContainers(objectsOf(name))
      .filter((c) => !/^[^:@\s]+(:\d+)?\/[^:@\s]+:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(c.container.image) || /:latest$/i.test(c.container.image))
      .map((c) => `${ where(c, 'image') } = ${ c.container.image }`);

    expectNoViolations(violations);
  });

  it('pulls every image from global.imageRegistry, with the pull secrets, when it is set', () => {
    const objects = objectsOf('external-registry');
    const violations = allContainers(objects).filter((c) => !c.container.image.startsWith('registry.example.com:5000/mirror/'))
      .map((c) => `${ where(c, 'image') } = ${ c.container.image }`);

    expectNoViolations(violations);
    workloads(objects).forEach((w) => expect({ w: objectRef(w), secrets: podSpec(w).imagePullSecrets }).toEqual({ w: objectRef(w), secrets: [{ name: 'regcred' }] }));
    expect(podSpec(findObject(objects, 'Deployment', 'hnm-server')).containers[0].image).toBe('registry.example.com:5000/mirror/deepflowce/deepflow-server:v7.1.8');
  });

  it('falls back to Rancher\'s system default registry', () => {
    allContainers(objectsOf('rancher-registry')).forEach((c) => expect(c.container.image).toMatch(/^rancher-registry\.example\.com\//));
  });

  it('uses each image\'s own registry by default', () => {
    const images = new Set(allContainers(objectsOf('defaults')).map((c) => c.container.image));

    expect([...images].sort()).toEqual([
      'docker.io/clickhouse/clickhouse-server:23.10.5.20',
      'docker.io/curlimages/curl:8.12.1',
      'docker.io/deepflowce/deepflow-agent:v7.1.8',
      'docker.io/deepflowce/deepflow-server:v7.1.8',
      'docker.io/deepflowce/deepflowio-init-grafana-ds-dh:v7.0.7',
      'docker.io/deepflowce/deepflowio-init-grafana:v7.1',
      'docker.io/grafana/grafana:10.4.18',
      'docker.io/library/mysql:8.0.39',
      'docker.io/rancher/mirrored-library-nginx:1.29.1-alpine',
    ]);
  });
});

describe('storage', () => {
  it('keeps data on standalone PVCs of the chosen StorageClass (never volumeClaimTemplates)', () => {
    const objects = objectsOf('storage-class');
    const pvcs = findObjects(objects, 'PersistentVolumeClaim');

    expect(pvcs.map((p) => [p.metadata.name, p.spec.storageClassName, p.spec.resources.requests.storage, p.metadata.annotations])).toEqual([
      ['hnm-clickhouse-data', 'longhorn-ssd', '20Gi', { 'helm.sh/resource-policy': 'keep' }],
      ['hnm-mysql-data', 'longhorn-ssd', '5Gi', { 'helm.sh/resource-policy': 'keep' }],
    ]);
    findObjects(objects, 'StatefulSet').forEach((s) => expect({ s: objectRef(s), vct: s.spec.volumeClaimTemplates }).toEqual({ s: objectRef(s), vct: undefined }));
  });

  it('leaves the StorageClass to the cluster default when none is set', () => {
    findObjects(objectsOf('defaults'), 'PersistentVolumeClaim').forEach((p) => expect(p.spec.storageClassName).toBeUndefined());
  });
});
