/**
 * The sandbox's Steve lists a type from an informer, as Rancher's Steve does with its cache on (the default since
 * v2.12): listed once from the real API server, kept current by its watch, and a write made through the sandbox
 * is in the next list at once (sandbox/backend/kube-informer.ts).
 */
import { KubeClient } from '../../sandbox/kube/client';
import { KubeSource } from '../../sandbox/backend/kube-source';
import { CLUSTER_TYPES, typeById } from '../../sandbox/backend/types';
import { connect, eventually, uniqueName } from './harness';

jest.setTimeout(60_000);

let kube: KubeClient;
let source: KubeSource;
const configMaps = typeById(CLUSTER_TYPES, 'configmap');

beforeAll(async() => {
  kube = await connect();
  source = new KubeSource(kube, CLUSTER_TYPES);
});

afterAll(() => {
  source?.close();
  kube?.close();
});

const configMap = (namespace: string, name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data
});

const names = async(namespace: string) => (await source.list(configMaps, namespace)).objects.map((o) => o.metadata.name);

describe('the sandbox Steve\'s informer', () => {
  it('lists from the API server once, then keeps the list by the watch, sorted by namespace and name', async() => {
    const [a, b] = [uniqueName('cache-a'), uniqueName('cache-b')].sort();

    await kube.ensureNamespace(a);
    await kube.ensureNamespace(b);
    await kube.ok('POST', `/api/v1/namespaces/${ b }/configmaps`, configMap(b, 'second'));
    await kube.ok('POST', `/api/v1/namespaces/${ a }/configmaps`, configMap(a, 'zeta'));

    const requests = jest.spyOn(kube, 'request');

    expect(await names(a)).toEqual(expect.arrayContaining(['zeta']));
    await names(b);
    await source.list(configMaps);
    // One list of the type from the API server, for the three lists the sandbox answered.
    expect(requests.mock.calls.filter(([method, path]) => method === 'GET' && /\/configmaps(\?|$)/.test(path))).toHaveLength(1);
    requests.mockRestore();
    // Made behind the sandbox's back: the watch brings it.
    await kube.ok('POST', `/api/v1/namespaces/${ a }/configmaps`, configMap(a, 'alpha'));
    await eventually(async() => (await names(a)).includes('alpha'), 'the change made behind the sandbox in its list');
    const all = (await source.list(configMaps)).objects.map((o) => `${ o.metadata.namespace }/${ o.metadata.name }`);
    const ours = all.filter((key) => key.startsWith(`${ a }/`) || key.startsWith(`${ b }/`));

    expect(ours).toEqual(expect.arrayContaining([`${ a }/alpha`, `${ a }/zeta`, `${ b }/second`]));
    expect(ours.indexOf(`${ a }/alpha`)).toBeLessThan(ours.indexOf(`${ a }/zeta`));
    expect(ours.indexOf(`${ a }/zeta`)).toBeLessThan(ours.indexOf(`${ b }/second`));
    await kube.ok('DELETE', `/api/v1/namespaces/${ b }/configmaps/second`);
    await eventually(async() => !(await names(b)).includes('second'), 'the deletion made behind the sandbox in its list');
  });

  it('has a write made through the sandbox in the next list, with the revision it made', async() => {
    const ns = uniqueName('cache-write');

    await kube.ensureNamespace(ns);
    expect(await names(ns)).toEqual([]);
    const created = await source.create(configMaps, configMap(ns, 'made', { v: '1' }));

    expect(created.ok).toBe(true);
    expect(await names(ns)).toEqual(['made']);
    const current = (await source.list(configMaps, ns)).objects[0];
    const updated = await source.update(configMaps, { ...current, data: { v: '2' } });
    const listed = await source.list(configMaps, ns);

    expect(updated.ok && listed.objects[0].data).toEqual({ v: '2' });
    expect(BigInt(listed.revision)).toBeGreaterThanOrEqual(BigInt(listed.objects[0].metadata.resourceVersion));
    expect((await source.remove(configMaps, ns, 'made')).ok).toBe(true);
    expect(await names(ns)).toEqual([]);
  });
});
