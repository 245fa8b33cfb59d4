import { finding } from './finding';
import { records, text, uniqueSorted } from '../guards';
import { ObjectIndex } from './objects';
import {
  EffectiveRule, PolicyRule, RbacModel, RuleSource, buildRbacModel, parseServiceAccountKey
} from './rbac';
import { Finding, Severity } from './types';

/**
 * RBAC findings per ServiceAccount and granting binding. One rule can be risky in several ways;
 * a wildcard rule is reported once as a wildcard, a cluster-admin binding once as cluster-admin.
 */
type Category = 'wildcard' | 'escalation' | 'nodesProxy' | 'podsExec' | 'secretsList' | 'secretsRead' | 'secretsNamed' | 'writeVerbs';

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const ESCALATION_VERBS = ['escalate', 'bind', 'impersonate'];
const EXEC_SUBRESOURCES = ['pods/exec', 'pods/attach', 'pods/portforward'];
/** Creating these only asks the API server a question or records an event; they grant nothing. */
const HARMLESS_WRITES = new Set([
  'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews', 'subjectaccessreviews', 'localsubjectaccessreviews',
  'tokenreviews', 'events',
]);

const coreGroup = (r: PolicyRule) => r.apiGroups.includes('') || r.apiGroups.includes('*');

/** Leader-election leases in the component's own namespace are routine; cluster-wide they could take over kube-system leaders. */
const NAMESPACED_HARMLESS_WRITES = new Set(['leases']);

function categorise(rule: PolicyRule, clusterWide: boolean): { category: Category; verbs: string[]; resources: string[] }[] {
  if (rule.verbs.includes('*') || rule.resources.includes('*') || rule.apiGroups.includes('*') || rule.nonResourceURLs.includes('*')) {
    return [{ category: 'wildcard', verbs: rule.verbs, resources: rule.resources.length ? rule.resources : rule.nonResourceURLs }];
  }
  const out: { category: Category; verbs: string[]; resources: string[] }[] = [];
  const escalation = rule.verbs.filter((v) => ESCALATION_VERBS.includes(v));

  if (escalation.length && rule.resources.length) {
    out.push({ category: 'escalation', verbs: escalation, resources: rule.resources });
  }
  if (coreGroup(rule)) {
    const proxy = rule.resources.filter((r) => r === 'nodes/proxy' || r === '*/proxy');

    if (proxy.length) {
      out.push({ category: 'nodesProxy', verbs: rule.verbs, resources: proxy });
    }
    const exec = rule.resources.filter((r) => EXEC_SUBRESOURCES.includes(r) || ['*/exec', '*/attach', '*/portforward'].includes(r));

    if (exec.length) {
      out.push({ category: 'podsExec', verbs: rule.verbs, resources: exec });
    }
    if (rule.resources.includes('secrets')) {
      const reads = rule.verbs.filter((v) => ['get', 'list', 'watch'].includes(v));
      const bulk = reads.filter((v) => v !== 'get');

      if (bulk.length && rule.resourceNames.length === 0) {
        out.push({ category: 'secretsList', verbs: reads, resources: ['secrets'] });
      } else if (reads.length) {
        out.push({ category: rule.resourceNames.length ? 'secretsNamed' : 'secretsRead', verbs: reads, resources: ['secrets'] });
      }
    }
  }
  const writes = rule.verbs.filter((v) => WRITE_VERBS.includes(v));
  const written = rule.resources.filter((r) => !HARMLESS_WRITES.has(r) && !(NAMESPACED_HARMLESS_WRITES.has(r) && !clusterWide) &&
    !EXEC_SUBRESOURCES.includes(r) && r !== 'nodes/proxy');

  if (writes.length && written.length) {
    out.push({ category: 'writeVerbs', verbs: writes, resources: written });
  }

  return out;
}

function severityOf(category: Category, clusterWide: boolean): Severity {
  switch (category) {
  case 'escalation':
  case 'nodesProxy':
    return 'critical';
  case 'wildcard':
  case 'podsExec':
  case 'secretsList':
    return clusterWide ? 'critical' : 'warning';
  case 'secretsRead':
  case 'writeVerbs':
    return 'warning';
  case 'secretsNamed':
    return 'info';
  }
}

const CLUSTER_ADMIN = 'cluster-admin';

function sourceKey(s: RuleSource): string {
  return `${ s.bindingKind }/${ s.bindingNamespace || '' }/${ s.bindingName }`;
}

