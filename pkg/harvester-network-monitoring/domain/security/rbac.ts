import { Json, isRecord, rec, records, str, strings, text } from '../guards';
import {
  IndexOptions, KubeObject, ObjectIndex, indexObjects
} from './objects';
import { parseSelector, selectorMatches } from './selectors';

/**
 * Effective RBAC permissions of ServiceAccounts, evaluated the way the Kubernetes RBAC authorizer
 * does: RoleBindings grant in their namespace (also when they reference a ClusterRole),
 * ClusterRoleBindings grant everywhere, subjects match by ServiceAccount, by the SA's username, or by
 * the groups every SA belongs to; aggregated ClusterRoles collect the rules of the roles they select.
 */
export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export interface RuleSource {
  bindingKind: 'RoleBinding' | 'ClusterRoleBinding';
  bindingName: string;
  bindingNamespace?: string;
  roleKind: 'Role' | 'ClusterRole';
  roleName: string;
}

export interface EffectiveRule extends PolicyRule {
  /** Namespace the rule applies in; undefined = every namespace and cluster-scoped resources. */
  namespace?: string;
  via: RuleSource;
}

export interface AccessRequest {
  verb: string;
  /** API group, '' for the core group. */
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** A non-resource URL such as /healthz or /metrics; when set, the resource fields are ignored. */
  nonResourceURL?: string;
}

export interface BindingProblem {
  binding: KubeObject;
  roleKind: string;
  roleName: string;
  reason: 'missingRole' | 'invalidRoleRef';
}

export interface RbacModel {
  /** Keyed by ServiceAccount username, `system:serviceaccount:<namespace>:<name>`. */
  permissions: Map<string, EffectiveRule[]>;
  serviceAccounts: { namespace: string; name: string; key: string }[];
  problems: BindingProblem[];
}

export function serviceAccountKey(namespace: string, name: string): string {
  return `system:serviceaccount:${ namespace }:${ name }`;
}

export function parseServiceAccountKey(key: string): { namespace: string; name: string } | null {
  const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(key);

  return m ? { namespace: m[1], name: m[2] } : null;
}

function parseRule(raw: Json): PolicyRule {
  return {
    verbs:           strings(raw.verbs),
    apiGroups:       strings(raw.apiGroups),
    resources:       strings(raw.resources),
    resourceNames:   strings(raw.resourceNames),
    nonResourceURLs: strings(raw.nonResourceURLs),
  };
}

function ownRules(role: KubeObject): PolicyRule[] {
  return records(role.raw.rules).map(parseRule);
}

/** Rules of a ClusterRole including everything its aggregationRule selects (recursively, cycle-safe). */
function clusterRoleRules(role: KubeObject, all: KubeObject[], memo: Map<string, PolicyRule[]>, visiting: Set<string>): PolicyRule[] {
  const cached = memo.get(role.name);

  if (cached) {
    return cached;
  }
  if (visiting.has(role.name)) {
    return ownRules(role);
  }
  visiting.add(role.name);
  const rules = [...ownRules(role)];
  const aggregation = rec(role.raw.aggregationRule);

  if (Array.isArray(aggregation.clusterRoleSelectors)) {
    const selectors = records(aggregation.clusterRoleSelectors).map(parseSelector);

    for (const other of all) {
      if (other.name !== role.name && selectors.some((s) => selectorMatches(s, other.labels))) {
        rules.push(...clusterRoleRules(other, all, memo, visiting));
      }
    }
  }
  visiting.delete(role.name);
  memo.set(role.name, rules);

  return rules;
}

interface SubjectMatch { kind: 'sa'; namespace: string; name: string }
export type Subject = SubjectMatch | { kind: 'user'; name: string } | { kind: 'group'; name: string };

export function subjectsOf(binding: KubeObject): Subject[] {
  const out: Subject[] = [];

  for (const s of records(binding.raw.subjects)) {
    const kind = str(s.kind);
    const name = str(s.name);

    if (!name) {
      continue;
    }
    if (kind === 'ServiceAccount') {
      // The authorizer defaults a missing namespace to the RoleBinding's own; a ClusterRoleBinding has none.
      const namespace = str(s.namespace) || (binding.kind === 'RoleBinding' ? binding.namespace : undefined);

      if (namespace) {
        out.push({ kind: 'sa', namespace, name });
      }
    } else if (kind === 'User') {
      out.push({ kind: 'user', name });
    } else if (kind === 'Group') {
      out.push({ kind: 'group', name });
    }
  }

  return out;
}

