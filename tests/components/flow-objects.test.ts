import { computed, isReactive, reactive } from 'vue';
import { loadFlowSnapshot } from '@pkg/components/flows/flow-objects';
import { TYPES } from '@pkg/domain/stack/constants';

describe('the flow views\' objects', () => {
  it('are a snapshot of the store\'s lists: a change in the store recomputes nothing computed from them', async() => {
    // The store's lists are reactive and change in place (a watch event, a reload).
    const storeNodes = reactive([{ metadata: { name: 'node-1' } }]);
    const store = {
      getters:  { 'harvester/schemaFor': (type: string) => ({ id: type }) },
      dispatch: (_action: string, payload: any) => Promise.resolve(payload.type === TYPES.node ? storeNodes : []),
    };
    const { objects, problems } = await loadFlowSnapshot(store);
    let runs = 0;
    const names = computed(() => {
      runs++;

      return (objects.nodes ?? []).map((n: any) => n.metadata.name);
    });

    expect(problems).toEqual([]);
    expect(Object.isFrozen(objects)).toBe(true);
    expect(isReactive(objects.nodes)).toBe(false);
    expect(names.value).toEqual(['node-1']);
    storeNodes.push({ metadata: { name: 'node-2' } });
    storeNodes[0].metadata.name = 'renamed';
    expect(names.value).toEqual(['node-1']);
    expect(runs).toBe(1);
  });
});
