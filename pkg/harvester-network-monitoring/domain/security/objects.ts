import { Json, isRecord, num, rec, records, str, stringMap, text } from '../guards';
import { ObjectRef } from './types';
import { parseIp } from '../net/ip';

/**
 * Turns an untrusted list of Kubernetes objects (API responses or `helm template` output) into a
 * typed index the analyses share. Malformed entries are skipped, never thrown on.
 */
export interface KubeObject {
  kind: string;
  apiVersion: string;
  name: string;
  /** Set for namespaced kinds (defaulted when the input has none); undefined for cluster-scoped ones. */
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  raw: Json;
  ref: ObjectRef;
}

export type ContainerKind = 'initContainer' | 'container' | 'ephemeralContainer';

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: string;
}

export interface ContainerInfo {
  name: string;
  kind: ContainerKind;
  raw: Json;
  ports: ContainerPort[];
}

/** One pod template: a Pod, or the template inside a workload. */
export interface PodTemplate {
  /** The object that carries the template (Deployment, DaemonSet, Pod, ...). */
  ref: ObjectRef;
  owner: KubeObject;
  namespace: string;
  /** Template metadata and spec exactly as given, for the PodSecurity checks. */
  metadata: Json;
  spec: Json;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  hostNetwork: boolean;
  serviceAccount: string;
  containers: ContainerInfo[];
  /** A Pod's own addresses (status.podIPs), canonical; empty for templates, which have none yet. */
  ips: string[];
  /** The node a Pod runs on (spec.nodeName); undefined for templates. */
  nodeName?: string;
}

/**
 * A KubeVirt VirtualMachine as NetworkPolicy sees it: the labels its virt-launcher pod will carry.
 * Its template is a VMI spec, not a pod spec, so it is kept apart from the pod templates.
 */
export interface VmTemplate {
  ref: ObjectRef;
  namespace: string;
  name: string;
  /** spec.template.metadata.labels plus the labels virt-controller adds to the launcher pod. */
  launcherLabels: Record<string, string>;
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
  /** False when the namespace is only referenced by other objects, not present in the input. */
  present: boolean;
}

export interface ObjectIndex {
  objects: KubeObject[];
  namespaces: Map<string, NamespaceInfo>;
  podTemplates: PodTemplate[];
  virtualMachines: VmTemplate[];
  ofKind(kind: string): KubeObject[];
  /** Whether findings about this namespace should be reported (see ReviewOptions.focusNamespaces). */
  inFocus(namespace: string | undefined): boolean;
}

export interface IndexOptions {
  defaultNamespace?: string;
  focusNamespaces?: string[];
}