/** The groups Kubernetes puts every ServiceAccount token in. */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${ namespace }`, 'system:authenticated'];
}

function appliesTo(subject: Subject, sa: { namespace: string; name: string }): boolean {
  switch (subject.kind) {
  case 'sa': return subject.namespace === sa.namespace && subject.name === sa.name;
  case 'user': return subject.name === serviceAccountKey(sa.namespace, sa.name);
  case 'group': return serviceAccountGroups(sa.namespace).includes(subject.name);
  }
}

function knownServiceAccounts(index: ObjectIndex): { namespace: string; name: string }[] {
  const seen = new Map<string, { namespace: string; name: string }>();
  const add = (namespace: string | undefined, name: string | undefined) => {
    if (namespace && name) {
      seen.set(serviceAccountKey(namespace, name), { namespace, name });
    }
  };

  for (const sa of index.ofKind('ServiceAccount')) {
    add(sa.namespace, sa.name);
  }
  for (const t of index.podTemplates) {
    add(t.namespace, t.serviceAccount);
  }
  for (const b of [...index.ofKind('RoleBinding'), ...index.ofKind('ClusterRoleBinding')]) {
    for (const s of subjectsOf(b)) {
      if (s.kind === 'sa') {
        add(s.namespace, s.name);
      } else if (s.kind === 'user') {
        const parsed = parseServiceAccountKey(s.name);

        add(parsed?.namespace, parsed?.name);
      }
    }
  }

  return [...seen.values()].sort((a, b) => serviceAccountKey(a.namespace, a.name).localeCompare(serviceAccountKey(b.namespace, b.name)));
}

export interface ResolvedBinding {
  binding: KubeObject;
  subjects: Subject[];
  rules: PolicyRule[];
  namespace?: string;
  source: RuleSource;
}

/** Every binding with its subjects and its role's rules (aggregation resolved); bad role references go to `problems`. */
export function resolveBindings(index: ObjectIndex, problems: BindingProblem[]): ResolvedBinding[] {
  const clusterRoles = index.ofKind('ClusterRole');
  const clusterRoleByName = new Map(clusterRoles.map((r) => [r.name, r]));
  const roleByKey = new Map(index.ofKind('Role').map((r) => [`${ r.namespace }/${ r.name }`, r]));
  const memo = new Map<string, PolicyRule[]>();
  const out: ResolvedBinding[] = [];

  for (const binding of [...index.ofKind('ClusterRoleBinding'), ...index.ofKind('RoleBinding')]) {
    const roleRef = rec(binding.raw.roleRef);
    const roleKind = text(roleRef.kind);
    const roleName = text(roleRef.name);
    const clusterWide = binding.kind === 'ClusterRoleBinding';

    if (!roleName || (roleKind !== 'ClusterRole' && (roleKind !== 'Role' || clusterWide))) {
      problems.push({
        binding, roleKind, roleName, reason: 'invalidRoleRef'
      });
      continue;
    }
    const role = roleKind === 'ClusterRole' ? clusterRoleByName.get(roleName) : roleByKey.get(`${ binding.namespace }/${ roleName }`);

    if (!role) {
      problems.push({
        binding, roleKind, roleName, reason: 'missingRole'
      });
      continue;
    }
    out.push({
      binding,
      subjects:  subjectsOf(binding),
      rules:     roleKind === 'ClusterRole' ? clusterRoleRules(role, clusterRoles, memo, new Set()) : ownRules(role),
      namespace: clusterWide ? undefined : binding.namespace,
      source:    {
        bindingKind:      clusterWide ? 'ClusterRoleBinding' : 'RoleBinding',
        bindingName:      binding.name,
        bindingNamespace: binding.namespace,
        roleKind:         roleKind as 'Role' | 'ClusterRole',
        roleName,
      },
    });
  }

  return out;
}

function isIndex(value: unknown): value is ObjectIndex {
  return isRecord(value) && typeof value.ofKind === 'function' && Array.isArray(value.podTemplates);
}

function rulesFor(bindings: ResolvedBinding[], sa: { namespace: string; name: string }): EffectiveRule[] {
  const rules: EffectiveRule[] = [];

  for (const b of bindings) {
    if (b.subjects.some((s) => appliesTo(s, sa))) {
      for (const r of b.rules) {
        rules.push(b.namespace === undefined ? { ...r, via: b.source } : { ...r, namespace: b.namespace, via: b.source });
      }
    }
  }

  return rules;
}

export function buildRbacModel(input: unknown[] | ObjectIndex, options: IndexOptions = {}): RbacModel {
  const index = isIndex(input) ? input : indexObjects(Array.isArray(input) ? input : [], options);
  const problems: BindingProblem[] = [];
  const bindings = resolveBindings(index, problems);
  const serviceAccounts = knownServiceAccounts(index);
  const permissions = new Map<string, EffectiveRule[]>();

  for (const sa of serviceAccounts) {
    permissions.set(serviceAccountKey(sa.namespace, sa.name), rulesFor(bindings, sa));
  }

  return {
    permissions,
    serviceAccounts: serviceAccounts.map((sa) => ({ ...sa, key: serviceAccountKey(sa.namespace, sa.name) })),
    problems,
  };
}

/** Effective permissions per ServiceAccount username (`system:serviceaccount:<ns>:<name>`). */
export function effectivePermissions(input: unknown[] | ObjectIndex, options: IndexOptions = {}): Map<string, EffectiveRule[]> {
  return buildRbacModel(input, options).permissions;
}

/**
 * Permissions of any ServiceAccount, including one the input never mentions (it still gets what
 * bindings to system:serviceaccounts or system:authenticated grant).
 */
export function permissionsForServiceAccount(input: unknown[] | ObjectIndex, namespace: string, name: string, options: IndexOptions = {}): EffectiveRule[] {
  const index = isIndex(input) ? input : indexObjects(Array.isArray(input) ? input : [], options);

  return typeof namespace === 'string' && typeof name === 'string' ? rulesFor(resolveBindings(index, []), { namespace, name }) : [];
}

function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return rule.resources.some((r) => r === '*' || r === combined || (subresource !== '' && r === `*/${ subresource }`));
}

function nonResourceMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))));
}

/** Whether one rule allows the request (the authorizer's RuleAllows). */
export function ruleAllows(rule: PolicyRule, request: AccessRequest): boolean {
  if (!rule.verbs.includes('*') && !rule.verbs.includes(request.verb)) {
    return false;
  }
  if (typeof request.nonResourceURL === 'string') {
    return nonResourceMatches(rule, request.nonResourceURL);
  }
  const group = typeof request.group === 'string' ? request.group : '';
  const resource = typeof request.resource === 'string' ? request.resource : '';
  const subresource = typeof request.subresource === 'string' ? request.subresource : '';

  if (!rule.apiGroups.includes('*') && !rule.apiGroups.includes(group)) {
    return false;
  }
  if (!resourceMatches(rule, subresource ? `${ resource }/${ subresource }` : resource, subresource)) {
    return false;
  }

  return rule.resourceNames.length === 0 || rule.resourceNames.includes(typeof request.name === 'string' ? request.name : '');
}

/**
 * Whether the permissions allow a request, as a SubjectAccessReview would answer it from RBAC alone.
 * A request without a namespace (cluster-scoped, or across all namespaces) and every non-resource
 * URL are only allowed by ClusterRoleBindings.
 */
export function can(perms: readonly EffectiveRule[], request: AccessRequest): boolean {
  if (!isRecord(request) || typeof request.verb !== 'string' || !Array.isArray(perms)) {
    return false;
  }
  const namespace = typeof request.nonResourceURL === 'string' || typeof request.namespace !== 'string' ? undefined : request.namespace || undefined;

  // Rules may come back from JSON (e.g. a cached report), so each is re-read defensively.
  return perms.some((r: unknown) => isRecord(r) && (r.namespace === undefined || r.namespace === namespace) && ruleAllows(parseRule(r), request));
}