function sourceParams(s: RuleSource, namespace: string | undefined) {
  return {
    binding:     s.bindingName,
    bindingKind: s.bindingKind,
    role:        s.roleName,
    roleKind:    s.roleKind,
    scopeKind:   namespace === undefined ? 'cluster' : 'namespace',
    scope:       namespace || '',
  };
}

function serviceAccountFindings(key: string, rules: EffectiveRule[]): Finding[] {
  const sa = parseServiceAccountKey(key);

  if (!sa) {
    return [];
  }
  const ref = { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name };
  const base = { serviceAccount: sa.name, namespace: sa.namespace };
  const grouped = new Map<string, { source: RuleSource; namespace?: string; category: Category; verbs: Set<string>; resources: Set<string> }>();
  const adminSources = new Map<string, EffectiveRule>();

  for (const rule of rules) {
    if (rule.via.roleKind === 'ClusterRole' && rule.via.roleName === CLUSTER_ADMIN) {
      adminSources.set(sourceKey(rule.via), rule);
      continue;
    }
    for (const c of categorise(rule, rule.namespace === undefined)) {
      const k = `${ sourceKey(rule.via) }|${ c.category }`;
      const entry = grouped.get(k) || {
        source: rule.via, namespace: rule.namespace, category: c.category, verbs: new Set<string>(), resources: new Set<string>()
      };

      c.verbs.forEach((v) => entry.verbs.add(v));
      c.resources.forEach((r) => entry.resources.add(r));
      grouped.set(k, entry);
    }
  }
  const out: Finding[] = [];

  for (const rule of adminSources.values()) {
    out.push(finding('rbac.clusterAdmin', 'rbac', rule.namespace === undefined ? 'critical' : 'warning', ref, { ...base, ...sourceParams(rule.via, rule.namespace) }));
  }
  for (const g of grouped.values()) {
    out.push(finding(`rbac.${ g.category }`, 'rbac', severityOf(g.category, g.namespace === undefined), ref, {
      ...base, ...sourceParams(g.source, g.namespace), verbs: uniqueSorted(g.verbs), resources: uniqueSorted(g.resources)
    }));
  }

  return out;
}

/** Whether a ClusterRoleBinding names a subject in a reviewed namespace (or nothing is filtered). */
function grantsIntoFocus(subjects: unknown, index: ObjectIndex): boolean {
  if (index.inFocus(undefined)) {
    return true;
  }

  return records(subjects).some((s) => {
    const name = text(s.name);

    if (s.kind === 'ServiceAccount') {
      return index.inFocus(text(s.namespace));
    }
    if (s.kind === 'Group') {
      return name === 'system:serviceaccounts' || name === 'system:authenticated' || index.inFocus(name.replace(/^system:serviceaccounts:/, ''));
    }

    return index.inFocus(parseServiceAccountKey(name)?.namespace);
  });
}

/** Bindings to cluster-admin are found by name, even when the ClusterRole itself is not in the input. */
function problemFindings(model: RbacModel, index: ObjectIndex): Finding[] {
  const out: Finding[] = [];

  for (const p of model.problems) {
    const b = p.binding;
    const relevant = b.namespace !== undefined ? index.inFocus(b.namespace) : grantsIntoFocus(b.raw.subjects, index);

    if (!relevant) {
      continue;
    }
    const params = {
      binding: b.name, bindingKind: b.kind, namespace: b.namespace || '', role: p.roleName, roleKind: p.roleKind
    };

    if (p.roleKind === 'ClusterRole' && p.roleName === CLUSTER_ADMIN) {
      out.push(finding('rbac.clusterAdmin', 'rbac', b.kind === 'ClusterRoleBinding' ? 'critical' : 'warning', b.ref, {
        ...params, serviceAccount: '', scopeKind: b.kind === 'ClusterRoleBinding' ? 'cluster' : 'namespace', scope: b.namespace || ''
      }));
    } else {
      out.push(finding(p.reason === 'missingRole' ? 'rbac.missingRole' : 'rbac.invalidRoleRef', 'rbac', 'info', b.ref, params));
    }
  }

  return out;
}

export function reviewRbac(index: ObjectIndex): Finding[] {
  const model = buildRbacModel(index);
  const out: Finding[] = problemFindings(model, index);

  for (const sa of model.serviceAccounts) {
    if (index.inFocus(sa.namespace)) {
      out.push(...serviceAccountFindings(sa.key, model.permissions.get(sa.key) || []));
    }
  }

  return out;
}
