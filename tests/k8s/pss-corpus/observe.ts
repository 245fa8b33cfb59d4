/**
 * Asks the real API server what PodSecurity admission says about a pod: a server-side dry-run create
 * (or, for ephemeral containers, a dry-run patch of the `ephemeralcontainers` subresource of a stored pod).
 */
import { KubeClient, KubeError } from '../../../sandbox/kube/client';
import { podSecurityLabels, uniqueName } from '../harness';
import { reasonsInOrder } from './reasons';

type Json = Record<string, any>;

export interface PodUnderTest {
  /** DNS-1123 pod name, unique within a namespace. */
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  spec: Json;
  ephemeralContainers?: Json[];
}

export interface ServerVerdict {
  allowed: boolean;
  /** Reasons of the denial, exactly as printed and in order ([] when allowed). */
  reasons: string[];
  /** Reasons of the PodSecurity `would violate` warning ([] when there is none, always [] when denied). */
  warnReasons: string[];
  /** The denial message or the PodSecurity warning, for reports. */
  message: string;
}

export interface PssNamespace {
  name: string;
  labels: Record<string, string>;
}

/** Namespaces enforcing baseline (warning at restricted) and enforcing restricted. */
export async function createPssNamespaces(kube: KubeClient, prefix: string): Promise<{ baseline: PssNamespace; restricted: PssNamespace }> {
  const baseline = { name: uniqueName(`${ prefix }-baseline`), labels: podSecurityLabels({ enforce: 'baseline', warn: 'restricted' }) };
  const restricted = { name: uniqueName(`${ prefix }-restricted`), labels: podSecurityLabels({ enforce: 'restricted', warn: 'restricted' }) };

  for (const ns of [baseline, restricted]) {
    await kube.ensureNamespace(ns.name, ns.labels);
  }

  return { baseline, restricted };
}

/** The full pod spec PodSecurity evaluates (ephemeral containers included). */
export function evaluatedSpec(pod: PodUnderTest): Json {
  return pod.ephemeralContainers ? { ...pod.spec, ephemeralContainers: pod.ephemeralContainers } : pod.spec;
}

export function evaluatedMetadata(pod: PodUnderTest): Json {
  return { name: pod.name, labels: pod.labels ?? {}, annotations: pod.annotations ?? {} };
}

function podObject(pod: PodUnderTest) {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { ...evaluatedMetadata(pod) }, spec: pod.spec
  };
}

/** ServiceAccount admission rejects pods whose ServiceAccount is missing, and no controller creates them. */
async function ensureServiceAccount(kube: KubeClient, namespace: string, spec: Json): Promise<void> {
  const name = spec.serviceAccountName ?? spec.serviceAccount;

  if (typeof name === 'string' && name && name !== 'default') {
    await kube.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
  }
}

function verdictOf(status: number, body: Json, warnings: string[], what: string): ServerVerdict {
  const podSecurityWarning = warnings.find((w) => w.startsWith('would violate PodSecurity')) ?? '';

  if (status === 200 || status === 201) {
    return {
      allowed: true, reasons: [], warnReasons: reasonsInOrder(podSecurityWarning), message: podSecurityWarning
    };
  }
  const message = String(body?.message ?? '');

  if (status === 403 && message.includes('violates PodSecurity')) {
    return {
      allowed: false, reasons: reasonsInOrder(message), warnReasons: [], message
    };
  }
  // A 422 (invalid pod) or any other failure is a broken test input, not a PodSecurity verdict.
  throw new Error(`${ what } -> ${ status }: ${ message || JSON.stringify(body) }`);
}

export async function observe(kube: KubeClient, namespace: string, pod: PodUnderTest): Promise<ServerVerdict> {
  await ensureServiceAccount(kube, namespace, pod.spec);
  if (!pod.ephemeralContainers) {
    const response = await kube.dryRunCreate(podObject(pod), namespace);

    return verdictOf(response.status, response.body, response.warnings, `dry-run create of pod ${ pod.name } in ${ namespace }`);
  }
  // Ephemeral containers cannot be set on create: store the pod (it must pass on its own), then add them.
  const stored = await kube.request('POST', `/api/v1/namespaces/${ namespace }/pods`, podObject(pod));

  if (stored.status !== 201) {
    throw new KubeError('POST', `pods/${ pod.name } (base pod of an ephemeral-container case)`, stored);
  }
  const response = await kube.request(
    'PATCH',
    `/api/v1/namespaces/${ namespace }/pods/${ encodeURIComponent(pod.name) }/ephemeralcontainers?dryRun=All`,
    { spec: { ephemeralContainers: pod.ephemeralContainers } },
    'application/strategic-merge-patch+json'
  );

  return verdictOf(response.status, response.body, response.warnings, `dry-run ephemeralcontainers patch of pod ${ pod.name } in ${ namespace }`);
}
