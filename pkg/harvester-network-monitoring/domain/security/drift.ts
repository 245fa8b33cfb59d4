import { finding, sortFindings } from './finding';
import { Json, rec, records, str, strings, text, uniqueSorted } from '../guards';
import { KubeObject, ObjectIndex, indexObjects } from './objects';
import { ADMISSION_MODES, PSA_LABEL_PREFIX, compareLevels, policyFromLabels } from './pss';
import {
  PolicyRule, ruleAllows, serviceAccountGroups
} from './rbac';
import { Finding } from './types';

/**
 * Drift between what was installed (the baseline, e.g. the rendered chart) and what runs now:
 * PodSecurity labels relaxed or removed, NetworkPolicies deleted or edited, new bindings that
 * grant to the stack, and roles that gained verbs.
 */
export interface DriftOptions {
  /** Namespaces of the stack; default: every namespace the baseline uses. */
  stackNamespaces?: string[];
  /** Extra ServiceAccounts of the stack as `namespace/name` (the baseline's own are always included). */
  stackServiceAccounts?: string[];
  defaultNamespace?: string;
}

const keyOf = (o: KubeObject) => `${ o.kind }/${ o.namespace || '' }/${ o.name }`;

/** Key-order-independent text of a value; cycles (possible with YAML aliases) and depth are cut off. */
function canonical(value: unknown): string {
  const ancestors = new Set<unknown>();
  const sort = (v: unknown, depth: number): unknown => {
    if (!v || typeof v !== 'object') {
      return v;
    }
    if (ancestors.has(v) || depth > 64) {
      return '[cycle]';
    }
    ancestors.add(v);
    const out = Array.isArray(v) ? v.map((x) => sort(x, depth + 1)) : Object.fromEntries(Object.keys(v as Json).sort().map((k) => [k, sort((v as Json)[k], depth + 1)]));

    ancestors.delete(v);

    return out;
  };

  return JSON.stringify(sort(value, 0)) || '';
}

function psaDrift(base: ObjectIndex, live: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const ns of base.ofKind('Namespace')) {
    const now = live.namespaces.get(ns.name);
    const ref = { kind: 'Namespace', name: ns.name };

    if (!now || !now.present) {
      out.push(finding('drift.namespaceMissing', 'pss', 'warning', ref, { namespace: ns.name }));
      continue;
    }
    const before = policyFromLabels(ns.labels);
    const after = policyFromLabels(now.labels);

    for (const mode of ADMISSION_MODES) {
      const label = `${ PSA_LABEL_PREFIX }${ mode }`;

      if (!(label in ns.labels) || compareLevels(after[mode].level, before[mode].level) >= 0) {
        continue;
      }
      const removed = !(label in now.labels);

      out.push(finding(removed ? 'drift.psaRemoved' : 'drift.psaRelaxed', 'pss', mode === 'enforce' ? 'critical' : 'warning', ref, {
        namespace: ns.name, mode, from: before[mode].level, to: after[mode].level
      }));
    }
  }

  return out;
}

function isDefaultDeny(policy: KubeObject): boolean {
  const spec = rec(policy.raw.spec);
  const selector = rec(spec.podSelector);
  const selectsAll = !Object.keys(rec(selector.matchLabels)).length && !records(selector.matchExpressions).length;
  const types = strings(spec.policyTypes);

  const deniesIngress = (types.includes('Ingress') || !types.length) && !records(spec.ingress).length;
  const deniesEgress = types.includes('Egress') && !records(spec.egress).length;

  return selectsAll && (deniesIngress || deniesEgress);
}

/**
 * A policy spec as the API server stores it: it omits empty lists (`ingress: []` in a chart reads
 * back as no `ingress`), defaults a port's protocol to TCP and fills in missing policyTypes.
 * Comparing normalized specs keeps an untouched policy from looking edited.
 */
function storedPolicySpec(spec: Json): Json {
  // Depth-capped like canonical(): YAML aliases can make the input cyclic.
  const withoutEmpty = (v: unknown, depth: number): unknown => {
    if (!v || typeof v !== 'object' || depth > 64) {
      return depth > 64 ? '[too deep]' : v;
    }
    if (Array.isArray(v)) {
      return v.map((x) => withoutEmpty(x, depth + 1));
    }

    return Object.fromEntries(Object.entries(v as Json)
      .filter(([, x]) => x !== null && x !== undefined && !(Array.isArray(x) && x.length === 0))
      .map(([k, x]) => [k, withoutEmpty(k === 'ports' && Array.isArray(x) ? x.map((port) => ({ protocol: 'TCP', ...rec(port) })) : x, depth + 1)]));
  };
  const out = withoutEmpty(spec, 0) as Json;

  if (!strings(out.policyTypes).length) {
    out.policyTypes = records(out.egress).length ? ['Ingress', 'Egress'] : ['Ingress'];
  }

  return out;
}

