import { loadStackObjects, collectStackObjects, StoreLike } from '@pkg/domain/stack/load';
import { classifyApiError } from '@pkg/domain/stack/errors';
import { STACK, TYPES } from '@pkg/domain/stack/constants';
import { healthyWorkloads, addon, workload } from '../../fixtures/stack/objects';

function fakeStore(opts: { schemas?: string[]; fail?: Record<string, unknown> } = {}) {
  const calls: { action: string; payload: any }[] = [];
  const store: StoreLike = {
    getters: { 'harvester/schemaFor': (type: string) => (!opts.schemas || opts.schemas.includes(type) ? { id: type } : undefined) },
    dispatch(action: string, payload: any) {
      calls.push({ action, payload });
      const failure = opts.fail?.[payload.type];

      return failure ? Promise.reject(failure) : Promise.resolve([]);
    },
  };

  return { store, calls };
}

describe('loadStackObjects', () => {
  it('lists the stack\'s types once, cluster-wide, so the shared cache keeps every namespace and live updates are kept', async() => {
    const { store, calls } = fakeStore();

    expect(await loadStackObjects(store)).toEqual([]);
    const own = calls.filter((c) => c.payload.type !== TYPES.pod && c.payload.type !== TYPES.event);

    expect(own.length).toBeGreaterThan(5);
    expect(own.map((c) => c.payload)).toEqual(expect.arrayContaining([{ type: TYPES.addon }, { type: TYPES.daemonSet }, { type: TYPES.node }]));
    expect(own.every((c) => c.action === 'harvester/findAll' && c.payload.opt === undefined)).toBe(true);
    expect(new Set(own.map((c) => c.payload.type)).size).toBe(own.length);
  });

  it('adds only the stack namespaces\' pods and events to the store, without replacing its cache of them', async() => {
    const { store, calls } = fakeStore();

    await loadStackObjects(store);
    for (const type of [TYPES.pod, TYPES.event]) {
      expect(calls.filter((c) => c.action === 'harvester/findAll' && c.payload.type === type).map((c) => c.payload.opt)).toEqual([STACK.stackNamespace, STACK.agentNamespace].map((namespace) => ({
        namespaced: namespace, load: 'multi', watch: false
      })));
    }
  });

  it('watches them with one watch per type, never per namespace (the shell keeps one namespace\'s watch of a type)', async() => {
    const { store, calls } = fakeStore();

    await loadStackObjects(store);
    expect(calls.filter((c) => c.action === 'harvester/watch').map((c) => c.payload)).toEqual([
      // Every pod of the chart carries this label (templates/_helpers.tpl).
      { type: TYPES.pod, selector: 'app.kubernetes.io/part-of=harvester-network-monitoring' },
      { type: TYPES.event },
    ]);
  });

  it('watches no type the user may not list', async() => {
    const { store, calls } = fakeStore({ schemas: [TYPES.daemonSet, TYPES.deployment, TYPES.statefulSet, TYPES.node, TYPES.pod] });

    await loadStackObjects(store);
    expect(calls.filter((c) => c.action === 'harvester/watch').map((c) => c.payload.type)).toEqual([TYPES.pod]);
  });

  it('leaves out the cluster\'s pods and events for a page that shows no install progress', async() => {
    const { store, calls } = fakeStore();

    await loadStackObjects(store, 'harvester', { activity: false });
    expect(calls.map((c) => c.payload.type)).toEqual(expect.arrayContaining([TYPES.addon, TYPES.daemonSet, TYPES.node]));
    expect(calls.map((c) => c.payload.type)).not.toContain(TYPES.pod);
    expect(calls.map((c) => c.payload.type)).not.toContain(TYPES.event);
    expect(calls.map((c) => c.action)).not.toContain('harvester/watch');
  });

  it('leaves out the nodes for a page that lists them with its own objects', async() => {
    const { store, calls } = fakeStore();

    await loadStackObjects(store, 'harvester', { activity: false, nodes: false });
    expect(calls.map((c) => c.payload.type)).toEqual(expect.arrayContaining([TYPES.addon, TYPES.helmChart, TYPES.daemonSet, TYPES.deployment, TYPES.statefulSet]));
    expect(calls.map((c) => c.payload.type)).not.toContain(TYPES.node);
  });

  it('reports a missing workload schema as a permission problem but tolerates a missing Addon type', async() => {
    const { store, calls } = fakeStore({ schemas: [TYPES.deployment, TYPES.statefulSet, TYPES.node] });
    const problems = await loadStackObjects(store);

    expect(problems).toEqual([{ type: TYPES.daemonSet, namespace: STACK.agentNamespace, error: { kind: 'forbidden', detail: '' } }]);
    expect(calls.map((c) => c.payload.type)).not.toContain(TYPES.addon);
  });

  it('collects request failures per resource instead of throwing', async() => {
    const { store } = fakeStore({ fail: { [TYPES.deployment]: { _status: 403, message: 'deployments.apps is forbidden' }, [TYPES.node]: new Error('Network Error') } });
    const problems = await loadStackObjects(store);

    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.type === TYPES.deployment)?.error).toEqual({ kind: 'forbidden', status: 403, detail: 'deployments.apps is forbidden' });
    expect(problems.find((p) => p.type === TYPES.node)?.error.kind).toBe('unavailable');
  });
});