/** The kinds the review reads that are cluster-scoped; every other kind is treated as namespaced. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass',
  'CustomResourceDefinition', 'PriorityClass', 'IngressClass', 'RuntimeClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService',
]);

const TEMPLATE_KINDS = new Set([
  'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'PodTemplate',
]);

/** The implicit label the API server puts on every namespace, which namespaceSelectors often use. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const MAX_LIST_DEPTH = 4;

function flatten(input: unknown, out: Json[], depth: number): void {
  if (Array.isArray(input)) {
    if (depth > MAX_LIST_DEPTH) {
      return;
    }
    for (const item of input) {
      flatten(item, out, depth + 1);
    }

    return;
  }
  if (!isRecord(input)) {
    return;
  }
  const kind = text(input.kind);

  if (kind.endsWith('List') && Array.isArray(input.items)) {
    if (depth <= MAX_LIST_DEPTH) {
      flatten(input.items, out, depth + 1);
    }

    return;
  }
  out.push(input);
}

function normalize(raw: Json, defaultNamespace: string): KubeObject | null {
  const kind = str(raw.kind);
  const meta = rec(raw.metadata);
  const name = str(meta.name);

  if (!kind || !name) {
    return null;
  }
  const namespace = CLUSTER_SCOPED.has(kind) ? undefined : (str(meta.namespace) || defaultNamespace);
  const ref: ObjectRef = namespace === undefined ? { kind, name } : { kind, namespace, name };

  return {
    kind,
    apiVersion:  text(raw.apiVersion),
    name,
    namespace,
    labels:      stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
    raw,
    ref,
  };
}

function templateOf(obj: KubeObject): { metadata: Json; spec: Json } | null {
  const spec = rec(obj.raw.spec);

  if (obj.kind === 'Pod') {
    return { metadata: rec(obj.raw.metadata), spec };
  }
  if (obj.kind === 'CronJob') {
    const template = rec(rec(rec(spec.jobTemplate).spec).template);

    return isRecord(template.spec) ? { metadata: rec(template.metadata), spec: template.spec } : null;
  }
  if (obj.kind === 'PodTemplate') {
    const template = rec(obj.raw.template);

    return isRecord(template.spec) ? { metadata: rec(template.metadata), spec: template.spec } : null;
  }
  if (TEMPLATE_KINDS.has(obj.kind)) {
    const template = rec(spec.template);

    return isRecord(template.spec) ? { metadata: rec(template.metadata), spec: template.spec } : null;
  }

  return null;
}

function containersOf(spec: Json): ContainerInfo[] {
  const out: ContainerInfo[] = [];
  const groups: [unknown, ContainerKind][] = [
    [spec.initContainers, 'initContainer'], [spec.containers, 'container'], [spec.ephemeralContainers, 'ephemeralContainer'],
  ];

  for (const [list, kind] of groups) {
    for (const c of records(list)) {
      const ports: ContainerPort[] = [];

      for (const p of records(c.ports)) {
        const port = num(p.containerPort);

        if (port !== undefined) {
          ports.push({ name: str(p.name), port, protocol: str(p.protocol) || 'TCP' });
        }
      }
      out.push({ name: text(c.name), kind, raw: c, ports });
    }
  }

  return out;
}

/** status.podIP(s) of a Pod, canonical and without repeats. */
function podAddresses(obj: KubeObject): string[] {
  if (obj.kind !== 'Pod') {
    return [];
  }
  const status = rec(obj.raw.status);
  const out: string[] = [];

  for (const value of [status.podIP, ...records(status.podIPs).map((p) => p.ip)]) {
    const ip = parseIp(value)?.text;

    if (ip && !out.includes(ip)) {
      out.push(ip);
    }
  }

  return out;
}

/**
 * Labels of the virt-launcher pod of a VM: the VM template's labels, plus `kubevirt.io: virt-launcher`
 * and `vm.kubevirt.io/name: <name>` that virt-controller sets (kubevirt/kubevirt
 * pkg/virt-controller/services/template_test.go expects exactly these on the launcher pod; the VMI is
 * named after its VM).
 */
export const LAUNCHER_POD_LABELS = { app: 'kubevirt.io', vmName: 'vm.kubevirt.io/name' } as const;

function buildVm(obj: KubeObject): VmTemplate {
  const template = rec(rec(obj.raw.spec).template);

  return {
    ref:            obj.ref,
    namespace:      obj.namespace || 'default',
    name:           obj.name,
    launcherLabels: {
      ...stringMap(rec(template.metadata).labels), [LAUNCHER_POD_LABELS.app]: 'virt-launcher', [LAUNCHER_POD_LABELS.vmName]: obj.name
    },
  };
}

function buildTemplate(obj: KubeObject): PodTemplate | null {
  const t = templateOf(obj);

  if (!t) {
    return null;
  }
  const nodeName = obj.kind === 'Pod' ? str(t.spec.nodeName) : undefined;

  return {
    ref:            obj.ref,
    owner:          obj,
    namespace:      obj.namespace || 'default',
    metadata:       t.metadata,
    spec:           t.spec,
    // A Pod is its own template: normalize() read the same metadata.
    labels:         obj.kind === 'Pod' ? obj.labels : stringMap(t.metadata.labels),
    annotations:    obj.kind === 'Pod' ? obj.annotations : stringMap(t.metadata.annotations),
    hostNetwork:    t.spec.hostNetwork === true,
    serviceAccount: str(t.spec.serviceAccountName) || str(t.spec.serviceAccount) || 'default',
    containers:     containersOf(t.spec),
    ips:            podAddresses(obj),
    ...(nodeName ? { nodeName } : {}),
  };
}