function netpolDrift(base: ObjectIndex, live: ObjectIndex): Finding[] {
  const out: Finding[] = [];
  const liveByKey = new Map(live.ofKind('NetworkPolicy').map((p) => [keyOf(p), p]));

  for (const p of base.ofKind('NetworkPolicy')) {
    const now = liveByKey.get(keyOf(p));
    const params = { policy: p.name, namespace: p.namespace || '' };

    if (!now) {
      out.push(finding('drift.networkPolicyDeleted', 'netpol', isDefaultDeny(p) ? 'critical' : 'warning', p.ref, params));
    } else if (canonical(storedPolicySpec(rec(p.raw.spec))) !== canonical(storedPolicySpec(rec(now.raw.spec)))) {
      out.push(finding('drift.networkPolicyChanged', 'netpol', 'info', p.ref, params));
    }
  }

  return out;
}

interface Subject { kind: string; name: string; namespace?: string }

function subjectsOf(binding: KubeObject): Subject[] {
  return records(binding.raw.subjects).map((s) => ({
    kind: text(s.kind), name: text(s.name), namespace: str(s.namespace) || (binding.kind === 'RoleBinding' ? binding.namespace : undefined)
  }));
}

function grantsToStack(binding: KubeObject, namespaces: Set<string>, accounts: Set<string>): boolean {
  if (binding.kind === 'RoleBinding' && binding.namespace && namespaces.has(binding.namespace)) {
    return true;
  }
  const stackGroups = new Set([...namespaces].flatMap(serviceAccountGroups));

  return subjectsOf(binding).some((s) => (s.kind === 'ServiceAccount' && (accounts.has(`${ s.namespace }/${ s.name }`) || namespaces.has(s.namespace || ''))) ||
    (s.kind === 'Group' && stackGroups.has(s.name)) ||
    (s.kind === 'User' && [...accounts].some((a) => s.name === `system:serviceaccount:${ a.replace('/', ':') }`)));
}

const DANGEROUS_VERBS = ['*', 'escalate', 'bind', 'impersonate'];
const DANGEROUS_RESOURCES = ['*', 'secrets', 'pods/exec', 'pods/attach', 'nodes/proxy'];

function rulesOf(role: KubeObject | undefined): PolicyRule[] {
  return role ? records(role.raw.rules).map((r) => ({
    verbs:           strings(r.verbs),
    apiGroups:       strings(r.apiGroups),
    resources:       strings(r.resources),
    resourceNames:   strings(r.resourceNames),
    nonResourceURLs: strings(r.nonResourceURLs),
  })) : [];
}

function roleFor(index: ObjectIndex, binding: KubeObject): KubeObject | undefined {
  const ref = rec(binding.raw.roleRef);
  const kind = text(ref.kind);

  return kind === 'ClusterRole' ? index.ofKind('ClusterRole').find((r) => r.name === ref.name) : index.ofKind('Role').find((r) => r.name === ref.name && r.namespace === binding.namespace);
}

/** The API server creates and reconciles these on every cluster (some grant to system:authenticated): never drift. */
const isBootstrapDefault = (binding: KubeObject) => binding.labels['kubernetes.io/bootstrapping'] === 'rbac-defaults';

function bindingDrift(base: ObjectIndex, live: ObjectIndex, namespaces: Set<string>, accounts: Set<string>): Finding[] {
  const out: Finding[] = [];
  const baseByKey = new Map([...base.ofKind('RoleBinding'), ...base.ofKind('ClusterRoleBinding')].map((b) => [keyOf(b), b]));

  for (const b of [...live.ofKind('RoleBinding'), ...live.ofKind('ClusterRoleBinding')]) {
    const before = baseByKey.get(keyOf(b));
    const changed = before && (canonical(before.raw.subjects) !== canonical(b.raw.subjects) || canonical(before.raw.roleRef) !== canonical(b.raw.roleRef));

    // A changed binding the stack installed is drift whoever it names; a new one only if it reaches the stack.
    if ((before && !changed) || (!before && (isBootstrapDefault(b) || !grantsToStack(b, namespaces, accounts)))) {
      continue;
    }
    const roleRef = rec(b.raw.roleRef);
    const rules = rulesOf(roleFor(live, b));
    const dangerous = text(roleRef.name) === 'cluster-admin' ||
      rules.some((r) => r.verbs.some((v) => DANGEROUS_VERBS.includes(v)) || r.resources.some((res) => DANGEROUS_RESOURCES.includes(res)));

    out.push(finding(before ? 'drift.bindingChanged' : 'drift.bindingAdded', 'rbac', dangerous ? 'critical' : 'warning', b.ref, {
      binding:     b.name,
      bindingKind: b.kind,
      namespace:   b.namespace || '',
      role:        text(roleRef.name),
      roleKind:    text(roleRef.kind),
      subjects:    uniqueSorted(subjectsOf(b).map((s) => (s.namespace && s.kind === 'ServiceAccount' ? `${ s.namespace }/${ s.name }` : s.name))),
    }));
  }

  return out;
}

