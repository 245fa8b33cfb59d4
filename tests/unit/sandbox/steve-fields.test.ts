/**
 * The sandbox's Steve field filtering against rancher/steve's own cases (pkg/resources/common/formatter_test.go
 * at 79722709, Test_includeFields and Test_excludeFields: the same inputs and the outputs Steve's tests expect),
 * plus paths through arrays, which wrangler's GetValue does not follow (rancher/wrangler v3.7.0 pkg/data/values.go).
 */
import { filterFields } from '../../../sandbox/backend/steve-fields';

const configMap = () => ({
  metadata: {
    creationTimestamp: '2022-04-11T22:05:27Z', name: 'kube-root-ca.crt', namespace: 'c-m-w466b2vg', resourceVersion: '36948', uid: '1c497934-52cb-42ab-a613-dedfd5fb207b',
  },
  data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\nMIIC5zCCAc+gAwIBAg\n-----END CERTIFICATE-----\n' },
});
const managed = () => ({ ...configMap(), metadata: { ...configMap().metadata, managedFields: [{ apiVersion: 'v1', fieldsType: 'FieldsV1', manager: 'kube-controller-manager' }] } });
const include = (object: Record<string, any>, ...paths: string[]) => filterFields(object, { include: paths, exclude: [] });
const exclude = (object: Record<string, any>, ...paths: string[]) => filterFields(object, { include: [], exclude: paths });

describe('Steve include/exclude (rancher/steve formatter_test.go)', () => {
  it('include top level field', () => {
    expect(include(configMap(), 'metadata')).toEqual({ metadata: configMap().metadata });
  });

  it('include sub field', () => {
    expect(include(managed(), 'metadata.managedFields')).toEqual({ metadata: { managedFields: managed().metadata.managedFields } });
  });

  it('include invalid field', () => {
    expect(include(configMap(), 'foo.bar')).toEqual({});
  });

  it('include multiple fields', () => {
    expect(include({ apiVersion: 'v1', kind: 'ConfigMap', ...configMap() }, 'kind', 'apiVersion', 'metadata.name')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' } });
  });

  it('exclude top level field', () => {
    expect(exclude(configMap(), 'metadata')).toEqual({ data: configMap().data });
  });

  it('exclude sub field', () => {
    expect(exclude(managed(), 'metadata.managedFields')).toEqual(configMap());
  });

  it('exclude invalid field', () => {
    expect(exclude(configMap(), 'foo.bar')).toEqual(configMap());
  });

  it('exclude multiple fields', () => {
    expect(exclude({ apiVersion: 'v1', kind: 'ConfigMap', ...configMap() }, 'kind', 'apiVersion', 'metadata.name')).toEqual({ ...configMap(), metadata: { ...configMap().metadata, name: undefined } });
  });

  it('does not follow a path through an array, and leaves its input alone', () => {
    const pod = { spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] } };

    expect(include(pod, 'spec.containers.ports')).toEqual({});
    expect(exclude(pod, 'spec.containers.ports')).toEqual(pod);
    exclude(pod, 'spec');
    expect(pod.spec.containers).toHaveLength(1);
  });
});
