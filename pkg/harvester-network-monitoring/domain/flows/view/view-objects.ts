/**
 * Loads the cluster objects the endpoint index needs (VMs, VMIs, pods, nodes, Services, NADs) and
 * the namespaces for the filter and the NetworkPolicies for the verdicts, through the Harvester
 * store. A type the user may not list is reported and skipped: flows then show addresses instead of
 * names for those objects (and verdicts say they cannot tell, without NetworkPolicies).
 */
import { TYPES } from '../../stack/constants';
import { LoadProblem, StoreLike, listTypes } from '../../stack/load';
import { ClusterObjects, LAUNCHER_VM_LABEL } from '../enrichment/enrich';
import { meta } from '../enrichment/objects';
import { isRecord } from '../../guards';

type ObjectsField = keyof ClusterObjects | 'namespaces' | 'networkPolicies';

const OBJECT_META = ['metadata.name', 'metadata.namespace', 'metadata.labels', 'metadata.creationTimestamp', 'metadata.deletionTimestamp', 'metadata.ownerReferences'];

/**
 * What the flow views read of the types a cluster has thousands of (enrichment/enrich.ts, workloads.ts,
 * vm-networks.ts, policy/policy-world.ts through security/objects.ts): the rest of each object (status
 * conditions, container statuses, annotations, volumes, affinity and tolerations of a pod, volumes of a VM) is not
 * fetched.
 * A pod's containers whole: their ports sit in an array, which a projection cannot reach into.
 */
const POD_SPEC = ['nodeName', 'hostNetwork', 'serviceAccountName', 'serviceAccount', 'containers', 'initContainers', 'ephemeralContainers'].map((f) => `spec.${ f }`);

export const FLOW_FIELDS = {
  pod: [...OBJECT_META, ...POD_SPEC, 'status.phase', 'status.podIP', 'status.podIPs'],
  vm:  [...OBJECT_META, 'spec.template.spec.networks'],
  vmi: [...OBJECT_META, 'spec.networks', 'status.nodeName', 'status.phase', 'status.interfaces'],
} as const;

const SOURCES: { field: ObjectsField; type: string; fields?: readonly string[] }[] = [
  { field: 'vms', type: TYPES.vm, fields: FLOW_FIELDS.vm },
  { field: 'vmis', type: TYPES.vmi, fields: FLOW_FIELDS.vmi },
  { field: 'pods', type: TYPES.pod, fields: FLOW_FIELDS.pod },
  { field: 'nodes', type: TYPES.node },
  { field: 'services', type: TYPES.service },
  { field: 'networkAttachmentDefinitions', type: TYPES.nad },
  { field: 'namespaces', type: TYPES.namespace },
  // For the flows' NetworkPolicy verdicts (domain/policy); unreadable, verdicts say they cannot tell.
  { field: 'networkPolicies', type: TYPES.networkPolicy },
];

export interface FlowObjects extends ClusterObjects {
  namespaces: unknown[];
  networkPolicies?: unknown[];
}

export interface FlowObjectsLoad {
  objects: FlowObjects;
  /** Types that could not be listed; names of such objects stay unresolved. */
  problems: LoadProblem[];
}

/** Lists every source type in parallel; never rejects. */
export async function loadFlowObjects(store: StoreLike, inStore = 'harvester'): Promise<FlowObjectsLoad> {
  const { lists, problems } = await listTypes(store, inStore, SOURCES);
  const objects: FlowObjects = { namespaces: [] };

  for (const { field, type } of SOURCES) {
    const listed = lists.get(type);

    if (listed) {
      objects[field] = listed;
    }
  }

  return { objects, problems };
}

/**
 * What a VM's flows are looked up by (view-peers.ts vmSubject): its VMI, which KubeVirt names after the VM, and
 * its virt-launcher pods (label vm.kubevirt.io/name), read on their own so the VM tab's queries start before
 * the cluster-wide lists that name the peers arrive. Never rejects: what cannot be read is left out, as the
 * cluster-wide lists would leave it out.
 */
export async function loadVmSubjectObjects(store: StoreLike, namespace: string, name: string, inStore = 'harvester'): Promise<ClusterObjects> {
  const selector = `${ LAUNCHER_VM_LABEL }=${ name }`;
  const vmi = store.dispatch(`${ inStore }/find`, { type: TYPES.vmi, id: `${ namespace }/${ name }`, opt: { watch: false } })
    .catch(() => undefined);
  // The shell puts labelSelector into the URL as it is: the name comes from the route, so it is encoded.
  const { lists } = await listTypes(store, inStore, [{
    type:     TYPES.pod,
    optional: true,
    opt:      {
      namespaced: namespace, labelSelector: encodeURIComponent(selector), load: false, watch: false
    }
  }]);
  // A store that holds every pod already answers with all of them.
  const pods = (lists.get(TYPES.pod) ?? []).filter((p) => {
    const m = meta(p);

    return m.namespace === namespace && m.labels[LAUNCHER_VM_LABEL] === name;
  });
  const found = await vmi;

  return { vmis: isRecord(found) ? [found] : [], pods };
}

/** Sorted, de-duplicated namespace names (from Namespace objects, or from the objects' namespaces as a fallback). */
export function namespaceNames(objects: FlowObjects): string[] {
  const names = new Set<string>();

  for (const ns of objects.namespaces) {
    const name = meta(ns).name;

    if (name) {
      names.add(name);
    }
  }
  if (names.size === 0) {
    for (const list of [objects.vms, objects.pods, objects.services]) {
      for (const o of list ?? []) {
        const ns = meta(o).namespace;

        if (ns) {
          names.add(ns);
        }
      }
    }
  }

  return [...names].sort();
}

export interface VmName {
  namespace: string;
  name: string;
}

/** VMs (by their VirtualMachine objects, else their instances) in `namespace`, or everywhere when ''. */
export function vmNames(objects: FlowObjects, namespace = ''): VmName[] {
  const seen = new Map<string, VmName>();

  for (const o of [...(objects.vms ?? []), ...(objects.vmis ?? [])]) {
    const m = meta(o);

    if (isRecord(o) && m.name && m.namespace && (!namespace || m.namespace === namespace)) {
      seen.set(`${ m.namespace }/${ m.name }`, { namespace: m.namespace, name: m.name });
    }
  }

  return [...seen.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