/** An object whose controller (e.g. the ReplicaSet of a Pod) is also in the input is reviewed once, through its owner. */
function ownedByPresent(obj: KubeObject, present: Set<string>): boolean {
  for (const owner of records(rec(obj.raw.metadata).ownerReferences)) {
    const key = `${ text(owner.kind) }/${ obj.namespace || '' }/${ text(owner.name) }`;

    if (present.has(key)) {
      return true;
    }
  }

  return false;
}

const keyOf = (o: KubeObject) => `${ o.kind }/${ o.namespace || '' }/${ o.name }`;

export function indexObjects(input: unknown, options: IndexOptions = {}): ObjectIndex {
  const flat: Json[] = [];

  flatten(Array.isArray(input) ? input : [input], flat, 0);
  const defaultNamespace = options.defaultNamespace || 'default';
  const unique = new Map<string, KubeObject>();

  for (const raw of flat) {
    const obj = normalize(raw, defaultNamespace);

    if (obj) {
      unique.set(keyOf(obj), obj);
    }
  }
  const objects = [...unique.values()];
  const byKind = new Map<string, KubeObject[]>();

  for (const o of objects) {
    const list = byKind.get(o.kind);

    if (list) {
      list.push(o);
    } else {
      byKind.set(o.kind, [o]);
    }
  }
  const present = new Set(unique.keys());
  const podTemplates: PodTemplate[] = [];

  for (const o of objects) {
    if (o.kind === 'Pod' || o.kind === 'CronJob' || TEMPLATE_KINDS.has(o.kind)) {
      const t = ownedByPresent(o, present) ? null : buildTemplate(o);

      if (t) {
        podTemplates.push(t);
      }
    }
  }

  const namespaces = new Map<string, NamespaceInfo>();

  for (const ns of byKind.get('Namespace') || []) {
    namespaces.set(ns.name, { name: ns.name, labels: { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name }, present: true });
  }
  for (const o of objects) {
    if (o.namespace !== undefined && !namespaces.has(o.namespace)) {
      namespaces.set(o.namespace, { name: o.namespace, labels: { [NAMESPACE_NAME_LABEL]: o.namespace }, present: false });
    }
  }

  const focus = options.focusNamespaces && options.focusNamespaces.length ? new Set(options.focusNamespaces) : null;

  return {
    objects,
    namespaces,
    podTemplates,
    virtualMachines: (byKind.get('VirtualMachine') || []).filter((o) => !o.apiVersion || o.apiVersion.startsWith('kubevirt.io/')).map(buildVm),
    ofKind:          (kind) => byKind.get(kind) || [],
    inFocus:         (namespace) => !focus || (namespace !== undefined && focus.has(namespace)),
  };
}

/** Labels of a namespace, with the implicit name label even when the Namespace object is absent. */
export function namespaceLabels(index: ObjectIndex, namespace: string): Record<string, string> {
  return index.namespaces.get(namespace)?.labels || { [NAMESPACE_NAME_LABEL]: namespace };
}

/** The reviewed namespaces' ConfigMaps with their string data, keys in order: what several analyses read. */
export function focusedConfigMaps(index: ObjectIndex): { cm: KubeObject; data: Record<string, string>; keys: string[] }[] {
  return index.ofKind('ConfigMap').filter((cm) => index.inFocus(cm.namespace)).map((cm) => {
    const data = stringMap(cm.raw.data);

    return { cm, data, keys: Object.keys(data).sort() };
  });
}
