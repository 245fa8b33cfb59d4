import {
  installStack, upgradeStack, setStackEnabled, uninstallStack, LifecycleError, lifecycleFailure
} from '@pkg/domain/stack/lifecycle';
import { StoreLike } from '@pkg/domain/stack/load';
import { TYPES } from '@pkg/domain/stack/constants';

interface Saved { type: string; body: any }

function fakeCluster(opts: { namespaceExists?: boolean; addon?: any; failOn?: Record<string, unknown>; claims?: any[] } = {}) {
  const saved: Saved[] = [];
  const removed: string[] = [];
  // The model the code under test last found or created: its spec (edited in place) is what a save writes.
  let m: any;
  const model = (type: string, body: any) => ({
    ...body,
    save:   async() => {
      if (opts.failOn?.[`save:${ type }`]) {
        throw opts.failOn[`save:${ type }`];
      }
      saved.push({ type, body: JSON.parse(JSON.stringify({ ...body, spec: (m as any).spec })) });
    },
    remove: async() => {
      removed.push(`${ type }/${ body.metadata?.name }`);
    },
  });
  const store: StoreLike = {
    getters: {},
    async dispatch(action: string, payload: any) {
      if (action === 'harvester/find') {
        if (payload.type === TYPES.namespace && opts.namespaceExists) {
          return model(TYPES.namespace, { metadata: { name: 'harvester-network-monitoring' } });
        }
        if (payload.type === TYPES.addon && opts.addon) {
          m = model(TYPES.addon, opts.addon);

          return m;
        }
        throw { _status: 404, message: 'not found' };
      }
      if (action === 'harvester/create') {
        const { type, ...body } = payload;

        m = model(type, body);

        return m;
      }
      if (action === 'harvester/findAll') {
        return (opts.claims || []).map((c) => model('persistentvolumeclaim', c));
      }
      throw new Error(`unexpected ${ action }`);
    },
  };

  return { store, saved, removed };
}

const input = { repo: 'https://charts.example.com/', version: '0.1.0', valuesContent: 'grafana:\n  anonymous: true\n' };

describe('installStack', () => {
  it('creates the labelled namespace, then the Addon', async() => {
    const { store, saved } = fakeCluster();

    await installStack(store, input);
    expect(saved.map((s) => s.type)).toEqual([TYPES.namespace, TYPES.addon]);
    expect(saved[0].body.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(saved[1].body.spec).toEqual({
      repo: input.repo, chart: 'harvester-network-monitoring-stack', version: '0.1.0', enabled: true, valuesContent: input.valuesContent
    });
  });

  it('installs the bundled chart as a HelmChart for air-gapped clusters', async() => {
    const { store, saved } = fakeCluster();

    await installStack(store, input, undefined, 'bundled');
    expect(saved.map((s) => s.type)).toEqual([TYPES.namespace, 'helm.cattle.io.helmchart']);
    expect(saved[1].body.spec.targetNamespace).toBe('harvester-network-monitoring');
    expect(saved[1].body.spec.valuesContent).toBe(input.valuesContent);
    expect(Buffer.from(saved[1].body.spec.chartContent, 'base64').subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('reuses an existing namespace', async() => {
    const { store, saved } = fakeCluster({ namespaceExists: true });

    await installStack(store, input);
    expect(saved.map((s) => s.type)).toEqual([TYPES.addon]);
  });

  it('names the step and the API error when the Addon is forbidden', async() => {
    const { store } = fakeCluster({ failOn: { [`save:${ TYPES.addon }`]: { _status: 403, message: 'addons.harvesterhci.io is forbidden' } } });
    const err = await installStack(store, input).catch((e) => e);

    expect(err).toBeInstanceOf(LifecycleError);
    expect(err.step).toBe('addon');
    expect(err.api).toEqual({ kind: 'forbidden', status: 403, detail: 'addons.harvesterhci.io is forbidden' });
  });

  it('stops before the Addon when the namespace cannot be created', async() => {
    const { store, saved } = fakeCluster({ failOn: { [`save:${ TYPES.namespace }`]: { _status: 500, message: 'etcd' } } });
    const err = await installStack(store, input).catch((e) => e);

    expect(err.step).toBe('namespace');
    expect(saved).toEqual([]);
  });
});

describe('lifecycle of an installed stack', () => {
  const addon = {
    metadata: { name: 'harvester-network-monitoring' },
    spec:     {
      repo: 'old', chart: 'harvester-network-monitoring-stack', version: '0.0.9', enabled: true, valuesContent: ''
    }
  };

  it('upgrades by editing the Addon, keeping the chart', async() => {
    const { store, saved } = fakeCluster({ addon });

    await upgradeStack(store, input);
    expect(saved[0].body.spec).toEqual({ ...addon.spec, ...input });
  });

  it('disables an enabled Addon, keeping its chart and values', async() => {
    const { store, saved } = fakeCluster({ addon });

    await setStackEnabled(store, false);
    expect(saved[0].body.spec).toEqual({ ...addon.spec, enabled: false });
  });

  it('enables a disabled Addon, keeping its chart and values', async() => {
    const { store, saved } = fakeCluster({ addon: { ...addon, spec: { ...addon.spec, enabled: false } } });

    await setStackEnabled(store, true);
    expect(saved[0].body.spec).toEqual({ ...addon.spec, enabled: true });
  });

  it('reports a missing Addon as not found', async() => {
    const { store } = fakeCluster();

    await expect(setStackEnabled(store, true)).rejects.toMatchObject({ step: 'addon', api: { kind: 'not-found' } });
  });

  it('uninstalls and keeps data unless asked', async() => {
    const claims = [
      { metadata: { name: 'data-clickhouse-0', labels: { 'app.kubernetes.io/part-of': 'harvester-network-monitoring' } } },
      { metadata: { name: 'someone-elses', labels: {} } },
    ];
    const keep = fakeCluster({ addon, claims });

    await uninstallStack(keep.store, false);
    expect(keep.removed).toEqual([`${ TYPES.addon }/harvester-network-monitoring`]);

    const wipe = fakeCluster({ addon, claims });

    await uninstallStack(wipe.store, true);
    expect(wipe.removed).toEqual([`${ TYPES.addon }/harvester-network-monitoring`, 'persistentvolumeclaim/data-clickhouse-0']);
  });
});

describe('lifecycleFailure: one message mapping for the wizard and the lifecycle buttons', () => {
  it('names the step that failed with the server\'s words', () => {
    expect(lifecycleFailure(new LifecycleError('secret', { kind: 'unavailable', status: 503, detail: 'etcd timeout' })))
      .toEqual({ key: 'networkMonitoring.install.failed.secret', detail: 'etcd timeout' });
  });

  it('names the missing permission whatever the step', () => {
    expect(lifecycleFailure(new LifecycleError('volumes', { kind: 'forbidden', status: 403, detail: 'cannot delete' })).key)
      .toBe('networkMonitoring.install.failed.forbidden');
  });

  it('treats anything else thrown as a failed Addon call', () => {
    expect(lifecycleFailure({ _status: 500, message: 'boom' })).toEqual({ key: 'networkMonitoring.install.failed.addon', detail: 'boom' });
    expect(lifecycleFailure('plain text')).toEqual({ key: 'networkMonitoring.install.failed.addon', detail: 'plain text' });
  });
});
