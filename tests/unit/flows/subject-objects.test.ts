/**
 * The VM and pod Network tabs find their subject from its own objects (the VMI and the virt-launcher pods; the
 * pod), so their queries start before the cluster-wide lists arrive. The subject found that way must equal the
 * subject found in the index of every object, for every VM and pod of the sandbox seed.
 */
import { buildEndpointIndex } from '@pkg/domain/flows/enrichment/enrich';
import { loadVmSubjectObjects } from '@pkg/domain/flows/view/view-objects';
import { podSubject, vmSubject } from '@pkg/domain/flows/view/view-peers';
import { TYPES } from '@pkg/domain/stack/constants';
import { buildCluster } from '../../../sandbox/backend/seed/cluster';

const seed = buildCluster();
const list = (type: string) => seed.objects[type] || [];
const whole = buildEndpointIndex({
  vms: list(TYPES.vm), vmis: list(TYPES.vmi), pods: list(TYPES.pod), nodes: list(TYPES.node), services: list(TYPES.service), networkAttachmentDefinitions: list(TYPES.nad),
});
const nameOf = (o: any) => ({ namespace: o.metadata.namespace as string, name: o.metadata.name as string });

/** A store that, like one holding every pod already, answers a labelSelector read with the whole list. */
function seedStore(options: { vmiForbidden?: boolean } = {}) {
  const dispatched: { action: string; payload: any }[] = [];

  return {
    dispatched,
    getters:  { 'harvester/schemaFor': () => ({ links: { collection: '/v1/x' } }) },
    dispatch: (action: string, payload: any) => {
      dispatched.push({ action, payload });
      if (action === 'harvester/find') {
        const found = list(payload.type).find((o: any) => `${ o.metadata.namespace }/${ o.metadata.name }` === payload.id);

        return found && !options.vmiForbidden ? Promise.resolve(found) : Promise.reject({ _status: options.vmiForbidden ? 403 : 404 });
      }

      return Promise.resolve({ data: list(payload.type) });
    },
  };
}

describe('a Network tab subject from its own objects', () => {
  const vms = list(TYPES.vm).map(nameOf);

  it('is the subject of the whole index for every VM of the seed', async() => {
    expect(vms.length).toBeGreaterThan(3);
    for (const { namespace, name } of vms) {
      const own = await loadVmSubjectObjects(seedStore(), namespace, name);

      expect(vmSubject(buildEndpointIndex(own), namespace, name)).toEqual(vmSubject(whole, namespace, name));
    }
    // Some of them run (addresses and a launcher pod): the comparison is not between two empty answers.
    expect(vms.filter(({ namespace, name }) => vmSubject(whole, namespace, name).ok).length).toBeGreaterThan(3);
  });

  it('is the subject of the whole index for every pod of the seed', () => {
    const pods = list(TYPES.pod);

    expect(pods.length).toBeGreaterThan(20);
    for (const pod of pods) {
      expect(podSubject(buildEndpointIndex({ pods: [pod] }), pod)).toEqual(podSubject(whole, pod));
    }
  });

  it('reads the VMI by name and the launcher pods by an encoded label selector in the VM\'s namespace, past the store', async() => {
    const store = seedStore();

    await loadVmSubjectObjects(store, 'vms', 'a&b=c');
    expect(store.dispatched).toContainEqual({ action: 'harvester/find', payload: { type: TYPES.vmi, id: 'vms/a&b=c', opt: { watch: false } } });
    expect(store.dispatched).toContainEqual({
      action:  'harvester/findAll',
      payload: {
        type: TYPES.pod,
        opt:  {
          namespaced: 'vms', labelSelector: 'vm.kubevirt.io%2Fname%3Da%26b%3Dc', load: false, watch: false
        }
      }
    });
  });

  it('keeps the launcher pods when the VMI cannot be read', async() => {
    const running = vms.find(({ namespace, name }) => whole.vm(namespace, name)?.launcherPod);
    const own = await loadVmSubjectObjects(seedStore({ vmiForbidden: true }), running!.namespace, running!.name);

    expect(own.vmis).toEqual([]);
    expect(own.pods?.length).toBeGreaterThan(0);
  });
});