describe('collectStackObjects', () => {
  it('picks our Addon and workloads by namespace from the cache', () => {
    const foreign = { ...addon('AddonDeploySuccessful'), metadata: { name: 'rancher-monitoring', namespace: 'cattle-monitoring-system' } };
    const cache: Record<string, unknown[]> = {
      [TYPES.addon]:       [foreign, addon('AddonDeploySuccessful')],
      [TYPES.daemonSet]:   healthyWorkloads().filter((w) => w.kind === 'DaemonSet'),
      [TYPES.deployment]:  [...healthyWorkloads().filter((w) => w.kind === 'Deployment'), workload('Deployment', 'grafana', 1, 1, undefined, 'cattle-monitoring-system')],
      [TYPES.statefulSet]: healthyWorkloads().filter((w) => w.kind === 'StatefulSet'),
      [TYPES.node]:        [{ metadata: { name: 'n1' } }],
    };
    const objects = collectStackObjects((type) => cache[type] || []);

    expect(objects.addon?.metadata?.name).toBe(STACK.addonName);
    // The watcher Deployment lives in the agent namespace; Rancher's own Grafana elsewhere is not ours.
    expect(objects.workloads.map((w) => `${ w.metadata?.namespace }/${ w.metadata?.name }`).sort()).toEqual([
      'harvester-network-monitoring-agent/hnm-agent', 'harvester-network-monitoring-agent/hnm-watcher', 'harvester-network-monitoring/hnm-clickhouse',
      'harvester-network-monitoring/hnm-grafana', 'harvester-network-monitoring/hnm-mysql', 'harvester-network-monitoring/hnm-server',
    ]);
    expect(objects.nodes).toHaveLength(1);
  });

  it('tolerates a cache that returns nothing useful', () => {
    const objects = collectStackObjects(() => undefined as any);

    expect(objects).toEqual({
      addon: null, helmChart: null, workloads: [], nodes: [], pods: [], events: []
    });
  });
});

describe('classifyApiError', () => {
  it.each([
    [{ _status: 401, message: 'Unauthorized' }, 'forbidden', 401],
    [{ status: 403, message: 'nope' }, 'forbidden', 403],
    [{ response: { status: 404, data: { message: 'not found' } } }, 'not-found', 404],
    [{ _status: 503 }, 'unavailable', 503],
    [{ _status: 409, message: 'conflict' }, 'unknown', 409],
    ['plain string', 'unavailable', undefined],
    [null, 'unavailable', undefined],
  ])('classifies %j', (err, kind, status) => {
    const result = classifyApiError(err);

    expect(result.kind).toBe(kind);
    expect(result.status).toBe(status);
  });

  it('bounds the detail length', () => {
    expect(classifyApiError({ status: 500, message: 'x'.repeat(10000) }).detail).toHaveLength(500);
  });
});
