import { Json, namespace, psaLabels } from './helpers';

/**
 * Object sets for the review tests. `seedObjects` is the original design (seeds/000) rendered with
 * its mistakes; `goodObjects` is the corrected layout the chart aims for.
 */

export const NODE_CIDRS = ['192.168.10.11/32', '192.168.10.12/32', '192.168.10.13/32'];

export function seedObjects(): Json[] {
  const ns = 'deepflow';

  return [
    namespace(ns, { ...psaLabels('privileged'), 'pod-security.kubernetes.io/enforce-version': 'latest' }),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deepflow-server-sa', namespace: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'deepflow-agent-sa', namespace: ns } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind:       'ClusterRole',
      metadata:   { name: 'deepflow-server-role' },
      rules:      [
        { apiGroups: [''], resources: ['pods', 'namespaces', 'nodes', 'services', 'endpoints'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['deployments', 'daemonsets', 'statefulsets', 'replicasets'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind:       'ClusterRoleBinding',
      metadata:   { name: 'deepflow-server-rb' },
      subjects:   [{ kind: 'ServiceAccount', name: 'deepflow-server-sa', namespace: ns }],
      roleRef:    { kind: 'ClusterRole', name: 'deepflow-server-role', apiGroup: 'rbac.authorization.k8s.io' },
    },
    {
      apiVersion: 'apps/v1',
      kind:       'DaemonSet',
      metadata:   {
        name: 'deepflow-agent', namespace: ns, labels: { app: 'deepflow-agent', 'app.kubernetes.io/component': 'agent' }
      },
      spec: {
        selector: { matchLabels: { app: 'deepflow-agent' } },
        template: {
          metadata: { labels: { app: 'deepflow-agent' } },
          spec:     {
            serviceAccountName: 'deepflow-agent-sa',
            hostNetwork:        true,
            hostPID:            true,
            securityContext:    { runAsUser: 0, runAsGroup: 0 },
            containers:         [{
              name:            'agent',
              image:           'deepflowce/deepflow-agent:latest',
              securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN', 'SYS_PTRACE', 'NET_ADMIN'] } },
              volumeMounts:    [{ name: 'sysfs', mountPath: '/host/sys', readOnly: true }, { name: 'bpffs', mountPath: '/sys/fs/bpf' }],
            }],
            volumes: [{ name: 'sysfs', hostPath: { path: '/sys' } }, { name: 'bpffs', hostPath: { path: '/sys/fs/bpf', type: 'DirectoryOrCreate' } }],
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind:       'StatefulSet',
      metadata:   { name: 'harvester-netmon-server', namespace: ns, labels: { app: 'deepflow-server' } },
      spec:       {
        selector: { matchLabels: { app: 'deepflow-server' } },
        template: {
          metadata: { labels: { app: 'deepflow-server' } },
          spec:     {
            serviceAccountName: 'deepflow-server-sa',
            securityContext:    { fsGroup: 2000 },
            containers:         [{
              name:      'server',
              image:     'deepflowce/deepflow-server:v6.6',
              ports:     [{ containerPort: 20033, name: 'data-port' }, { containerPort: 20416, name: 'api-port' }, { containerPort: 4317, name: 'otel-port' }],
              env:       [{ name: 'MYSQL_USER', value: 'root' }, { name: 'MYSQL_PASSWORD', value: 'deepflow' }, { name: 'CLICKHOUSE_HOST', value: 'harvester-netmon-clickhouse' }],
              resources: {},
            }],
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind:       'Deployment',
      metadata:   { name: 'harvester-netmon-grafana', namespace: ns, labels: { app: 'deepflow-grafana' } },
      spec:       {
        selector: { matchLabels: { app: 'deepflow-grafana' } },
        template: {
          metadata: { labels: { app: 'deepflow-grafana' } },
          spec:     {
            containers: [{
              name:  'grafana',
              image: 'grafana/grafana',
              env:   [{ name: 'GF_SECURITY_ADMIN_USER', value: 'admin' }, { name: 'GF_SECURITY_ADMIN_PASSWORD', value: 'deepflow' }],
              ports: [{ containerPort: 3000, name: 'http' }],
            }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind:       'Service',
      metadata:   { name: 'deepflow-grafana', namespace: ns },
      spec:       { type: 'NodePort', selector: { app: 'deepflow-grafana' }, ports: [{ port: 80, targetPort: 3000 }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind:       'NetworkPolicy',
      metadata:   { name: 'np-deepflow-server', namespace: ns },
      spec:       {
        podSelector: { matchLabels: { app: 'deepflow-server' } },
        policyTypes: ['Ingress'],
        ingress:     [{
          from: [
            { podSelector: { matchLabels: { app: 'deepflow-agent' } } },
            { podSelector: { matchLabels: { app: 'deepflow-grafana' } } },
            { podSelector: { matchLabels: { app: 'deepflow-server' } } },
          ],
          ports: [{ protocol: 'TCP', port: 20033 }, { protocol: 'TCP', port: 20416 }],
        }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind:       'NetworkPolicy',
      metadata:   { name: 'np-deepflow-datastores', namespace: ns },
      spec:       {
        podSelector: { matchLabels: { app: 'deepflow-mysql' } },
        policyTypes: ['Ingress'],
        ingress:     [{ from: [{ podSelector: { matchLabels: { app: 'deepflow-server' } } }], ports: [{ protocol: 'TCP', port: 3306 }] }],
      },
    },
  ];
}

/** The corrected layout: the agent alone in a privileged namespace, everything else restricted, ipBlocks for node traffic. */
export function goodObjects(): Json[] {
  const stack = 'harvester-network-monitoring';
  const agentNs = 'harvester-network-monitoring-agent';
  const restrictedContainer = (name: string, image: string, ports: Json[] = []) => ({
    name,
    image,
    ports,
    resources:       { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  });
  const restrictedPod = { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } };
  const nodeBlocks = NODE_CIDRS.map((cidr) => ({ ipBlock: { cidr } }));

  return [
    namespace(stack, psaLabels('restricted', 'restricted', 'restricted')),
    namespace(agentNs, psaLabels('privileged', 'baseline')),
    {
      apiVersion: 'apps/v1',
      kind:       'DaemonSet',
      metadata:   { name: 'agent', namespace: agentNs, labels: { 'app.kubernetes.io/component': 'agent' } },
      spec:       {
        selector: { matchLabels: { 'app.kubernetes.io/component': 'agent' } },
        template: {
          metadata: {
            labels:      { 'app.kubernetes.io/component': 'agent' },
            annotations: { 'container.apparmor.security.beta.kubernetes.io/agent': 'unconfined' },
          },
          spec: {
            hostNetwork: true,
            hostPID:     true,
            dnsPolicy:   'ClusterFirstWithHostNet',
            containers:  [{
              name:            'agent',
              image:           'deepflowce/deepflow-agent:v7.1.0',
              resources:       { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '768Mi' } },
              securityContext: { capabilities: { add: ['SYS_ADMIN', 'SYS_RESOURCE', 'SYS_PTRACE', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYSLOG'] } },
              volumeMounts:    [{ name: 'debugfs', mountPath: '/sys/kernel/debug', readOnly: true }],
            }],
            volumes: [{ name: 'debugfs', hostPath: { path: '/sys/kernel/debug' } }],
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind:       'StatefulSet',
      metadata:   { name: 'server', namespace: stack },
      spec:       {
        selector: { matchLabels: { 'app.kubernetes.io/component': 'server' } },
        template: {
          metadata: { labels: { 'app.kubernetes.io/component': 'server' } },
          spec:     {
            securityContext: restrictedPod,
            containers:      [restrictedContainer('server', 'deepflowce/deepflow-server:v7.1.0', [
              { containerPort: 20035, name: 'grpc' }, { containerPort: 20033, name: 'ingester' }, { containerPort: 20416, name: 'querier' },
            ])],
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind:       'Deployment',
      metadata:   { name: 'grafana', namespace: stack },
      spec:       {
        selector: { matchLabels: { 'app.kubernetes.io/component': 'grafana' } },
        template: {
          metadata: { labels: { 'app.kubernetes.io/component': 'grafana' } },
          spec:     { securityContext: restrictedPod, containers: [restrictedContainer('grafana', 'grafana/grafana:11.4.0', [{ containerPort: 3000, name: 'http' }])] },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'grafana', namespace: stack }, spec: { selector: { 'app.kubernetes.io/component': 'grafana' }, ports: [{ port: 80, targetPort: 'http' }] }
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind:       'NetworkPolicy',
      metadata:   { name: 'default-deny', namespace: stack },
      spec:       {
        podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }]
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind:       'NetworkPolicy',
      metadata:   { name: 'deny-ingress', namespace: stack },
      spec:       { podSelector: {}, policyTypes: ['Ingress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind:       'NetworkPolicy',
      metadata:   { name: 'server-ingress', namespace: stack },
      spec:       {
        podSelector: { matchLabels: { 'app.kubernetes.io/component': 'server' } },
        ingress:     [
          { from: nodeBlocks, ports: [{ port: 20035 }, { port: 20033 }, { port: 'querier' }] },
          { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/component': 'grafana' } } }], ports: [{ port: 20416 }] },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind:       'NetworkPolicy',
      metadata:   { name: 'grafana-ingress', namespace: stack },
      spec:       { podSelector: { matchLabels: { 'app.kubernetes.io/component': 'grafana' } }, ingress: [{ from: nodeBlocks, ports: [{ port: 'http' }] }] },
    },
  ];
}
