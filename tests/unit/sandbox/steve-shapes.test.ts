/**
 * What the sandbox's Steve APIs serve, checked against what the real Harvester UI extension (v1.7.3) and
 * the shell (3.0.8) ask for and read.
 */
import { ServerResponse } from 'http';
import { headerFromSchemaColString } from '@shell/store/type-map.utils';
import { getPerformanceSetting } from '@shell/utils/settings';
import { rancherObjects } from '../../../sandbox/backend/seed/rancher';
import { steveSchema } from '../../../sandbox/backend/steve';
import { MemorySource } from '../../../sandbox/backend/memory-source';
import { handleHarvesterSteve } from '../../../sandbox/backend/steve-harvester';
import { CLUSTER_TYPES, typeById } from '../../../sandbox/backend/types';
import { buildCluster } from '../../../sandbox/backend/seed/cluster';

const BASE = 'http://127.0.0.1:1/k8s/clusters/c-x/v1/harvester';

/** An OpenAPI v2 document shaped like the kube-apiserver's /openapi/v2, reduced to a few models. */
const OPENAPI = {
  swagger:     '2.0',
  definitions: {
    'io.k8s.api.core.v1.Pod': {
      description:                        'Pod is a collection of containers.',
      type:                               'object',
      properties:                         {
        apiVersion: { description: 'APIVersion defines the versioned schema.', type: 'string' },
        metadata:   { description: 'Standard object\'s metadata.', $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
        spec:       { description: 'Specification of the desired behavior of the pod.', $ref: '#/definitions/io.k8s.api.core.v1.PodSpec' },
        status:     { $ref: '#/definitions/io.k8s.api.core.v1.PodStatus' },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Pod', version: 'v1' }],
    },
    'io.k8s.api.core.v1.PodSpec': {
      type:       'object',
      required:   ['containers'],
      properties: {
        containers:                    { type: 'array', items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' }, description: 'List of containers.' },
        nodeSelector:                  { type: 'object', additionalProperties: { type: 'string', default: '' } },
        terminationGracePeriodSeconds: { type: 'integer', format: 'int64' },
        overhead:                      { type: 'object', additionalProperties: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' } },
        hostNetwork:                   { type: 'boolean' },
      },
    },
    'io.k8s.api.core.v1.Container': {
      type: 'object', required: ['name'], properties: { name: { type: 'string' }, args: { type: 'array', items: { type: 'string', default: '' } } }
    },
    'io.k8s.api.core.v1.PodStatus': {
      description: 'PodStatus represents information about the status of a pod.', type: 'object', properties: { conditions: { type: 'array', items: { $ref: '#/definitions/io.k8s.api.core.v1.PodCondition' } } }
    },
    'io.k8s.api.core.v1.PodCondition':                 { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } },
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
      type: 'object', properties: { name: { type: 'string' }, ownerReferences: { type: 'array', items: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' } } }
    },
    'io.k8s.apimachinery.pkg.api.resource.Quantity': { description: 'Quantity is a fixed-point representation of a number.', type: 'string' },
  },
};

/** A ServerResponse that keeps what was sent. */
function capture(): { res: ServerResponse; sent: () => { status: number; body: any } } {
  let status = 0;
  let text = '';
  const res = {
    headersSent: false,
    setHeader:   () => undefined,
    writeHead:   (s: number) => {
      status = s;

      return res;
    },
    write: (chunk: string) => {
      text += chunk;
    },
    end: (body?: string) => {
      text += body || '';
    },
  };

  return { res: res as unknown as ServerResponse, sent: () => ({ status, body: text ? JSON.parse(text) : undefined }) };
}

async function harvesterGet(path: string): Promise<{ status: number; body: any }> {
  const { res, sent } = capture();
  const source = new MemorySource(CLUSTER_TYPES, buildCluster().objects);
  const [pathname, search = ''] = path.split('?');

  await handleHarvesterSteve(source, BASE, 'GET', pathname, new URLSearchParams(search), '', res, { request: async() => ({ status: 200, body: OPENAPI }) });

  return sent();
}

describe('the Event schema', () => {
  const schema = steveSchema(typeById(CLUSTER_TYPES, 'event'), BASE);
  const getters = { 'i18n/exists': () => false, 'i18n/t': (key: string) => key };

  it('carries the table columns the shell builds every detail page\'s Events tab from', () => {
    // shell 3.0.8 components/form/ResourceTabs/index.vue data(): these three throw without a column.
    for (const name of ['Subobject', 'Source', 'Count']) {
      const header = headerFromSchemaColString(name, schema as any, getters, true, undefined as any);

      const index = schema.attributes.columns.findIndex((c: any) => c.name === name);

      expect(header.name).toBe(name.toLowerCase());
      // The cell of that column in each event's metadata.fields.
      expect(header.value).toBe(`metadata.fields.${ index }`);
    }
  });

  it('has Steve\'s column shape: the API server\'s definition plus the cell path by position', () => {
    const columns = schema.attributes.columns;

    expect(columns.map((c: any) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name']);
    columns.forEach((c: any, i: number) => {
      expect(Object.keys(c).sort()).toEqual(['description', 'field', 'format', 'name', 'priority', 'type']);
      expect(c.field).toBe(`$.metadata.fields[${ i }]`);
    });
    expect(columns.find((c: any) => c.name === 'Name').format).toBe('name');
  });

  it('is the only schema with columns: the sandbox fills no metadata.fields cells', () => {
    const withColumns = CLUSTER_TYPES.filter((def) => steveSchema(def, BASE).attributes.columns);

    expect(withColumns.map((d) => d.id)).toEqual(['event']);
  });
});

describe('schema definitions', () => {
  it('are Steve\'s conversion of the type\'s OpenAPI model and every model it references', async() => {
    const { status, body } = await harvesterGet('/schemaDefinitions/pod');

    expect(status).toBe(200);
    expect(body).toEqual(expect.objectContaining({ id: 'pod', type: 'schemaDefinition', definitionType: 'io.k8s.api.core.v1.Pod' }));
    expect(Object.keys(body.definitions).sort()).toEqual([
      'io.k8s.api.core.v1.Container', 'io.k8s.api.core.v1.Pod', 'io.k8s.api.core.v1.PodCondition', 'io.k8s.api.core.v1.PodSpec', 'io.k8s.api.core.v1.PodStatus',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
    ]);
    expect(body.definitions['io.k8s.api.core.v1.Pod']).toEqual({
      type:           'io.k8s.api.core.v1.Pod',
      description:    'Pod is a collection of containers.',
      resourceFields: {
        apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema.' },
        metadata:   { type: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', description: 'Standard object\'s metadata.' },
        spec:       { type: 'io.k8s.api.core.v1.PodSpec', description: 'Specification of the desired behavior of the pod.' },
        // A reference without a description of its own has none (the model's is not carried over).
        status:     { type: 'io.k8s.api.core.v1.PodStatus' },
      },
    });
    expect(body.definitions['io.k8s.api.core.v1.PodSpec'].resourceFields).toEqual({
      containers:                    {
        type: 'array', subtype: 'io.k8s.api.core.v1.Container', description: 'List of containers.', required: true
      },
      nodeSelector:                  { type: 'map', subtype: 'string' },
      terminationGracePeriodSeconds: { type: 'int' },
      overhead:                      { type: 'map', subtype: 'string' },
      hostNetwork:                   { type: 'boolean' },
    });
  });

  it('let the shell see that pods have status.conditions (its Conditions tab)', async() => {
    const { body } = await harvesterGet('/schemaDefinitions/pod');

    expect(body.definitions['io.k8s.api.core.v1.PodStatus'].resourceFields.conditions).toEqual({ type: 'array', subtype: 'io.k8s.api.core.v1.PodCondition' });
  });

  it('are missing for a schema that does not exist, and not yet there for a type the document lacks', async() => {
    await expect(harvesterGet('/schemaDefinitions/nope')).resolves.toEqual(expect.objectContaining({ status: 404 }));
    await expect(harvesterGet('/schemaDefinitions/node')).resolves.toEqual(expect.objectContaining({ status: 503, body: expect.objectContaining({ code: 'SchemasNotRefreshed' }) }));
  });
});

describe('Rancher\'s ui-performance setting', () => {
  it('is served empty, as Rancher\'s default, so the shell applies its defaults', () => {
    const setting = rancherObjects()['management.cattle.io.setting'].find((s) => s.metadata.name === 'ui-performance');
    const perf = getPerformanceSetting({ 'management/byId': () => setting } as any);

    expect(setting?.value).toBe('');
    // utils/perf-setting.utils.ts reads these objects unguarded.
    expect(perf.incrementalLoading).toEqual(expect.objectContaining({ enabled: expect.any(Boolean) }));
    expect(perf.manualRefresh).toEqual(expect.objectContaining({ enabled: expect.any(Boolean) }));
  });
});

describe('the Harvester Steve API', () => {
  it('answers the machineTypes link of the local cluster as Harvester on amd64 does', async() => {
    await expect(harvesterGet('/clusters/local?link=machineTypes')).resolves.toEqual({ status: 200, body: ['q35'] });
  });

  it('serves the cluster type with its one object, local, and its links', async() => {
    const schemas = await harvesterGet('/schemas');
    const clusters = await harvesterGet('/clusters');

    expect(schemas.body.data.map((s: any) => s.id)).toContain('cluster');
    expect(clusters.body.data).toEqual([expect.objectContaining({ id: 'local', type: 'cluster', links: expect.objectContaining({ machineTypes: `${ BASE }/clusters/local?link=machineTypes` }) })]);
  });

  it('fails other cluster ids and links it does not serve', async() => {
    await expect(harvesterGet('/clusters/c-other')).resolves.toEqual(expect.objectContaining({ status: 500 }));
    await expect(harvesterGet('/clusters/local?link=deviceCapacity')).resolves.toEqual(expect.objectContaining({ status: 404 }));
  });

  it('has a schema for every type Harvester\'s VM pages list (mixins/harvester-vm/index.js fetch())', async() => {
    const ids = (await harvesterGet('/schemas')).body.data.map((s: any) => s.id);
    const vmPageTypes = [
      'persistentvolume', 'persistentvolumeclaim', 'storage.k8s.io.storageclass', 'harvesterhci.io.keypair', 'harvesterhci.io.setting',
      'harvesterhci.io.virtualmachineimage', 'harvesterhci.io.virtualmachinetemplateversion', 'harvesterhci.io.virtualmachinetemplate',
      'k8s.cni.cncf.io.networkattachmentdefinition', 'kubevirt.io.virtualmachineinstance', 'kubevirt.io.virtualmachineinstancemigration',
      'kubevirt.io.virtualmachine', 'secret', 'harvesterhci.io.addon', 'longhorn.io.setting', 'node',
    ];

    expect(vmPageTypes.filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('still serves the Kubernetes types through the same base', async() => {
    const keypairs = await harvesterGet('/harvesterhci.io.keypairs');

    expect(keypairs.status).toBe(200);
    expect(keypairs.body.data.map((k: any) => k.id)).toEqual(['vm-prod/ops-key', 'vm-dev/ops-key']);
  });
});
