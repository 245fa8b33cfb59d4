import { toRaw } from 'vue';
import { StoreLike } from '../../domain/stack/load';
import { FlowObjects, FlowObjectsLoad, loadFlowObjects } from '../../domain/flows/view/view-objects';

/**
 * The flow views' objects as a snapshot of the load, frozen, as the projections (pods, VMs, VMIs) are anyway. The
 * store's own lists (nodes, Services, namespaces, NADs, NetworkPolicies) are reactive and change in place: views
 * computing from them rebuilt their endpoint index and policy model whenever a watch event touched one of them
 * (~0.3 s of Traffic Flows' main thread at the scale benchmark's size; on a live cluster each kubelet rewrites its
 * node's status at least every 5 minutes, so with 100 nodes every few seconds). A view's refresh loads again.
 * Here and not in domain/, which stays free of Vue (the benchmarks run it as plain modules in Chromium).
 */
export async function loadFlowSnapshot(store: StoreLike): Promise<FlowObjectsLoad> {
  const { objects, problems } = await loadFlowObjects(store);
  const snapshot: Record<string, unknown> = {};

  for (const [field, list] of Object.entries(objects)) {
    // The raw array holds the raw objects (a reactive array stores them unwrapped): reading them tracks nothing.
    snapshot[field] = Array.isArray(list) ? toRaw(list).slice() : list;
  }

  return { objects: Object.freeze(snapshot as unknown as FlowObjects), problems };
}
