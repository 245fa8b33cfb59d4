import { STACK } from '../stack/constants';
import { IndexOptions, ObjectIndex, indexObjects } from './objects';
import {
  BindingProblem, RuleSource, Subject, parseServiceAccountKey, resolveBindings
} from './rbac';
import {
  FlowPathKind, RuleContext, RulePath, execVerbs, rulePaths
} from './flow-readers-rules';
import {
  ServiceTarget, anonymousGrafana, credentialSecrets, flowExposure, serviceTargets
} from './flow-readers-targets';
import { Finding } from './types';

/**
 * Who can read the flow data: every User, Group and ServiceAccount that live RBAC lets reach the
 * querier or Grafana (service or pod proxy, exec, port-forward), read the stack's credential Secrets
 * or run a pod in the stack's namespace, each with the binding and role that grant it, plus the
 * ways in that need no Kubernetes permission (NodePort/Ingress exposure, anonymous Grafana).
 * Rancher's cluster and project roles are RoleBindings/ClusterRoleBindings, so they are included.
 */
export type { FlowPathKind } from './flow-readers-rules';
export type { FlowService, ServiceTarget } from './flow-readers-targets';

export type FlowSubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface FlowSubject {
  kind: FlowSubjectKind;
  name: string;
  /** ServiceAccounts only. */
  namespace?: string;
}

export interface FlowPath extends RulePath {
  /** Where the binding grants: every namespace (ClusterRoleBinding) or the stack's namespace. */
  scope: 'cluster' | 'namespace';
  via: RuleSource;
}

/**
 * everyone: groups every authenticated user, every ServiceAccount (or every one of a namespace) or
 * anonymous requests are in; system: the cluster's own components (kube-system ServiceAccounts,
 * system: users and groups), kept but shown collapsed; other: people, teams and applications.
 */
export type FlowReaderCategory = 'everyone' | 'system' | 'other';

export interface FlowReader {
  /** `User:<name>`, `Group:<name>`, `ServiceAccount:<namespace>/<name>`. */
  key: string;
  subject: FlowSubject;
  category: FlowReaderCategory;
  paths: FlowPath[];
}

export interface FlowReadersResult {
  namespace: string;
  /** Sorted: everyone first, then other, then system; by kind and name inside each. */
  readers: FlowReader[];
  /** Exposure findings (exposure.ts) that open the querier or Grafana without Kubernetes permissions. */
  exposure: Finding[];
  grafanaAnonymous: boolean;
  services: ServiceTarget[];
  credentialSecrets: string[];
  /** Verbs that open exec and port-forward on the Kubernetes version assumed. */
  execVerbs: string[];
  /** Bindings whose role is missing or invalid: they grant nothing now, but would once the role exists. */
  bindingProblems: BindingProblem[];
  /** The group that reads everything without any binding (see PRIVILEGED_GROUP). */
  privilegedGroup: string;
}

export interface FlowReaderOptions {
  /** The stack's namespace (default the chart's). */
  namespace?: string;
  /** Kubernetes minor version (default 34, what Harvester 1.7's RKE2 runs); from 35 only create opens exec. */
  kubernetesMinor?: number;
  defaultNamespace?: string;
}

/**
 * Members of system:masters pass every authorization check without RBAC (kubernetes v1.34.3
 * pkg/kubeapiserver/authorizer/reload.go: authorizerfactory.NewPrivilegedGroups(user.SystemPrivilegedGroup),
 * k8s.io/apiserver v0.34.3 pkg/authentication/user/user.go SystemPrivilegedGroup = "system:masters").
 * No binding can show or remove that, so the result always names the group.
 */
export const PRIVILEGED_GROUP = 'system:masters';

/** Groups Kubernetes puts every authenticated user, every ServiceAccount, or anonymous requests in. */
const BROAD_GROUPS = ['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts'];

function categoryOf(subject: FlowSubject): FlowReaderCategory {
  if ((subject.kind === 'Group' && (BROAD_GROUPS.includes(subject.name) || subject.name.startsWith('system:serviceaccounts:'))) ||
      (subject.kind === 'User' && subject.name === 'system:anonymous')) {
    return 'everyone';
  }
  if (subject.kind === 'ServiceAccount' ? subject.namespace === 'kube-system' : subject.name.startsWith('system:')) {
    return 'system';
  }

  return 'other';
}

