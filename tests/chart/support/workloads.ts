/** Access to the pods the rendered workloads create, and failure messages that name object and field. */
import { K8sObject, objectRef } from '../../support/helm';

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

export interface ContainerRef {
  owner: K8sObject;
  /** "initContainers[0]" or "containers[1]". */
  field: string;
  container: Record<string, any>;
}

export const workloads = (objects: K8sObject[]) => objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));

export function podSpec(workload: K8sObject): Record<string, any> {
  const spec = workload.spec?.template?.spec;

  if (!spec) {
    throw new Error(`${ objectRef(workload) } has no spec.template.spec`);
  }

  return spec;
}

export function containersOf(workload: K8sObject): ContainerRef[] {
  const spec = podSpec(workload);

  return ['initContainers', 'containers'].flatMap((list) => (spec[list] || []).map((container: Record<string, any>, i: number) => ({
    owner: workload, field: `${ list }[${ i }]`, container
  })));
}

export const allContainers = (objects: K8sObject[]) => workloads(objects).flatMap(containersOf);

/** "DaemonSet ns/hnm-agent spec.template.spec.containers[0] (deepflow-agent)". */
export function where(ref: ContainerRef, field = ''): string {
  return `${ objectRef(ref.owner) } spec.template.spec.${ ref.field } (${ ref.container.name })${ field ? `.${ field }` : '' }`;
}

/** Fails with every violation listed, so one run shows all broken objects. */
export function expectNoViolations(violations: string[]): void {
  if (violations.length) {
    throw new Error(`${ violations.length } violation(s):\n  ${ violations.join('\n  ') }`);
  }
}

/** Decoded `data` of a Secret, or `stringData`. */
export function secretData(secret: K8sObject): Record<string, string> {
  const out: Record<string, string> = { ...(secret.stringData || {}) };

  Object.entries(secret.data || {}).forEach(([k, v]) => {
    out[k] = Buffer.from(String(v), 'base64').toString('utf8');
  });

  return out;
}
