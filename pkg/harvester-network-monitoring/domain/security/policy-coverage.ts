/**
 * NetworkPolicy coverage of the cluster's VMs, beside the review of the stack itself: which VMs no
 * policy selects (every connection to and from their pod-network NIC is allowed), which VM namespaces
 * hold no policy at all, and which policies select nothing. The same NetworkPolicy model and findings
 * as the Security Review (netpolFindings.ts), over the cluster-wide lists the store already holds.
 */
import { TYPES } from '../stack/constants';
import { ListQuery } from '../stack/load';
import { isRecord, str } from '../guards';
import { reviewObjects } from './review';
import { Finding } from './types';

/** Every type the coverage is computed from; a type the user may not list makes the answer partial. */
export const COVERAGE_QUERIES: ListQuery[] = [
  // What the review reads of a VM (objects.ts buildVm): its metadata and its template's labels; a projection,
  // not the thousand VMs' whole specs in the store.
  { type: TYPES.vm, fields: ['metadata', 'spec.template.metadata'] },
  { type: TYPES.networkPolicy },
  // Only the VMs' virt-launcher pods, by the label KubeVirt gives them (kubevirt.io=virt-launcher, as a real one
  // lists it: akaliwod/ocp-virtualization doc/ocp-kubevirt-fedora-basic/OcPod.md), read once and not kept: a
  // fifth of a Harvester cluster's pods at scale, and the store's watched list of every pod stays the Flows page's.
  { type: TYPES.pod, opt: { labelSelector: 'kubevirt.io=virt-launcher', load: false, watch: false } },
];

const KINDS: Record<string, { kind: string; apiVersion: string }> = {
  [TYPES.vm]:            { kind: 'VirtualMachine', apiVersion: 'kubevirt.io/v1' },
  [TYPES.networkPolicy]: { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1' },
  [TYPES.pod]:           { kind: 'Pod', apiVersion: 'v1' },
};

export const COVERAGE_FINDINGS = ['netpol.vmUncovered', 'netpol.namespaceUncovered', 'netpol.selectsNothing'];

/** The plain object the review engine reads, from a store model of a known type. */
function plain(model: unknown, type: string): Record<string, unknown> | undefined {
  if (!isRecord(model)) {
    return undefined;
  }
  const { kind, apiVersion } = KINDS[type];

  return {
    apiVersion: str(model.apiVersion) || apiVersion, kind: str(model.kind) || kind, metadata: model.metadata, spec: model.spec, status: model.status
  };
}

/**
 * Coverage findings for the namespaces that hold VMs (pods are read only for the launcher pods' labels
 * there; other namespaces are not judged, so system namespaces add no noise).
 */
export function policyCoverage(lists: Map<string, unknown[]>): Finding[] {
  const objects = COVERAGE_QUERIES.flatMap(({ type }) => (lists.get(type) || []).map((m) => plain(m, type)).filter((o): o is Record<string, unknown> => !!o));
  const vmNamespaces = [...new Set(objects.filter((o) => o.kind === 'VirtualMachine').map((o) => str((o.metadata as any)?.namespace)).filter((n): n is string => !!n))];

  if (!vmNamespaces.length) {
    return [];
  }
  const inScope = objects.filter((o) => vmNamespaces.includes(str((o.metadata as any)?.namespace) || ''));

  return reviewObjects(inScope, { analyses: ['netpol'], focusNamespaces: vmNamespaces }).findings
    .filter((f) => COVERAGE_FINDINGS.includes(f.id));
}
