/**
 * The Kubernetes types the mock serves, with the names Steve gives them (`apps.deployment`,
 * `kubevirt.io.virtualmachine`, ...). Schemas, collection URLs and raw-API paths derive from these.
 */
import { JsonObject } from './http';

export interface TypeDef {
  /** Steve type id. */
  id: string;
  group: string;
  version: string;
  kind: string;
  /** Plural resource name of the Kubernetes API. */
  resource: string;
  namespaced: boolean;
}

const core = (kind: string, resource: string, namespaced: boolean): TypeDef => ({
  id: kind.toLowerCase(), group: '', version: 'v1', kind, resource, namespaced
});

const grouped = (group: string, version: string, kind: string, resource: string, namespaced: boolean): TypeDef => ({
  id: `${ group }.${ kind.toLowerCase() }`, group, version, kind, resource, namespaced
});

/** Types of the Harvester cluster (served under /k8s/clusters/<id>/v1/harvester and /v1). */
export const CLUSTER_TYPES: TypeDef[] = [
  core('Namespace', 'namespaces', false),
  core('Node', 'nodes', false),
  core('Pod', 'pods', true),
  core('Service', 'services', true),
  core('Secret', 'secrets', true),
  core('ConfigMap', 'configmaps', true),
  core('ServiceAccount', 'serviceaccounts', true),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', true),
  // Harvester's VM pages list every PV (harvester-ui-extension v1.7.3 mixins/harvester-vm/index.js fetch()).
  core('PersistentVolume', 'persistentvolumes', false),
  core('Event', 'events', true),
  grouped('apps', 'v1', 'DaemonSet', 'daemonsets', true),
  grouped('apps', 'v1', 'Deployment', 'deployments', true),
  grouped('apps', 'v1', 'StatefulSet', 'statefulsets', true),
  grouped('batch', 'v1', 'Job', 'jobs', true),
  grouped('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true),
  grouped('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true),
  grouped('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  grouped('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false),
  grouped('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  grouped('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  grouped('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  grouped('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  grouped('kubevirt.io', 'v1', 'VirtualMachine', 'virtualmachines', true),
  grouped('kubevirt.io', 'v1', 'VirtualMachineInstance', 'virtualmachineinstances', true),
  // Harvester's VM pages list these besides VMs (harvester-ui-extension v1.7.3 mixins/harvester-vm/index.js fetch(),
  // HCI types in types.ts); a list of a type without a schema fails the whole page's fetch.
  grouped('kubevirt.io', 'v1', 'VirtualMachineInstanceMigration', 'virtualmachineinstancemigrations', true),
  grouped('harvesterhci.io', 'v1beta1', 'VirtualMachineImage', 'virtualmachineimages', true),
  grouped('harvesterhci.io', 'v1beta1', 'VirtualMachineTemplate', 'virtualmachinetemplates', true),
  grouped('harvesterhci.io', 'v1beta1', 'VirtualMachineTemplateVersion', 'virtualmachinetemplateversions', true),
  // The mixin also reads Longhorn's `v2-data-engine` setting (longhorn.io/v1beta2 Setting).
  grouped('longhorn.io', 'v1beta2', 'Setting', 'settings', true),
  // Upgrades Harvester offers and runs; the dashboard's upgrade button lists both (components/HarvesterUpgrade.vue).
  grouped('harvesterhci.io', 'v1beta1', 'Version', 'versions', true),
  grouped('harvesterhci.io', 'v1beta1', 'Upgrade', 'upgrades', true),
  // VM backups and restores: the VM list and detail pages list them (list/kubevirt.io.virtualmachine.vue,
  // detail/kubevirt.io.virtualmachine/index.vue).
  grouped('harvesterhci.io', 'v1beta1', 'VirtualMachineBackup', 'virtualmachinebackups', true),
  grouped('harvesterhci.io', 'v1beta1', 'VirtualMachineRestore', 'virtualmachinerestores', true),
  grouped('k8s.cni.cncf.io', 'v1', 'NetworkAttachmentDefinition', 'network-attachment-definitions', true),
  // Harvester's network-controller: one VlanStatus per (VlanConfig, node), cluster-scoped.
  grouped('network.harvesterhci.io', 'v1beta1', 'VlanStatus', 'vlanstatuses', false),
  grouped('harvesterhci.io', 'v1beta1', 'Addon', 'addons', true),
  grouped('harvesterhci.io', 'v1beta1', 'Setting', 'settings', false),
  // SSH keys; Harvester's VM pages list them (harvester/harvester v1.7.3 pkg/apis/harvesterhci.io/v1beta1/keypair.go).
  grouped('harvesterhci.io', 'v1beta1', 'KeyPair', 'keypairs', true),
  grouped('helm.cattle.io', 'v1', 'HelmChart', 'helmcharts', true),
];

/** Types of Rancher's management Steve API (/v1). */
export const MANAGEMENT_TYPES: TypeDef[] = [
  grouped('management.cattle.io', 'v3', 'Cluster', 'clusters', false),
  grouped('management.cattle.io', 'v3', 'Setting', 'settings', false),
  grouped('management.cattle.io', 'v3', 'Feature', 'features', false),
  grouped('management.cattle.io', 'v3', 'Project', 'projects', true),
  grouped('management.cattle.io', 'v3', 'User', 'users', false),
  grouped('catalog.cattle.io', 'v1', 'App', 'apps', true),
  grouped('catalog.cattle.io', 'v1', 'ClusterRepo', 'clusterrepos', false),
  grouped('catalog.cattle.io', 'v1', 'UIPlugin', 'uiplugins', true),
  { id: 'userpreference', group: '', version: 'v1', kind: 'UserPreference', resource: 'userpreferences', namespaced: false },
  core('Namespace', 'namespaces', false),
];

export function apiVersionOf(def: TypeDef): string {
  return def.group ? `${ def.group }/${ def.version }` : def.version;
}

export function typeByKind(defs: TypeDef[], apiVersion: string | undefined, kind: string | undefined): TypeDef | undefined {
  return defs.find((d) => d.kind === kind && (!apiVersion || apiVersionOf(d) === apiVersion));
}

export function typeById(defs: TypeDef[], id: string): TypeDef {
  const def = defs.find((d) => d.id === id);

  if (!def) {
    throw new Error(`the sandbox serves no type ${ id }`);
  }

  return def;
}

/** An object together with the type it is served as. */
export interface TypedObject { type: TypeDef; object: JsonObject }