/** Every (verb, resource) the live role allows that no baseline rule allowed; wildcards compare literally. */
function gainedPermissions(before: PolicyRule[], after: PolicyRule[]): { verbs: Set<string>; resources: Set<string>; dangerous: boolean } {
  const verbs = new Set<string>();
  const resources = new Set<string>();
  let dangerous = false;

  for (const rule of after) {
    const names = rule.resourceNames.length ? rule.resourceNames : [undefined];

    for (const verb of rule.verbs) {
      for (const url of rule.nonResourceURLs) {
        if (!before.some((b) => ruleAllows(b, { verb, nonResourceURL: url }))) {
          verbs.add(verb);
          resources.add(url);
          dangerous = dangerous || verb === '*' || url === '*';
        }
      }
      for (const group of rule.apiGroups) {
        for (const resource of rule.resources) {
          const [res, sub] = resource.split('/', 2);

          for (const name of names) {
            if (!before.some((b) => ruleAllows(b, {
              verb, group, resource: res, subresource: sub, name
            }))) {
              verbs.add(verb);
              resources.add(group ? `${ group }:${ resource }` : resource);
              dangerous = dangerous || DANGEROUS_VERBS.includes(verb) || DANGEROUS_RESOURCES.includes(resource) || group === '*';
            }
          }
        }
      }
    }
  }

  return { verbs, resources, dangerous };
}

function roleDrift(base: ObjectIndex, live: ObjectIndex): Finding[] {
  const out: Finding[] = [];
  const liveByKey = new Map([...live.ofKind('Role'), ...live.ofKind('ClusterRole')].map((r) => [keyOf(r), r]));

  for (const role of [...base.ofKind('Role'), ...base.ofKind('ClusterRole')]) {
    const now = liveByKey.get(keyOf(role));

    if (!now) {
      continue;
    }
    const params = { role: role.name, roleKind: role.kind, namespace: role.namespace || '' };

    // The controller fills an aggregated role's rules; what can drift is what it selects.
    if (role.raw.aggregationRule !== undefined) {
      if (canonical(role.raw.aggregationRule) !== canonical(now.raw.aggregationRule)) {
        out.push(finding('drift.aggregationChanged', 'rbac', 'warning', role.ref, params));
      }
      continue;
    }
    const gained = gainedPermissions(rulesOf(role), rulesOf(now));

    if (gained.verbs.size) {
      out.push(finding('drift.roleVerbsAdded', 'rbac', gained.dangerous ? 'critical' : 'warning', role.ref, {
        ...params, verbs: uniqueSorted(gained.verbs), resources: uniqueSorted(gained.resources)
      }));
    }
  }

  return out;
}

export function detectDrift(baseline: unknown[], live: unknown[], options: DriftOptions = {}): Finding[] {
  const base = indexObjects(Array.isArray(baseline) ? baseline : [], { defaultNamespace: options.defaultNamespace });
  const now = indexObjects(Array.isArray(live) ? live : [], { defaultNamespace: options.defaultNamespace });
  const namespaces = new Set(options.stackNamespaces && options.stackNamespaces.length ? options.stackNamespaces : [...base.namespaces.keys()]);
  const accounts = new Set<string>([
    ...base.ofKind('ServiceAccount').map((sa) => `${ sa.namespace }/${ sa.name }`),
    ...base.podTemplates.map((t) => `${ t.namespace }/${ t.serviceAccount }`),
    ...(options.stackServiceAccounts || []),
  ]);

  return sortFindings([
    ...psaDrift(base, now),
    ...netpolDrift(base, now),
    ...bindingDrift(base, now, namespaces, accounts),
    ...roleDrift(base, now),
  ]);
}