/** A binding subject as the reader it is: a User named system:serviceaccount:<ns>:<name> is that ServiceAccount. */
export function flowSubject(s: Subject): FlowSubject {
  if (s.kind === 'sa') {
    return { kind: 'ServiceAccount', namespace: s.namespace, name: s.name };
  }
  const sa = s.kind === 'user' ? parseServiceAccountKey(s.name) : null;

  if (sa) {
    return { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name };
  }

  return { kind: s.kind === 'user' ? 'User' : 'Group', name: s.name };
}

export function subjectKey(s: FlowSubject): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount:${ s.namespace }/${ s.name }` : `${ s.kind }:${ s.name }`;
}

function viaKey(v: RuleSource): string {
  return `${ v.bindingKind }/${ v.bindingNamespace || '' }/${ v.bindingName }/${ v.roleKind }/${ v.roleName }`;
}

function pathKey(p: FlowPath): string {
  return `${ p.kind }|${ p.target }|${ p.names.join(',') }|${ p.resources.join(',') }|${ viaKey(p.via) }`;
}

const CATEGORY_ORDER: FlowReaderCategory[] = ['everyone', 'other', 'system'];
const KIND_ORDER: FlowPathKind[] = ['everything', 'serviceProxy', 'podProxy', 'podPortForward', 'podExec', 'secrets', 'createWorkloads'];

function compareReaders(a: FlowReader, b: FlowReader): number {
  return CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) || a.key.localeCompare(b.key);
}

function comparePaths(a: FlowPath, b: FlowPath): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.target.localeCompare(b.target) || pathKey(a).localeCompare(pathKey(b));
}

function isIndex(value: unknown): value is ObjectIndex {
  return typeof value === 'object' && value !== null && typeof (value as ObjectIndex).ofKind === 'function';
}

/** Merges paths that differ only in verbs (one role can list the same resource in several rules). */
function addPath(reader: FlowReader, p: FlowPath): void {
  const key = pathKey(p);
  const existing = reader.paths.find((q) => pathKey(q) === key);

  if (existing) {
    existing.verbs = [...new Set([...existing.verbs, ...p.verbs])].sort();
  } else {
    reader.paths.push(p);
  }
}

export function findFlowReaders(input: unknown[] | ObjectIndex, options: FlowReaderOptions = {}): FlowReadersResult {
  const namespace = options.namespace || STACK.stackNamespace;
  const indexOptions: IndexOptions = { defaultNamespace: options.defaultNamespace || namespace, focusNamespaces: [namespace] };
  const index = isIndex(input) ? input : indexObjects(Array.isArray(input) ? input : [], indexOptions);
  const services = serviceTargets(index, namespace);
  const ctx: RuleContext = {
    namespace, services, secrets: credentialSecrets(index, namespace), execVerbs: execVerbs(options.kubernetesMinor ?? 34)
  };
  const readers = new Map<string, FlowReader>();
  const readerOf = (subject: FlowSubject): FlowReader => {
    const key = subjectKey(subject);
    let reader = readers.get(key);

    if (!reader) {
      reader = {
        key, subject, category: categoryOf(subject), paths: []
      };
      readers.set(key, reader);
    }

    return reader;
  };
  const bindingProblems: BindingProblem[] = [];

  for (const b of resolveBindings(index, bindingProblems)) {
    // A RoleBinding grants only in its own namespace; a ClusterRoleBinding everywhere.
    if (b.namespace !== undefined && b.namespace !== namespace) {
      continue;
    }
    const paths = b.rules.flatMap((rule) => rulePaths(rule, ctx));

    if (!paths.length) {
      continue;
    }
    for (const subject of b.subjects.map(flowSubject)) {
      const reader = readerOf(subject);

      for (const p of paths) {
        addPath(reader, { ...p, scope: b.namespace === undefined ? 'cluster' : 'namespace', via: b.source });
      }
    }
  }
  const exposure = flowExposure(index, namespace, services);

  return {
    namespace,
    readers:           [...readers.values()].map((r) => ({ ...r, paths: [...r.paths].sort(comparePaths) })).sort(compareReaders),
    exposure,
    grafanaAnonymous:  anonymousGrafana(exposure),
    services,
    credentialSecrets: ctx.secrets,
    execVerbs:         ctx.execVerbs,
    bindingProblems:   bindingProblems.filter((p) => p.binding.namespace === undefined || p.binding.namespace === namespace),
    privilegedGroup:   PRIVILEGED_GROUP,
  };
}
