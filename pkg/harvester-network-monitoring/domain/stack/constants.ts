/**
 * Names shared by the extension and the monitoring chart it installs. The chart
 * (charts/harvester-network-monitoring-stack) renders objects with these names and labels;
 * the tests under tests/chart pin that agreement.
 */
export const STACK = {
  addonName:      'harvester-network-monitoring',
  chartName:      'harvester-network-monitoring-stack',
  stackNamespace: 'harvester-network-monitoring',
  agentNamespace: 'harvester-network-monitoring-agent',
  componentLabel: 'app.kubernetes.io/component',
  partOfLabel:    'app.kubernetes.io/part-of',
  partOfValue:    'harvester-network-monitoring',
} as const;

export type ComponentId = 'agent' | 'watcher' | 'server' | 'clickhouse' | 'mysql' | 'grafana';

export interface ComponentSpec {
  id: ComponentId;
  namespace: string;
}

/**
 * The workloads that make up a complete install, in display order. A component is found by its
 * component label in its namespace, whatever workload kind renders it.
 */
export const COMPONENTS: readonly ComponentSpec[] = [
  { id: 'agent', namespace: STACK.agentNamespace },
  // The one agent that reads the Kubernetes API (K8S_WATCH_POLICY=watch-only); the node agents hold no token.
  { id: 'watcher', namespace: STACK.agentNamespace },
  { id: 'server', namespace: STACK.stackNamespace },
  { id: 'clickhouse', namespace: STACK.stackNamespace },
  { id: 'mysql', namespace: STACK.stackNamespace },
  { id: 'grafana', namespace: STACK.stackNamespace },
];

/** Steve type names in the Harvester store. */
export const TYPES = {
  addon:                 'harvesterhci.io.addon',
  helmChart:             'helm.cattle.io.helmchart',
  vm:                    'kubevirt.io.virtualmachine',
  vmi:                   'kubevirt.io.virtualmachineinstance',
  daemonSet:             'apps.daemonset',
  deployment:            'apps.deployment',
  statefulSet:           'apps.statefulset',
  pod:                   'pod',
  node:                  'node',
  namespace:             'namespace',
  storageClass:          'storage.k8s.io.storageclass',
  event:                 'event',
  job:                   'batch.job',
  service:               'service',
  secret:                'secret',
  configMap:             'configmap',
  persistentVolumeClaim: 'persistentvolumeclaim',
  serviceAccount:        'serviceaccount',
  nad:                   'k8s.cni.cncf.io.networkattachmentdefinition',
  vlanStatus:            'network.harvesterhci.io.vlanstatus',
  ingress:               'networking.k8s.io.ingress',
  ingressClass:          'networking.k8s.io.ingressclass',
  networkPolicy:         'networking.k8s.io.networkpolicy',
  role:                  'rbac.authorization.k8s.io.role',
  roleBinding:           'rbac.authorization.k8s.io.rolebinding',
  clusterRole:           'rbac.authorization.k8s.io.clusterrole',
  clusterRoleBinding:    'rbac.authorization.k8s.io.clusterrolebinding',
  /** Rancher management store: the installed extension's app and its cluster repository. */
  app:                   'catalog.cattle.io.app',
  clusterRepo:           'catalog.cattle.io.clusterrepo',
  harvesterSetting:      'harvesterhci.io.setting',
} as const;

export const PRODUCT = 'harvester';
